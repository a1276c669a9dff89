package dev.plugboard.host.deploy;

import static dev.plugboard.host.deploy.ExitCallScannerTest.classBytes;
import static dev.plugboard.host.deploy.ExitCallScannerTest.entry;
import static dev.plugboard.host.deploy.ExitCallScannerTest.jar;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanRecordsTest {

    private static final String CLEAN = "{\"calls\":[],\"unreadable\":[]}";
    private static final String EXITS = "{\"calls\":[{\"className\":\"x.Y\",\"method\":\"run\","
            + "\"target\":\"System.exit\",\"where\":null,\"handle\":false}],\"unreadable\":[]}";

    @TempDir
    Path folder;

    private Path records() {
        return folder.resolve("records");
    }

    private Path exitingJar() throws IOException {
        return Files.write(folder.resolve("a.jar"), jar(Map.of(entry(ExitCallScannerTest.Exits.class),
                classBytes(ExitCallScannerTest.Exits.class)), null));
    }

    private List<Path> recordFiles() throws IOException {
        if (Files.notExists(records())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(records())) {
            return files.sorted().toList();
        }
    }

    @Test
    void aScanIsRecordedAndTheRecordAnswersTheNextScanOfTheSameBytes() throws IOException {
        Path jar = exitingJar();
        ScanRecords scans = ScanRecords.in(records(), null);

        ExitCallScanner.Result first = scans.scan(jar);

        assertThat(first).isEqualTo(ExitCallScanner.scan(jar));
        assertThat(first.clean()).isFalse();
        assertThat(recordFiles()).hasSize(1);
        // A record is trusted as it stands: one saying "clean" answers for these bytes, without a scan.
        Files.writeString(recordFiles().get(0), CLEAN);
        assertThat(ScanRecords.in(records(), null).scan(jar).clean()).isTrue();
    }

    @Test
    void aJarChangedInPlaceIsScannedAgain() throws IOException {
        Path jar = Files.write(folder.resolve("a.jar"), jar(Map.of(entry(ExitCallScannerTest.Harmless.class),
                classBytes(ExitCallScannerTest.Harmless.class)), null));
        ScanRecords scans = ScanRecords.in(records(), null);
        assertThat(scans.scan(jar).clean()).isTrue();

        Path replaced = exitingJar();

        assertThat(replaced).isEqualTo(jar);
        assertThat(scans.scan(jar).refusal()).contains("calls System.exit");
        assertThat(recordFiles()).hasSize(2);
    }

    @Test
    void aRecordWrittenByAnotherScannerIsNotUsed() throws IOException {
        Path jar = exitingJar();
        ScanRecords older = ScanRecords.in(records(), null, new byte[] {1});
        older.scan(jar);
        Files.writeString(recordFiles().get(0), CLEAN);

        assertThat(ScanRecords.in(records(), null, new byte[] {2}).scan(jar).clean()).isFalse();
        assertThat(ScanRecords.in(records(), null).scan(jar).clean()).isFalse();
        assertThat(older.scan(jar).clean()).as("the forged record still answers its own scanner").isTrue();
    }

    @Test
    void anUnreadableRecordIsScannedAgainAndRewritten() throws IOException {
        Path jar = exitingJar();
        ScanRecords scans = ScanRecords.in(records(), null);
        scans.scan(jar);
        Path record = recordFiles().get(0);
        Files.writeString(record, "{\"calls\": [");

        assertThat(scans.scan(jar).clean()).isFalse();
        assertThat(Files.readString(record)).startsWith("{\"calls\":[{");
    }

    @Test
    void theCallsOfAnEmbeddedLibraryComeBackFromTheRecordAsScanned() throws IOException {
        byte[] inner = jar(Map.of(entry(ExitCallScannerTest.Exits.class), classBytes(ExitCallScannerTest.Exits.class)),
                null);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(entry(ExitCallScannerTest.Harmless.class), classBytes(ExitCallScannerTest.Harmless.class));
        entries.put("lib/inner.jar", inner);
        Path jar = Files.write(folder.resolve("a.jar"), jar(entries, ".,lib/inner.jar"));
        ScanRecords scans = ScanRecords.in(records(), null);

        ExitCallScanner.Result scanned = scans.scan(jar);
        ExitCallScanner.Result recorded = scans.scan(jar);

        assertThat(recorded).isEqualTo(scanned);
        assertThat(recorded.clean()).isTrue();
        assertThat(recorded.rewritten()).extracting(ExitCallScanner.ExitCall::describe)
                .containsExactly(ExitCallScannerTest.Exits.class.getName() + ".run() calls System.exit (in lib/inner.jar)");
    }

    @Test
    void aShippedRecordAnswersAndIsNeverWritten() throws IOException {
        Path jar = exitingJar();
        Path shipped = folder.resolve("shipped");
        ScanRecords.in(shipped, null).scan(jar);
        Path shippedRecord;
        try (Stream<Path> files = Files.list(shipped)) {
            shippedRecord = files.findFirst().orElseThrow();
        }
        Files.writeString(shippedRecord, CLEAN);
        ScanRecords scans = ScanRecords.in(records(), shipped);

        assertThat(scans.scan(jar).clean()).as("the shipped record answers").isTrue();
        assertThat(recordFiles()).as("nothing is written beside it").isEmpty();

        Files.createDirectories(records());
        Files.writeString(records().resolve(shippedRecord.getFileName()), EXITS);
        assertThat(scans.scan(jar).clean()).as("the data folder's own record comes first").isFalse();
        assertThat(Files.readString(shippedRecord)).isEqualTo(CLEAN);
    }

    @Test
    void pastTheLimitTheLeastRecentlyUsedHalfIsDeleted() throws IOException {
        ScanRecords scans = ScanRecords.in(records(), null);
        for (int i = 0; i <= ScanRecords.KEPT; i++) {
            Path jar = Files.write(folder.resolve("j" + i + ".jar"),
                    jar(Map.of("data/" + i + ".txt", new byte[] {(byte) i}), null));
            assertThat(scans.scan(jar).clean()).isTrue();
        }

        assertThat(recordFiles()).hasSize(ScanRecords.KEPT / 2)
                .allSatisfy(p -> assertThat(p.getFileName().toString()).endsWith(".json"));
    }
}
