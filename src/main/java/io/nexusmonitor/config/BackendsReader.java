package io.nexusmonitor.config;

import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.UrlNormalizer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * {@code [[backends]]}: static backends. URLs are normalised (the registry's identity), so two
 * spellings of one server are caught as duplicates here rather than at start.
 */
final class BackendsReader {
    private static final int OLLAMA_PORT = 11434;

    private BackendsReader() {
    }

    static List<NexusConfig.StaticBackend> read(TableReader root) {
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
                root.diagnostics().error("backends[" + i + "]", array.inputPositionOf(i),
                        "expected a table (url = ..., name = ...), found " + TableReader.describe(array.get(i)));
                continue;
            }
            TomlPosition at = array.inputPositionOf(i);
            TableReader t = new TableReader(root.diagnostics(), (TomlTable) array.get(i), "backends[" + i + "]",
                    "backends[]", at);
            readOne(t, at).ifPresent(b -> {
                NexusConfig.StaticBackend sameUrl = byUrl.putIfAbsent(b.url(), b);
                // only names written in the file must be unique; a name taken from the URL is a label
                NexusConfig.StaticBackend sameName = t.has("name") ? byName.putIfAbsent(b.name(), b) : null;
                if (sameUrl != null) {
                    t.error("url", "the same URL as backend '" + sameUrl.name() + "' at "
                            + sameUrl.location() + " (" + b.url() + "): list each server once");
                } else if (sameName != null) {
                    t.error("name", "the same name as the backend at " + sameName.location()
                            + ": names must be unique");
                } else {
                    out.add(b);
                }
            });
        }
        return out;
    }

    private static Optional<NexusConfig.StaticBackend> readOne(TableReader t, TomlPosition at) {
        int before = t.diagnostics().errors().size();
        String url = null;
        Optional<String> rawUrl = t.optionalString("url");
        if (rawUrl.isEmpty() && !t.has("url")) {
            t.diagnostics().error(t.pathOf("url"), at, "missing: every backend needs a url, e.g. url = \"http://gpu-box:11434\"");
        } else if (rawUrl.isPresent()) {
            try {
                url = UrlNormalizer.normalize(rawUrl.get());
            } catch (IllegalArgumentException e) {
                t.error("url", e.getMessage());
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
        t.warnUnknownKeys();
        if (t.diagnostics().errors().size() > before || url == null) {
            return Optional.empty();
        }
        URI uri = URI.create(url);
        String n = name.map(String::trim).orElse(uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost());
        BackendType ty = type != null ? type : uri.getPort() == OLLAMA_PORT ? BackendType.OLLAMA : BackendType.GENERIC;
        String location = t.diagnostics().file() + ":" + (at == null ? 0 : at.line());
        return Optional.of(new NexusConfig.StaticBackend(n, url, ty, priority, location));
    }
}
