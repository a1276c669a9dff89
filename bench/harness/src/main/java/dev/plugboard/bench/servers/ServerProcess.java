package dev.plugboard.bench.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, started as its own process: its output goes to a log file, its resident
 * memory and CPU time are read from {@code /proc}, and it is stopped with SIGTERM.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("LISTENING (\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();

    private ServerProcess(String name, Process process, long startedNanos, Path log) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        Thread.ofPlatform().daemon().name("log-" + name).start(() -> copyOutput(log));
    }

    /**
     * Starts a process.
     *
     * @param name what to call it in reports
     * @param command the command line
     * @param environment variables to add
     * @param log where its standard output and error go
     */
    public static ServerProcess start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        return new ServerProcess(name, builder.start(), started, log);
    }

    private void copyOutput(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line; (line = in.readLine()) != null;) {
                out.println(line);
                out.flush();
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IOException(name + " exited before it listened"));
    }

    /** Waits for the {@code LISTENING <port>} line the peers print, and returns the port. */
    public int awaitListening(Duration limit) throws IOException, InterruptedException {
        try {
            return listening.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(name + " did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(name + " did not listen within " + limit);
        }
    }

    /**
     * Polls a URL until it answers 200, and returns the time from the process's start.
     *
     * @throws IOException when the process exits or the limit passes first
     */
    public Duration awaitHttp200(URI url, Duration limit) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(200)).build()) {
            long deadline = System.nanoTime() + limit.toNanos();
            HttpRequest get = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException(name + " exited with " + process.exitValue() + " before " + url
                            + " answered");
                }
                try {
                    if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return Duration.ofNanos(System.nanoTime() - startedNanos);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            throw new IOException(url + " did not answer 200 within " + limit);
        }
    }

    /** When the process was started ({@link System#nanoTime()}). */
    public long startedNanos() {
        return startedNanos;
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    /** The runtime's {@code -X} options the process was actually started with, or "none". */
    public String runtimeFlags() throws IOException {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(pid()), "cmdline"));
        String flags = java.util.Arrays.stream(cmdline.split("\0")).filter(a -> a.startsWith("-X"))
                .collect(java.util.stream.Collectors.joining(" "));
        return flags.isEmpty() ? "none" : flags;
    }

    /** Resident memory in KiB ({@code VmRSS}). */
    public long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IOException("no VmRSS for " + name);
    }

    /** CPU time used so far (user and system), in seconds. */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command name: state is field 3, utime 14 and stime 15 of the full line
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** The name in reports. */
    public String name() {
        return name;
    }

    /** Stops the process with SIGTERM, then SIGKILL after ten seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
