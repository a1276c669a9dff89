package dev.plugboard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine the figures come from.
 *
 * @param cpu the processor model
 * @param cpus logical processors in the machine
 * @param memoryGib installed memory
 * @param kernel the operating system and kernel
 * @param serverCpus the processors the servers were pinned to, or "any"
 * @param clientCpus the processors the load generator was pinned to, or "any"
 */
public record Machine(String cpu, int cpus, double memoryGib, String kernel, String serverCpus, String clientCpus) {

    /** Reads the machine's description from {@code /proc}. */
    public static Machine describe(String serverCpus, String clientCpus) throws IOException {
        List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        String model = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        int cpus = (int) cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
        double memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D+", "")) / 1024.0 / 1024.0).orElse(0.0);
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return new Machine(model, cpus, Math.round(memory * 10) / 10.0, kernel, serverCpus == null ? "any" : serverCpus,
                clientCpus == null ? "any" : clientCpus);
    }

    /**
     * Every online processor, in {@code taskset -c} syntax. The harness itself may be pinned (and a
     * child inherits its parent's affinity), so a server meant to use the whole machine must say so.
     */
    public static String onlineCpus() throws IOException {
        return Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
    }
}
