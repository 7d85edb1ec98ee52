package io.nexusmonitor.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.tomlj.TomlArray;

/**
 * {@code [federation]}: the etcd cluster monitors of several segments share their backends through,
 * this monitor's site name and key prefix, what it publishes and imports, and how it authenticates
 * (TLS files, user and password from the environment). The password variable must be set when the
 * file is read, so {@code config check} finds a missing one; the TLS files are read when the
 * connection starts.
 */
final class FederationReader {
    /** A site is one path segment of an etcd key: letters, digits, {@code . _ -}. */
    static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PREFIX = Pattern.compile("/([A-Za-z0-9._-]+/)*");

    private FederationReader() {}

    static NexusConfig.Federation read(TableReader t, Function<String, String> env) {
        boolean tls = t.has("ca_file") || t.has("cert_file");
        List<String> endpoints = t.strings("etcd_endpoints", List.of(), s -> endpoint(s, tls));
        if (!t.has("etcd_endpoints")) {
            t.error(
                    "etcd_endpoints",
                    "expected the etcd endpoints to share backends through, like [\"http://10.0.0.5:2379\"]"
                            + " (leave [federation] out to share nothing)");
        } else if (t.raw("etcd_endpoints") instanceof TomlArray a && a.isEmpty()) {
            t.error("etcd_endpoints", "expected at least one endpoint, like \"http://10.0.0.5:2379\"");
        }
        String site = t.optionalString("site").map(String::trim).orElse(defaultSite());
        if (t.has("site") && !SITE.matcher(site).matches()) {
            t.error(
                    "site",
                    "expected a site name of 1 to 63 letters, digits, '.', '_' or '-' (no '/'), found \"" + site
                            + "\"");
        }
        String prefix =
                t.string("prefix", NexusConfig.Federation.DEFAULT_PREFIX).trim();
        if (!PREFIX.matcher(prefix).matches()) {
            t.error(
                    "prefix",
                    "expected a key prefix that starts and ends with '/', like \"/nexus-monitor/\", found \"" + prefix
                            + "\"");
            prefix = NexusConfig.Federation.DEFAULT_PREFIX;
        }
        boolean publish = t.bool("publish", true);
        boolean importRemote = t.bool("import", true);
        boolean routeRemote = t.bool("route_remote", true);
        boolean checkRemote = t.bool("check_remote", true);
        Path ca = file(t, "ca_file");
        Path cert = file(t, "cert_file");
        Path key = file(t, "key_file");
        if (t.has("cert_file") != t.has("key_file")) {
            t.error(
                    t.has("cert_file") ? "cert_file" : "key_file",
                    "set cert_file and key_file together (a client certificate and its private key)");
        }
        String user = t.optionalString("username").map(String::trim).orElse(null);
        if (user != null && user.isEmpty()) {
            t.error("username", "expected an etcd user name, or leave the key out");
            user = null;
        }
        Optional<String> passwordEnv = t.optionalString("password_env").map(String::trim);
        String password = null;
        if (passwordEnv.isPresent()) {
            String name = passwordEnv.get();
            if (!ENV_NAME.matcher(name).matches()) {
                t.error(
                        "password_env",
                        "expected the name of an environment variable (letters, digits, _), found \"" + name + "\"");
            } else if (user == null) {
                t.error("password_env", "a password needs a username");
            } else {
                String value = env.apply(name);
                if (value == null || value.isEmpty()) {
                    t.error(
                            "password_env",
                            "the environment variable " + name + " is " + (value == null ? "not set" : "empty")
                                    + " (set it where nexus-monitor runs)");
                } else {
                    password = value;
                }
            }
        } else if (user != null) {
            t.error("username", "an etcd user needs password_env, the environment variable holding its password");
        }
        t.warnUnknownKeys();
        return new NexusConfig.Federation(
                endpoints,
                site,
                prefix,
                publish,
                importRemote,
                routeRemote,
                checkRemote,
                ca,
                cert,
                key,
                user,
                password,
                passwordEnv.orElse(null));
    }

    /** {@code host:port} gets http (https when a CA or client certificate is set); a path is refused. */
    static TableReader.Checked endpoint(String s, boolean tls) {
        String v = s.trim();
        String withScheme = v.contains("://") ? v : (tls ? "https://" : "http://") + v;
        try {
            URI u = new URI(withScheme);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean bare =
                    (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))
                            && u.getQuery() == null
                            && u.getFragment() == null
                            && u.getUserInfo() == null;
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getPort() > 0 && bare) {
                return TableReader.Checked.ok(scheme + "://" + u.getRawAuthority());
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        return TableReader.Checked.bad("expected an etcd client endpoint as http://host:port or https://host:port"
                + " (etcd's default client port is 2379), found \"" + s + "\"");
    }

    private static @Nullable Path file(TableReader t, String key) {
        Optional<String> v = t.optionalString(key);
        if (v.isEmpty()) {
            return null;
        }
        if (v.get().isBlank()) {
            t.error(key, "expected the path of a PEM file, or leave the key out");
            return null;
        }
        // read when the connection starts (a file that cannot be read is reported then, with its path)
        return Path.of(v.get().trim());
    }

    /** This machine's host name as a site name: the first label, cut to what {@link #SITE} allows. */
    static String defaultSite() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (java.io.IOException | RuntimeException e) {
                host = "";
            }
        }
        if (host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "nexus";
            }
        }
        String first = host.trim().split("\\.", 2)[0].replaceAll("[^A-Za-z0-9._-]", "-");
        if (first.isEmpty() || !Character.isLetterOrDigit(first.charAt(0))) {
            first = "site" + first;
        }
        return first.length() > 63 ? first.substring(0, 63) : first;
    }
}
