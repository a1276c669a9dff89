package dev.plugboard.host.admin;

import java.net.URI;
import java.util.List;

/**
 * Settings of module administration.
 *
 * @param maxUploadBytes the largest jar accepted by upload or from a URL ({@code admin.maxUploadBytes})
 * @param installUrls the URL prefixes a module may be installed from ({@code admin.installUrls},
 *     comma-separated); empty refuses every URL. A URL matches a prefix when scheme, host and port
 *     are equal and its normalised path starts with the prefix's path at a segment boundary
 */
public record AdminSettings(long maxUploadBytes, List<URI> installUrls) {

    /** The default upload limit: 50 MiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 50L * 1024 * 1024;

    /** Copies the list; checks the limit. */
    public AdminSettings {
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("setting 'admin.maxUploadBytes' must be positive");
        }
        installUrls = List.copyOf(installUrls);
    }

    /**
     * Parses the comma-separated {@code admin.installUrls} setting.
     *
     * @throws IllegalArgumentException naming the setting and the entry that is not an http(s) URL
     */
    public static List<URI> parseInstallUrls(String setting) {
        return java.util.Arrays.stream(setting.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            try {
                URI u = new URI(s).normalize();
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException("setting 'admin.installUrls' holds '" + s
                            + "', which is not an http or https URL");
                }
                return u;
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("setting 'admin.installUrls' holds '" + s + "', which is not a URL");
            }
        }).toList();
    }

    /** Whether a module may be installed from this URL. */
    public boolean allows(URI url) {
        URI u = url.normalize();
        if (u.getScheme() == null || u.getHost() == null || u.getRawPath() == null || u.getRawUserInfo() != null
                || u.getRawPath().contains("/../") || u.getRawPath().endsWith("/..")) {
            return false;
        }
        for (URI prefix : installUrls) {
            if (prefix.getScheme().equalsIgnoreCase(u.getScheme()) && prefix.getHost().equalsIgnoreCase(u.getHost())
                    && port(prefix) == port(u) && underPath(u.getRawPath(), prefix.getRawPath())) {
                return true;
            }
        }
        return false;
    }

    private static boolean underPath(String path, String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.equals("/")) {
            return true;
        }
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix);
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
