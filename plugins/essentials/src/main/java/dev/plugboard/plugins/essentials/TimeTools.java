package dev.plugboard.plugins.essentials;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;

/**
 * Tools for the current time, time zones and calendar arithmetic.
 */
@Component(service = TimeTools.class)
@McpProvider
public class TimeTools {

    private final Clock clock;

    /** Uses the system clock. */
    public TimeTools() {
        this(Clock.systemUTC());
    }

    TimeTools(Clock clock) {
        this.clock = clock;
    }

    /**
     * A moment in a time zone.
     *
     * @param timezone the IANA zone
     * @param datetime ISO-8601 date and time with offset
     * @param dayOfWeek the English day name
     * @param utcOffset the offset from UTC, such as {@code +02:00}
     * @param isDst whether daylight saving time applies
     */
    public record ZonedTime(String timezone, String datetime, String dayOfWeek, String utcOffset, boolean isDst) {
    }

    /**
     * The same moment in two zones.
     *
     * @param source the time in the source zone
     * @param target the time in the target zone
     * @param timeDifference the target's offset minus the source's, such as {@code +5.5h}
     */
    public record TimeConversion(ZonedTime source, ZonedTime target, String timeDifference) {
    }

    /**
     * The span between two dates.
     *
     * @param days whole days from start to end (negative when end is earlier)
     * @param weeks whole weeks
     * @param months whole months
     * @param years whole years
     * @param description the span in years, months and days
     */
    public record DateDifference(long days, long weeks, long months, long years, String description) {
    }

    @Tool(title = "Current time", description = "Returns the current date and time in an IANA time zone, "
            + "with the day of the week, the UTC offset and whether daylight saving time applies.",
            readOnly = true, openWorld = false)
    public ZonedTime currentTime(
            @Param(description = "IANA time zone name, such as Europe/Paris or America/New_York",
                    defaultValue = "UTC") String timezone) {
        return describe(ZonedDateTime.now(clock).withZoneSameInstant(zone(timezone)));
    }

    @Tool(title = "Convert time", description = "Converts a wall-clock time (today's date) from one IANA time "
            + "zone to another and gives the difference between the zones.", readOnly = true, idempotent = true,
            openWorld = false)
    public TimeConversion convertTime(
            @Param(description = "Time in 24-hour HH:MM format, such as 14:30") String time,
            @Param(description = "IANA time zone of the given time") String sourceTimezone,
            @Param(description = "IANA time zone to convert to") String targetTimezone) {
        LocalTime local;
        try {
            local = LocalTime.parse(time, DateTimeFormatter.ofPattern("H:mm").withResolverStyle(ResolverStyle.STRICT));
        } catch (DateTimeParseException e) {
            throw new ToolException("time must be HH:MM in 24-hour format, such as 14:30, not '" + time + "'");
        }
        ZoneId from = zone(sourceTimezone);
        ZonedDateTime source = ZonedDateTime.of(LocalDate.now(clock.withZone(from)), local, from);
        ZonedDateTime target = source.withZoneSameInstant(zone(targetTimezone));
        int seconds = target.getOffset().getTotalSeconds() - source.getOffset().getTotalSeconds();
        double hours = seconds / 3600.0;
        String difference = (hours >= 0 ? "+" : "") + (hours == Math.rint(hours)
                ? String.format(Locale.ROOT, "%.1fh", hours) : String.format(Locale.ROOT, "%.2fh", hours)
                        .replaceAll("0+h$", "h"));
        return new TimeConversion(describe(source), describe(target), difference);
    }

    @Tool(title = "Date difference", description = "Counts the days, weeks, months and years between two "
            + "ISO-8601 dates (YYYY-MM-DD).", readOnly = true, idempotent = true, openWorld = false)
    public DateDifference dateDifference(
            @Param(description = "Start date, YYYY-MM-DD") LocalDate start,
            @Param(description = "End date, YYYY-MM-DD") LocalDate end) {
        Period period = Period.between(start, end);
        return new DateDifference(ChronoUnit.DAYS.between(start, end), ChronoUnit.WEEKS.between(start, end),
                ChronoUnit.MONTHS.between(start, end), ChronoUnit.YEARS.between(start, end),
                period.getYears() + " years, " + period.getMonths() + " months, " + period.getDays() + " days");
    }

    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name.trim());
        } catch (DateTimeException e) {
            throw new ToolException("unknown time zone '" + name + "': use an IANA name such as Europe/Paris");
        }
    }

    private static ZonedTime describe(ZonedDateTime t) {
        boolean dst = t.getZone().getRules().isDaylightSavings(t.toInstant());
        return new ZonedTime(t.getZone().getId(), t.truncatedTo(ChronoUnit.SECONDS).toOffsetDateTime().toString(),
                t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH), t.getOffset().getId().replace("Z", "+00:00"),
                dst);
    }
}
