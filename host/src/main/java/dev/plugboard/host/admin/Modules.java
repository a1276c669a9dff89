package dev.plugboard.host.admin;

import dev.plugboard.host.admin.AdminException.Reason;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.CatalogEntry;
import dev.plugboard.host.catalog.Entries;
import dev.plugboard.host.deploy.BundleDeployer;
import dev.plugboard.host.deploy.BundleReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Module administration over the deployer that watches the deploy folder: list, install (by
 * upload or from an allowed URL), update, start, stop and remove.
 *
 * <p>A jar is checked before it lands in the deploy folder (a readable jar, a bundle, no exit
 * calls, resolvable against what is installed); a refused jar changes nothing. An accepted jar is
 * moved atomically into the folder (so it survives a restart) and deployed on the jar's own worker,
 * the same one the watcher uses, and the call answers with the deployer's outcome. A module that
 * was installed but cannot start is taken away again (an install) or rolled back to the previous
 * jar (an update). Changing operations run one at a time; reading runs at any time. Thread-safe.
 */
public final class Modules {

    private static final Logger LOG = Logger.getLogger(Modules.class.getName());
    private static final String STAGING_PREFIX = ".admin-";
    private static final java.util.regex.Pattern SAFE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    private final BundleDeployer deployer;
    private final Catalog catalog;
    private final Path bundlesDir;
    private final AdminSettings settings;
    private final ReentrantLock changing = new ReentrantLock();

    /**
     * The client of installs from a URL, made on the first such install: building one loads the TLS
     * stack and reads the JDK's trusted certificates, which start-up need not wait for.
     */
    private static final class Downloads {
        static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * @param deployer the deployer of the deploy folder
     * @param catalog the catalogue, for what each module provides
     * @param bundlesDir the deploy folder
     * @param settings the upload limit and the allowed URLs
     */
    public Modules(BundleDeployer deployer, Catalog catalog, Path bundlesDir, AdminSettings settings) {
        this.deployer = deployer;
        this.catalog = catalog;
        this.bundlesDir = bundlesDir;
        this.settings = settings;
    }

    /** The settings in force. */
    public AdminSettings settings() {
        return settings;
    }

    /** Every jar of the deploy folder the deployer knows, ordered by file name. */
    public List<Module> list() {
        return deployer.reports().stream().map(this::module).toList();
    }

    /**
     * The module with this symbolic name.
     *
     * @throws AdminException {@link Reason#NOT_FOUND}
     */
    public Module get(String name) {
        return module(report(name));
    }

    /**
     * Installs a module from an upload.
     *
     * @param jar the jar's bytes; read up to the limit, never closed here
     * @return the started module
     * @throws AdminException when the upload is too large, is not a deployable bundle, a module of
     *     that symbolic name exists, or it fails to start (then nothing is left behind)
     */
    public Module install(InputStream jar) {
        Path staged = receive(jar);
        changing.lock();
        try {
            BundleDeployer.Inspection inspection = inspect(staged);
            String name = inspection.symbolicName();
            if (!SAFE_NAME.matcher(name).matches()) {
                throw new AdminException(Reason.NOT_A_BUNDLE, "the bundle's symbolic name '" + name
                        + "' cannot name a file of the deploy folder (letters, digits, '.', '_' and '-' only)");
            }
            Optional<BundleReport> existing = find(name);
            if (existing.isPresent()) {
                throw new AdminException(Reason.CONFLICT, "a module named '" + name + "' is installed already (version "
                        + existing.get().version() + ", file " + existing.get().file() + "); update it instead");
            }
            Path target = bundlesDir.resolve(name + ".jar");
            land(staged, target);
            BundleReport report = deployer.deploy(target).join().orElseThrow(() -> new AdminException(Reason.CONFLICT,
                    "the module's jar was removed from the deploy folder while it was being installed"));
            if ("FAILED".equals(report.state())) {
                LOG.info(() -> "Taking " + name + " away again: it was installed but failed (" + report.error() + ")");
                deleteQuietly(target);
                deployer.undeploy(target).join();
                throw new AdminException(Reason.START_FAILED, "the module '" + name + "' could not start: "
                        + report.error());
            }
            LOG.info(() -> "Installed " + name + " " + report.version() + " through the admin API as " + target.getFileName());
            return module(report);
        } finally {
            changing.unlock();
            deleteQuietly(staged);
        }
    }

    /**
     * Installs a module from a URL that {@code admin.installUrls} allows. Redirects are not followed.
     *
     * @throws AdminException {@link Reason#URL_NOT_ALLOWED}, {@link Reason#URL_FAILED}, and those of {@link #install}
     */
    public Module installFrom(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AdminException(Reason.BAD_REQUEST, "'url' must be an http or https URL");
        }
        if (!settings.allows(uri)) {
            throw new AdminException(Reason.URL_NOT_ALLOWED, settings.installUrls().isEmpty()
                    ? "installing from a URL is turned off: no URL is allowed (setting admin.installUrls)"
                    : "that URL is not under one of the allowed prefixes (setting admin.installUrls)");
        }
        HttpResponse<InputStream> response;
        try {
            response = Downloads.HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AdminException(Reason.URL_FAILED, "could not download the URL: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(Reason.URL_FAILED, "interrupted while downloading the URL");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new AdminException(Reason.URL_FAILED, "the URL answered HTTP " + response.statusCode());
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > settings.maxUploadBytes()) {
                throw tooLarge();
            }
            return install(body);
        } catch (IOException e) {
            throw new AdminException(Reason.URL_FAILED, "could not download the URL: " + e.getMessage());
        }
    }

    /**
     * Replaces a module by a new version of the same bundle: the jar is written atomically over the
     * module's file, and the deployer swaps it (calls in flight drain, callers of its tools wait for
     * the new version). When the new version cannot start, the previous jar is put back.
     *
     * @param name the module's symbolic name
     * @param jar the new jar's bytes; read up to the limit, never closed here
     * @throws AdminException {@link Reason#NOT_FOUND}, {@link Reason#CONFLICT} when the jar is another
     *     bundle, and those of {@link #install}
     */
    public Module update(String name, InputStream jar) {
        Path staged = receive(jar);
        Path backup = null;
        changing.lock();
        try {
            BundleReport current = report(name);
            BundleDeployer.Inspection inspection = inspect(staged);
            if (!name.equals(inspection.symbolicName())) {
                throw new AdminException(Reason.CONFLICT, "the jar is the bundle '" + inspection.symbolicName()
                        + "', not '" + name + "'");
            }
            Path target = bundlesDir.resolve(current.file());
            backup = bundlesDir.resolve(STAGING_PREFIX + UUID.randomUUID() + ".previous");
            Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
            land(staged, target);
            BundleReport report = deployer.deploy(target).join().orElseThrow(() -> new AdminException(Reason.CONFLICT,
                    "the module's jar was removed from the deploy folder while it was being updated"));
            if ("FAILED".equals(report.state()) || report.error() != null) {
                LOG.info(() -> "Putting " + name + " " + current.version() + " back: " + report.error());
                land(backup, target);
                deployer.deploy(target).join();
                throw new AdminException(Reason.START_FAILED, "the new version of '" + name + "' could not start ("
                        + report.error() + "); the previous version " + current.version() + " was put back");
            }
            LOG.info(() -> "Updated " + name + " to " + report.version() + " through the admin API");
            return module(report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the deploy folder " + bundlesDir, e);
        } finally {
            changing.unlock();
            deleteQuietly(staged);
            deleteQuietly(backup);
        }
    }

    /**
     * Starts a module that is stopped (or failed to start).
     *
     * @throws AdminException {@link Reason#NOT_FOUND}, {@link Reason#START_FAILED}
     */
    public Module start(String name) {
        return lifecycle(name, true);
    }

    /**
     * Stops a module; its calls in flight get the drain time to finish. It stays installed and
     * starts again when the host restarts.
     *
     * @throws AdminException {@link Reason#NOT_FOUND}
     */
    public Module stop(String name) {
        return lifecycle(name, false);
    }

    private Module lifecycle(String name, boolean start) {
        changing.lock();
        try {
            Path file = bundlesDir.resolve(report(name).file());
            CompletableFuture<Optional<BundleReport>> done = start ? deployer.start(file) : deployer.stop(file);
            BundleReport report = done.join().orElseThrow(() -> notFound(name));
            if (start && "FAILED".equals(report.state())) {
                throw new AdminException(Reason.START_FAILED, "the module '" + name + "' could not start: "
                        + report.error());
            }
            return module(report);
        } finally {
            changing.unlock();
        }
    }

    /**
     * Removes a module: deletes its jar from the deploy folder and uninstalls its bundle (calls in
     * flight drain first).
     *
     * @throws AdminException {@link Reason#NOT_FOUND}
     */
    public void remove(String name) {
        changing.lock();
        try {
            Path file = bundlesDir.resolve(report(name).file());
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
            deployer.undeploy(file).join();
            LOG.info(() -> "Removed " + name + " through the admin API (" + file.getFileName() + " deleted)");
        } finally {
            changing.unlock();
        }
    }

    private BundleReport report(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    private static AdminException notFound(String name) {
        return new AdminException(Reason.NOT_FOUND, "no module is named '" + name + "'");
    }

    /** The module of that name: its running jar first, if several jars carry the name. */
    private Optional<BundleReport> find(String name) {
        List<BundleReport> named = deployer.reports().stream().filter(r -> name != null && name.equals(r.symbolicName()))
                .toList();
        return named.stream().filter(r -> !"FAILED".equals(r.state())).findFirst().or(() -> named.stream().findFirst());
    }

    private BundleDeployer.Inspection inspect(Path staged) {
        BundleDeployer.Inspection inspection = deployer.inspect(staged);
        if (inspection.refusal() == null) {
            return inspection;
        }
        Reason reason = switch (inspection.refusal()) {
            case NOT_A_JAR -> Reason.NOT_A_JAR;
            case NOT_A_BUNDLE -> Reason.NOT_A_BUNDLE;
            case EXIT_CALL -> Reason.EXIT_CALL;
            case UNRESOLVABLE -> Reason.UNRESOLVABLE;
        };
        throw new AdminException(reason, "the jar was refused: " + inspection.detail());
    }

    /** Copies an upload into a hidden file of the deploy folder (the watcher ignores it), up to the limit. */
    private Path receive(InputStream jar) {
        Path staged;
        try {
            Files.createDirectories(bundlesDir);
            staged = bundlesDir.resolve(STAGING_PREFIX + UUID.randomUUID() + ".upload");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the deploy folder " + bundlesDir, e);
        }
        long total = 0;
        try (OutputStream out = Files.newOutputStream(staged)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = jar.read(buffer)) > 0;) {
                total += n;
                if (total > settings.maxUploadBytes()) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staged);
            if (e instanceof AdminException refused) {
                throw refused;
            }
            if (e instanceof IOException io) {
                throw new AdminException(Reason.BAD_REQUEST, "the upload could not be read: " + io.getMessage());
            }
            throw (RuntimeException) e;
        }
        if (total == 0) {
            deleteQuietly(staged);
            throw new AdminException(Reason.BAD_REQUEST, "the upload is empty; send the jar's bytes");
        }
        return staged;
    }

    private AdminException tooLarge() {
        return new AdminException(Reason.TOO_LARGE, "the jar is larger than the limit of " + settings.maxUploadBytes()
                + " bytes (setting admin.maxUploadBytes)");
    }

    /** Moves a file over the target in one step, so that the watcher never sees half a jar. */
    private static void land(Path from, Path target) {
        try {
            try {
                Files.move(from, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.fine(() -> "Could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    private Module module(BundleReport r) {
        Module.Provides provides = r.bundleId() == null ? Module.Provides.NOTHING
                : new Module.Provides(keys(catalog.tools(), r.bundleId()), concat(keys(catalog.resources(), r.bundleId()),
                        keys(catalog.templates(), r.bundleId())), keys(catalog.prompts(), r.bundleId()));
        return new Module(r.symbolicName(), r.version(), r.state(), r.file(), provides, r.error(), r.problems());
    }

    private static <T extends CatalogEntry> List<String> keys(Entries<T> entries, long bundleId) {
        return entries.all().stream().filter(e -> e.provider().bundleId() == bundleId).map(CatalogEntry::key).sorted()
                .toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
