package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/** An upstream server as a child process: newline-delimited JSON on its standard input and output. */
final class StdioWire implements Wire {

    private static final Logger LOG = Logger.getLogger(StdioWire.class.getName());

    private final UpstreamTarget.Stdio target;
    private final String name;
    private final ObjectMapper mapper;
    private Process process;
    private OutputStream stdin;
    private volatile boolean closing;
    /** The last line the process wrote to standard error, to say why it ended. */
    private volatile String lastErrorLine;
    private Thread stderr;

    StdioWire(UpstreamTarget.Stdio target, String name, ObjectMapper mapper) {
        this.target = target;
        this.name = name;
        this.mapper = mapper;
    }

    @Override
    public void open(Inbound inbound) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(target.command());
        command.addAll(target.args());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(target.env());
        if (target.workingDirectory() != null) {
            builder.directory(target.workingDirectory().toFile());
        }
        process = builder.start();
        stdin = process.getOutputStream();
        Process started = process;
        stderr = Thread.ofVirtual().name("upstream-" + name + "-stderr").start(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(started.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null;) {
                    String l = line;
                    if (!l.isBlank()) {
                        lastErrorLine = l.length() > 300 ? l.substring(0, 300) + "..." : l;
                    }
                    LOG.fine(() -> "[" + name + "] " + l);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        Thread.ofVirtual().name("upstream-" + name + "-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode message;
                    try {
                        message = mapper.readTree(line);
                    } catch (IOException e) {
                        String l = line.length() > 200 ? line.substring(0, 200) + "..." : line;
                        LOG.warning(() -> "Upstream " + name + " wrote a line that is not JSON: " + l);
                        continue;
                    }
                    inbound.received(message, null);
                }
            } catch (IOException e) {
                // the process ended
            }
            if (!closing) {
                inbound.ended(exitReason(started));
            }
        });
    }

    private String exitReason(Process p) {
        try {
            if (p.waitFor(2, TimeUnit.SECONDS)) {
                stderr.join(500); // its last words, if it wrote any
                String last = lastErrorLine;
                return "its process exited with code " + p.exitValue()
                        + (last == null ? "" : " (its last error output: " + last + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "its process closed its standard output";
    }

    @Override
    public synchronized void send(Outgoing outgoing) throws IOException {
        byte[] message = outgoing.bytes();
        if (process == null || closing) {
            throw new Failure("its process is not running");
        }
        try {
            if (!process.isAlive()) {
                throw new Failure("its process is not running");
            }
            stdin.write(message);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            // A process that exited says more than a broken pipe; one whose pipe broke is usually
            // exiting, though the operating system may not have reaped it yet.
            throw exited(process) ? new Failure(exitReason(process), e) : e instanceof Failure ? e
                    : new Failure("its standard input is closed", e);
        }
    }

    private static boolean exited(Process p) {
        try {
            return p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    @Override
    public boolean isOpen() {
        return process != null && process.isAlive() && !closing;
    }

    /** The child's process id, for reports. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void close() {
        closing = true;
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(2, TimeUnit.SECONDS);
                }
            }
            // A launcher script's own children (the server it started) end too, before close returns:
            // whoever closes may then delete the folders they wrote to.
            for (ProcessHandle child : children) {
                child.destroyForcibly();
                child.onExit().get(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.fine(() -> "A child of the upstream process " + process.pid() + " did not end in time");
        }
    }
}
