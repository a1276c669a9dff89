package dev.plugboard.host.cli;

import dev.plugboard.host.Plugboard;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.stdio.StdioTransport;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs a host for {@code serve} and {@code stdio} until it is stopped or standard input ends. */
final class HostProcess {

    private static final Logger LOG = Logger.getLogger(HostProcess.class.getName());

    private HostProcess() {
    }

    /** Starts the host and waits; returns the exit code. */
    static int run(HostOptions.Loaded loaded, boolean stdio, PrintWriter err) {
        return run(loaded, stdio, null, err);
    }

    /**
     * Starts the host and waits; returns the exit code.
     *
     * @param server over stdio, the virtual server to serve instead of the whole catalogue, or null
     */
    static int run(HostOptions.Loaded loaded, boolean stdio, String server, PrintWriter err) {
        String command = stdio ? "plugboard stdio: " : "plugboard serve: ";
        HostConfig config = loaded.config();
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        if (stdio) {
            System.setOut(System.err);
        }
        try {
            LogSetup.configure(config.logLevel(), config.logFile(), config.logFormat());
            if (loaded.createDeployFolder()) {
                Files.createDirectories(config.bundlesDir());
                LOG.info(() -> "Created the deploy folder " + config.bundlesDir());
            }
        } catch (IOException e) {
            err.println(command + "cannot write " + e.getMessage());
            return Main.FAILED;
        }
        // The hook is in place before start-up, so that a stop (SIGTERM, Ctrl-C) arriving just as start-up
        // ends still closes the host: it waits for start-up to end first.
        AtomicReference<Plugboard> running = new AtomicReference<>();
        CountDownLatch startEnded = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                startEnded.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Plugboard started = running.get();
            if (started != null) {
                long begun = System.nanoTime();
                LOG.info("Stopping Plugboard");
                started.close();
                LOG.info(() -> "Plugboard stopped in " + (System.nanoTime() - begun) / 1_000_000 + " ms");
                LogSetup.closeAtExit();
            }
            stopped.countDown();
        }, "plugboard-shutdown"));
        Plugboard host;
        try {
            host = Plugboard.start(config, !stdio);
            running.set(host);
        } catch (Exception e) {
            BindException bind = bindFailure(e);
            err.println(command + (bind != null
                    ? ServeCommand.cannotListen(config.http().host(), config.http().port(), bind)
                    : "could not start: " + e.getMessage()));
            LOG.log(Level.FINE, "start-up failure", e);
            return Main.FAILED;
        } finally {
            startEnded.countDown();
        }
        try {
            if (stdio) {
                var engine = server == null ? java.util.Optional.of(host.engine()) : host.virtualServerEngine(server);
                if (engine.isEmpty()) {
                    err.println(command + host.virtualServerMissing(server));
                    err.flush();
                    return Main.USAGE;
                }
                new StdioTransport(engine.get(), host.codec(), new FileInputStream(FileDescriptor.in), protocolOut,
                        config.maxMessageBytes()).run();
                return 0;
            }
            stopped.await();
            return 0;
        } catch (IOException e) {
            err.println(command + "standard input failed: " + e.getMessage());
            return Main.FAILED;
        } catch (RuntimeException e) {
            // Never leave a process that no longer reads its input but does not exit either.
            err.println(command + "the transport failed: " + e);
            return Main.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        return null;
    }
}
