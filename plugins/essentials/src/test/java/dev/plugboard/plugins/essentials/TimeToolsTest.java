package dev.plugboard.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.tool.ToolException;
import dev.plugboard.plugins.essentials.TimeTools.DateDifference;
import dev.plugboard.plugins.essentials.TimeTools.TimeConversion;
import dev.plugboard.plugins.essentials.TimeTools.ZonedTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeToolsTest {

    /** A summer instant: DST applies in both Europe and North America. */
    private static final String SUMMER = "2024-07-15T10:00:00Z";
    /** A winter instant: no DST in the northern hemisphere, DST in Australia. */
    private static final String WINTER = "2024-01-15T10:00:00Z";

    private static TimeTools at(String instant) {
        return new TimeTools(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    private static Instant instantOf(ZonedTime time) {
        return OffsetDateTime.parse(time.datetime()).toInstant();
    }

    @Nested
    class CurrentTime {

        @ParameterizedTest(name = "{1} at {0}")
        @CsvSource({
            // clock instant,            zone,               datetime,                    day,      offset,  DST
            "2024-07-15T12:34:56.789Z, UTC,                2024-07-15T12:34:56Z,        Monday,   +00:00, false",
            "2024-07-15T12:34:56.789Z, Europe/Paris,       2024-07-15T14:34:56+02:00,   Monday,   +02:00, true",
            "2024-01-15T12:34:56.789Z, Europe/Paris,       2024-01-15T13:34:56+01:00,   Monday,   +01:00, false",
            "2024-07-15T12:34:56.789Z, America/New_York,   2024-07-15T08:34:56-04:00,   Monday,   -04:00, true",
            "2024-01-15T12:34:56.789Z, America/New_York,   2024-01-15T07:34:56-05:00,   Monday,   -05:00, false",
            "2024-07-15T12:34:56.789Z, Asia/Kolkata,       2024-07-15T18:04:56+05:30,   Monday,   +05:30, false",
            "2024-07-15T12:34:56.789Z, Asia/Kathmandu,     2024-07-15T18:19:56+05:45,   Monday,   +05:45, false",
            "2024-07-15T12:34:56.789Z, Australia/Sydney,   2024-07-15T22:34:56+10:00,   Monday,   +10:00, false",
            "2024-01-15T12:34:56.789Z, Australia/Sydney,   2024-01-15T23:34:56+11:00,   Monday,   +11:00, true",
            "2024-07-15T12:34:56.789Z, Pacific/Kiritimati, 2024-07-16T02:34:56+14:00,   Tuesday,  +14:00, false",
            "2024-07-15T12:34:56.789Z, Pacific/Pago_Pago,  2024-07-15T01:34:56-11:00,   Monday,   -11:00, false",
        })
        void describesTheClockInstantInTheRequestedZone(String instant, String zone, String datetime,
                String dayOfWeek, String offset, boolean dst) {
            assertThat(at(instant).currentTime(zone)).isEqualTo(new ZonedTime(zone, datetime, dayOfWeek, offset, dst));
        }

        @Test
        void truncatesFractionalSecondsFromTheDatetime() {
            ZonedTime time = at("2024-07-15T12:34:56.999999Z").currentTime("UTC");

            assertThat(time.datetime()).isEqualTo("2024-07-15T12:34:56Z");
        }

        @Test
        void datetimeOnAWholeMinuteIsStillParseableIso8601ForTheSameInstant() {
            ZonedTime time = at("2024-07-15T12:00:00Z").currentTime("Asia/Kolkata");

            assertThat(instantOf(time)).isEqualTo(Instant.parse("2024-07-15T12:00:00Z"));
            assertThat(time.datetime()).startsWith("2024-07-15T17:30").endsWith("+05:30");
        }

        @Test
        void utcOffsetIsWrittenNumericallyRatherThanAsZ() {
            assertThat(at(SUMMER).currentTime("Europe/London").utcOffset()).isEqualTo("+01:00");
            assertThat(at(WINTER).currentTime("Europe/London").utcOffset()).isEqualTo("+00:00");
        }

        @ParameterizedTest(name = "{0} -> offset {1}, DST {2}")
        @CsvSource({
            "2024-03-31T00:59:59Z, +01:00, false",
            "2024-03-31T01:00:00Z, +02:00, true",
            "2024-10-27T00:59:59Z, +02:00, true",
            "2024-10-27T01:00:00Z, +01:00, false",
        })
        void followsEuropeanDaylightSavingTransitionsToTheSecond(String instant, String offset, boolean dst) {
            ZonedTime time = at(instant).currentTime("Europe/Berlin");

            assertThat(time.utcOffset()).isEqualTo(offset);
            assertThat(time.isDst()).isEqualTo(dst);
            assertThat(instantOf(time)).isEqualTo(Instant.parse(instant));
        }

        @Test
        void trimsWhitespaceAroundTheZoneName() {
            assertThat(at(SUMMER).currentTime("  Europe/Paris \t").timezone()).isEqualTo("Europe/Paris");
        }

        @Test
        void publicConstructorUsesTheSystemClock() {
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ZonedTime time = new TimeTools().currentTime("Asia/Tokyo");
            Instant after = Instant.now();

            assertThat(instantOf(time)).isBetween(before, after);
            assertThat(time.utcOffset()).isEqualTo("+09:00");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"Mars/Olympus_Mons", "Europe/Atlantis", "", "   ", "not a zone", "+25:00"})
        void rejectsUnknownZonesWithAHelpfulMessage(String zone) {
            assertThatThrownBy(() -> at(SUMMER).currentTime(zone))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("unknown time zone '" + zone + "': use an IANA name such as Europe/Paris");
        }
    }

    @Nested
    class ConvertTime {

        @ParameterizedTest(name = "{1} {2} -> {3} on {0}: {6}")
        @CsvSource({
            // clock,  time,  from,                 to,                   source datetime,          target datetime,          difference
            SUMMER + ", 14:30, Europe/London,       Asia/Kolkata,         2024-07-15T14:30+01:00, 2024-07-15T19:00+05:30, +4.5h",
            WINTER + ", 14:30, Europe/London,       Asia/Kolkata,         2024-01-15T14:30Z,      2024-01-15T20:00+05:30, +5.5h",
            SUMMER + ", 20:00, Asia/Kolkata,        Europe/London,        2024-07-15T20:00+05:30, 2024-07-15T15:30+01:00, -4.5h",
            SUMMER + ", 9:05,  UTC,                 Asia/Kathmandu,       2024-07-15T09:05Z,      2024-07-15T14:50+05:45, +5.75h",
            SUMMER + ", 12:00, America/St_Johns,    UTC,                  2024-07-15T12:00-02:30, 2024-07-15T14:30Z,      +2.5h",
            WINTER + ", 12:00, America/St_Johns,    UTC,                  2024-01-15T12:00-03:30, 2024-01-15T15:30Z,      +3.5h",
            SUMMER + ", 00:00, UTC,                 Australia/Lord_Howe,  2024-07-15T00:00Z,      2024-07-15T10:30+10:30, +10.5h",
            WINTER + ", 00:00, UTC,                 Australia/Lord_Howe,  2024-01-15T00:00Z,      2024-01-15T11:00+11:00, +11.0h",
            SUMMER + ", 12:00, Europe/Paris,        America/New_York,     2024-07-15T12:00+02:00, 2024-07-15T06:00-04:00, -6.0h",
            WINTER + ", 09:00, UTC,                 Asia/Tokyo,           2024-01-15T09:00Z,      2024-01-15T18:00+09:00, +9.0h",
            SUMMER + ", 08:15, Europe/Paris,        Europe/Berlin,        2024-07-15T08:15+02:00, 2024-07-15T08:15+02:00, +0.0h",
            SUMMER + ", 23:30, America/Los_Angeles, Asia/Tokyo,           2024-07-15T23:30-07:00, 2024-07-16T15:30+09:00, +16.0h",
            SUMMER + ", 01:00, Asia/Tokyo,          America/Los_Angeles,  2024-07-15T01:00+09:00, 2024-07-14T09:00-07:00, -16.0h",
        })
        void convertsTheWallClockTimeAndReportsTheOffsetDifference(String clock, String time, String from,
                String to, String sourceDatetime, String targetDatetime, String difference) {
            TimeConversion conversion = at(clock).convertTime(time, from, to);

            assertThat(conversion.source().timezone()).isEqualTo(from);
            assertThat(conversion.source().datetime()).isEqualTo(sourceDatetime);
            assertThat(conversion.target().timezone()).isEqualTo(to);
            assertThat(conversion.target().datetime()).isEqualTo(targetDatetime);
            assertThat(conversion.timeDifference()).isEqualTo(difference);
            assertThat(instantOf(conversion.target())).isEqualTo(instantOf(conversion.source()));
        }

        @Test
        void differenceReflectsDaylightSavingWhenOnlyOneZoneHasSwitched() {
            // On 20 March 2024 New York is already on EDT while Paris is still on CET.
            TimeConversion conversion = at("2024-03-20T10:00:00Z").convertTime("12:00", "Europe/Paris",
                    "America/New_York");

            assertThat(conversion.target().datetime()).isEqualTo("2024-03-20T07:00-04:00");
            assertThat(conversion.timeDifference()).isEqualTo("-5.0h");
            assertThat(conversion.source().isDst()).isFalse();
            assertThat(conversion.target().isDst()).isTrue();
        }

        @Test
        void describesDayOfWeekAndDstOfBothSides() {
            TimeConversion conversion = at(SUMMER).convertTime("23:30", "America/Los_Angeles", "Asia/Tokyo");

            assertThat(conversion.source()).isEqualTo(
                    new ZonedTime("America/Los_Angeles", "2024-07-15T23:30-07:00", "Monday", "-07:00", true));
            assertThat(conversion.target()).isEqualTo(
                    new ZonedTime("Asia/Tokyo", "2024-07-16T15:30+09:00", "Tuesday", "+09:00", false));
        }

        @Test
        void usesTodaysDateInTheSourceZoneWhenItIsAlreadyTomorrowThere() {
            // 23:00 UTC on the 15th is already the 16th in Tokyo.
            TimeConversion conversion = at("2024-07-15T23:00:00Z").convertTime("09:00", "Asia/Tokyo", "UTC");

            assertThat(conversion.source().datetime()).isEqualTo("2024-07-16T09:00+09:00");
            assertThat(conversion.target().datetime()).isEqualTo("2024-07-16T00:00Z");
        }

        @Test
        void usesTodaysDateInTheSourceZoneWhenItIsStillYesterdayThere() {
            // 02:00 UTC on the 15th is still the 14th in Los Angeles.
            TimeConversion conversion = at("2024-07-15T02:00:00Z").convertTime("20:00", "America/Los_Angeles",
                    "UTC");

            assertThat(conversion.source().datetime()).isEqualTo("2024-07-14T20:00-07:00");
            assertThat(conversion.target().datetime()).isEqualTo("2024-07-15T03:00Z");
        }

        @Test
        void timeInTheSpringForwardGapIsMovedForwardAndTheSourceShowsTheTimeActuallyUsed() {
            // 02:30 does not exist in New York on 10 March 2024: clocks jump from 02:00 to 03:00.
            TimeConversion conversion = at("2024-03-10T12:00:00Z").convertTime("02:30", "America/New_York", "UTC");

            assertThat(conversion.source().datetime()).isEqualTo("2024-03-10T03:30-04:00");
            assertThat(conversion.target().datetime()).isEqualTo("2024-03-10T07:30Z");
        }

        @Test
        void ambiguousTimeInTheFallBackOverlapUsesTheEarlierOffset() {
            // 01:30 happens twice in New York on 3 November 2024; the first is still EDT.
            TimeConversion conversion = at("2024-11-03T12:00:00Z").convertTime("01:30", "America/New_York", "UTC");

            assertThat(conversion.source().utcOffset()).isEqualTo("-04:00");
            assertThat(conversion.source().isDst()).isTrue();
            assertThat(conversion.target().datetime()).isEqualTo("2024-11-03T05:30Z");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"25:00", "14:60", "14:3", "1430", "2pm", "2:30 PM", "14:30:00", "14.30", "", " 14:30",
            "-1:00", "ab:cd"})
        void rejectsMalformedTimesNamingTheExpectedFormatAndTheInput(String time) {
            assertThatThrownBy(() -> at(SUMMER).convertTime(time, "UTC", "Europe/Paris"))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("time must be HH:MM in 24-hour format, such as 14:30, not '" + time + "'");
        }

        @Test
        void rejectsHour24() {
            assertThatThrownBy(() -> at(SUMMER).convertTime("24:00", "UTC", "Europe/Paris"))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("HH:MM");
        }

        @Test
        void rejectsAnUnknownSourceZone() {
            assertThatThrownBy(() -> at(SUMMER).convertTime("10:00", "Moon/Tranquility", "UTC"))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("unknown time zone 'Moon/Tranquility': use an IANA name such as Europe/Paris");
        }

        @Test
        void rejectsAnUnknownTargetZone() {
            assertThatThrownBy(() -> at(SUMMER).convertTime("10:00", "UTC", "Asia/Calcuta"))
                    .isInstanceOf(ToolException.class)
                    .hasMessage("unknown time zone 'Asia/Calcuta': use an IANA name such as Europe/Paris");
        }
    }

    @Nested
    class DateDifferenceTool {

        private final TimeTools tools = at(SUMMER);

        @ParameterizedTest(name = "{0} -> {1}: {6}")
        @CsvSource(delimiter = '|', textBlock = """
            # start    | end        | days  | weeks | months | years | description
            2024-01-01 | 2024-12-25 |   359 |    51 |     11 |     0 | 0 years, 11 months, 24 days
            2024-02-28 | 2024-03-01 |     2 |     0 |      0 |     0 | 0 years, 0 months, 2 days
            2023-02-28 | 2023-03-01 |     1 |     0 |      0 |     0 | 0 years, 0 months, 1 days
            2024-01-31 | 2024-02-29 |    29 |     4 |      0 |     0 | 0 years, 0 months, 29 days
            2024-01-31 | 2024-03-01 |    30 |     4 |      1 |     0 | 0 years, 1 months, 1 days
            2000-02-29 | 2024-02-28 |  8765 |  1252 |    287 |    23 | 23 years, 11 months, 30 days
            1990-05-17 | 2024-05-17 | 12419 |  1774 |    408 |    34 | 34 years, 0 months, 0 days
            2024-05-17 | 2024-05-17 |     0 |     0 |      0 |     0 | 0 years, 0 months, 0 days
            2024-12-25 | 2024-01-01 |  -359 |   -51 |    -11 |     0 | 0 years, -11 months, -24 days
            """)
        void countsDaysWeeksMonthsAndYears(LocalDate start, LocalDate end, long days, long weeks, long months,
                long years, String description) {
            assertThat(tools.dateDifference(start, end))
                    .isEqualTo(new DateDifference(days, weeks, months, years, description));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"2024-01-01, 2024-01-07", "2024-01-01, 2024-01-08", "2023-12-31, 2025-01-01",
            "1969-07-20, 2019-07-20", "2024-03-01, 2023-03-01"})
        void daysMatchTheEpochDayDistanceAndWeeksAreWholeWeeksOfThem(LocalDate start, LocalDate end) {
            DateDifference difference = tools.dateDifference(start, end);

            assertThat(difference.days()).isEqualTo(end.toEpochDay() - start.toEpochDay());
            assertThat(difference.weeks()).isEqualTo(difference.days() / 7);
        }

        @Test
        void swappingTheDatesNegatesEveryCount() {
            DateDifference forward = tools.dateDifference(LocalDate.of(2001, 9, 9), LocalDate.of(2024, 2, 29));
            DateDifference backward = tools.dateDifference(LocalDate.of(2024, 2, 29), LocalDate.of(2001, 9, 9));

            assertThat(backward.days()).isEqualTo(-forward.days());
            assertThat(backward.weeks()).isEqualTo(-forward.weeks());
            assertThat(backward.months()).isEqualTo(-forward.months());
            assertThat(backward.years()).isEqualTo(-forward.years());
        }
    }
}
