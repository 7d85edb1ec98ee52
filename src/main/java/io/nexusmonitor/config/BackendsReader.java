package io.nexusmonitor.config;

import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.Credential;
import io.nexusmonitor.registry.UrlNormalizer;
import io.nexusmonitor.registry.WakeOnLan;
import io.nexusmonitor.registry.WakeTargets;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * {@code [[backends]]}: static backends. URLs are normalised (the registry's identity), so two
 * spellings of one server are caught as duplicates here rather than at start.
 */
final class BackendsReader {
    private static final int OLLAMA_PORT = 11434;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private BackendsReader() {}

    /**
     * The {@code [[backends]]} tables, held to {@code [limits]} as the registry holds them: a name
     * written in the file longer than {@code max_name_length}, or more backends than
     * {@code max_backends}, is an error here, since the engine would cut the one and drop the other.
     */
    static List<NexusConfig.StaticBackend> read(
            TableReader root, Function<String, String> env, NexusConfig.Limits limits) {
        root.declare("backends");
        Object v = root.raw("backends");
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof TomlArray)) {
            root.error("backends", "expected [[backends]] tables, found " + TableReader.describe(v));
            return List.of();
        }
        TomlArray array = (TomlArray) v;
        List<NexusConfig.StaticBackend> out = new ArrayList<>();
        Map<String, NexusConfig.StaticBackend> byUrl = new HashMap<>();
        Map<String, NexusConfig.StaticBackend> byName = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable)) {
                root.diagnostics()
                        .error(
                                "backends[" + i + "]",
                                array.inputPositionOf(i),
                                "expected a table (url = ..., name = ...), found "
                                        + TableReader.describe(array.get(i)));
                continue;
            }
            TomlPosition at = array.inputPositionOf(i);
            String path = "backends[" + i + "]";
            TableReader t = new TableReader(root.diagnostics(), (TomlTable) array.get(i), path, "backends[]", at);
            readOne(t, at, env).ifPresent(b -> {
                NexusConfig.StaticBackend sameUrl = byUrl.putIfAbsent(b.url(), b);
                // only names written in the file must be unique; a name taken from the URL is a label
                NexusConfig.StaticBackend sameName = t.has("name") ? byName.putIfAbsent(b.name(), b) : null;
                if (sameUrl != null) {
                    t.error(
                            "url",
                            "the same URL as backend '" + sameUrl.name() + "' at " + sameUrl.location() + " (" + b.url()
                                    + "): list each server once");
                } else if (sameName != null) {
                    t.error(
                            "name",
                            "the same name as the backend at " + sameName.location() + ": names must be unique");
                } else if (t.has("name") && b.name().length() > limits.maxNameLength()) {
                    t.error(
                            "name",
                            "a name of " + b.name().length() + " characters; [limits].max_name_length is "
                                    + limits.maxNameLength());
                } else if (out.size() >= limits.maxBackends()) {
                    root.diagnostics()
                            .error(
                                    path,
                                    at,
                                    "more [[backends]] than" + " [limits].max_backends (" + limits.maxBackends()
                                            + ") allows");
                } else {
                    out.add(b);
                }
            });
        }
        return out;
    }

    private static Optional<NexusConfig.StaticBackend> readOne(
            TableReader t, TomlPosition at, Function<String, String> env) {
        int before = t.diagnostics().errors().size();
        String url = null;
        Optional<String> rawUrl = t.optionalString("url");
        if (rawUrl.isEmpty() && !t.has("url")) {
            t.diagnostics()
                    .error(
                            t.pathOf("url"),
                            at,
                            "missing: every backend needs a url, e.g. url = \"http://gpu-box:11434\"");
        } else if (rawUrl.isPresent()) {
            try {
                url = UrlNormalizer.normalize(rawUrl.get());
            } catch (IllegalArgumentException e) {
                t.error("url", Objects.requireNonNullElse(e.getMessage(), "not a valid URL"));
            }
        }
        Optional<String> name = t.optionalString("name");
        if (name.isPresent() && name.get().isBlank()) {
            t.error("name", "expected a non-empty name, or leave the key out to use the URL's host");
        }
        BackendType type = null;
        Optional<String> rawType = t.optionalString("type");
        if (rawType.isPresent()) {
            type = BackendType.parse(rawType.get()).orElse(null);
            if (type == null) {
                t.error("type", "expected one of " + BackendType.choices() + ", found \"" + rawType.get() + "\"");
            }
        }
        int priority = t.integer("priority", NexusConfig.StaticBackend.DEFAULT_PRIORITY, 0, Integer.MAX_VALUE);
        BackendSettings settings = settings(t, env);
        t.warnUnknownKeys();
        if (t.diagnostics().errors().size() > before || url == null) {
            return Optional.empty();
        }
        URI uri = URI.create(url);
        String n =
                name.map(String::trim).orElse(uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
        BackendType ty = type != null ? type : uri.getPort() == OLLAMA_PORT ? BackendType.OLLAMA : BackendType.GENERIC;
        String location = t.diagnostics().file() + ":" + (at == null ? 0 : at.line());
        return Optional.of(new NexusConfig.StaticBackend(n, url, ty, priority, location, settings));
    }

    /**
     * Wake-on-LAN: {@code mac} (six hex pairs), {@code wake_on_lan} (default false),
     * {@code wake_broadcast} ({@code host} or {@code host:port}, default 255.255.255.255 port 9) and
     * {@code wake_timeout_seconds} (default 120); null when none is set.
     */
    private static @Nullable WakeOnLan wake(TableReader t) {
        Optional<String> mac = t.optionalString("mac");
        boolean enabled = t.bool("wake_on_lan", false);
        Optional<String> broadcast = t.optionalString("wake_broadcast");
        int timeout =
                t.integer("wake_timeout_seconds", WakeOnLan.DEFAULT_TIMEOUT_SECONDS, 1, WakeOnLan.MAX_TIMEOUT_SECONDS);
        String m = null;
        if (mac.isPresent()) {
            m = WakeOnLan.normalizeMac(mac.get());
            if (m == null) {
                t.error("mac", WakeOnLan.macProblem() + ", found \"" + mac.get() + "\"");
            }
        }
        String b = null;
        if (broadcast.isPresent()) {
            String why = WakeTargets.problem(broadcast.get());
            if (why != null) {
                t.error("wake_broadcast", why);
            } else {
                b = broadcast.get().strip();
            }
        }
        if (m == null && !enabled && b == null && !t.has("wake_timeout_seconds")) {
            return null;
        }
        return new WakeOnLan(m, enabled, b, timeout);
    }

    /** Like {@link TableReader#optionalString}, but a value of another type is not echoed: it may be a key. */
    private static Optional<String> secretString(TableReader t, String key) {
        t.declare(key);
        Object v = t.raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String)) {
            t.error(key, "expected a string (the key, in quotes)");
            return Optional.empty();
        }
        return Optional.of((String) v);
    }

    /**
     * {@code max_concurrent} (1 or more; capacity with source config), {@code weight} (1 or more,
     * default 1), and the credential: {@code api_key} or {@code api_key_env} (at most one of them; the
     * variable must be set when the file is read, so {@code config check} finds a missing one and the
     * program never starts with a backend it cannot authenticate to), {@code forward_client_auth}
     * (default false). No message repeats a key.
     */
    private static BackendSettings settings(TableReader t, Function<String, String> env) {
        BackendSettings s = BackendSettings.DEFAULTS;
        if (t.has("max_concurrent")) {
            int n = t.integer("max_concurrent", 1, 1, BackendSettings.MAX_CAPACITY);
            s = s.withCapacity(n, BackendSettings.CapacitySource.CONFIG);
        } else {
            t.declare("max_concurrent");
        }
        s = s.withWeight(t.integer("weight", BackendSettings.DEFAULT_WEIGHT, 1, BackendSettings.MAX_WEIGHT));
        s = s.withWake(wake(t));
        boolean forward = t.bool("forward_client_auth", false);
        Optional<String> key = secretString(t, "api_key");
        Optional<String> envName = t.optionalString("api_key_env");
        String secret = null;
        String from = null;
        if (key.isPresent() && envName.isPresent()) {
            t.error("api_key_env", "set either api_key or api_key_env, not both");
            return s;
        }
        if (key.isPresent()) {
            String why = Credential.problem(key.get());
            if (why != null) {
                t.error("api_key", why);
                return s;
            }
            secret = key.get();
        } else if (envName.isPresent()) {
            String name = envName.get().trim();
            if (!ENV_NAME.matcher(name).matches()) {
                t.error(
                        "api_key_env",
                        "expected the name of an environment variable (letters, digits, _), found \"" + envName.get()
                                + "\"");
                return s;
            }
            String value = env.apply(name);
            if (value == null || value.isBlank()) {
                t.error(
                        "api_key_env",
                        "the environment variable " + name + " is " + (value == null ? "not set" : "empty")
                                + " (set it where nexus-monitor runs, or use api_key)");
                return s;
            }
            String why = Credential.problem(value.trim());
            if (why != null) {
                t.error("api_key_env", "the value of " + name + ": " + why);
                return s;
            }
            secret = value.trim();
            from = name;
        }
        if (secret != null || forward) {
            s = s.withCredential(new Credential(secret, from, forward));
        }
        return s;
    }
}
