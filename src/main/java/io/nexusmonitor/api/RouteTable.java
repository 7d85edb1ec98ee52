package io.nexusmonitor.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Method + path template ({@code /api/backends/{id}/pin}) to endpoint. Matching knows the
 * difference between "no such path" (404) and "path exists, wrong method" (405 with the allowed
 * methods), which a plain path mapping does not.
 */
final class RouteTable {

    private record Route(String method, String[] segments, Endpoint endpoint) {}

    /** The outcome of a lookup: an endpoint with its parameters, or why there is none. */
    record Match(@Nullable Endpoint endpoint, Map<String, String> params, Set<String> allowed) {
        boolean found() {
            return endpoint != null;
        }

        boolean pathExists() {
            return !allowed.isEmpty();
        }
    }

    private final List<Route> routes = new ArrayList<>();

    RouteTable add(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, split(template), endpoint));
        return this;
    }

    Match match(String method, String path) {
        String[] parts = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), parts);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)
                    || (method.equals("HEAD") && r.method().equals("GET"))) {
                return new Match(r.endpoint(), params, Set.of());
            }
            allowed.add(r.method());
        }
        return new Match(null, Map.of(), allowed);
    }

    private static @Nullable Map<String, String> bind(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>(2);
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals("/") || p.isEmpty() ? new String[0] : p.substring(1).split("/", -1);
    }
}
