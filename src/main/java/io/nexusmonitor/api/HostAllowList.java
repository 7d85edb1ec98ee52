package io.nexusmonitor.api;

import io.nexusmonitor.config.HostNames;
import io.nexusmonitor.registry.LogOnce;
import io.nexusmonitor.registry.LogText;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which names this server answers for, checked on every request before anything else: a page that
 * re-points its own DNS name at 127.0.0.1 (DNS rebinding) reaches the port, but its requests carry
 * its own name in {@code Host}, and are refused. Allowed: {@code localhost}, {@code 127.0.0.1},
 * {@code [::1]}, the bind address, and {@code [server] allowed_hosts}; each with the port the
 * server listens on or with none (an {@code allowed_hosts} entry with a port allows that port too).
 * Bound to {@code 0.0.0.0} or {@code ::}, any address of this machine's own interfaces is allowed
 * as an IP literal as well (names of the machine still need {@code allowed_hosts}). Both the
 * {@code Host} header and the host of an absolute-form request target must pass; a request without
 * {@code Host} (HTTP/1.0) is refused.
 */
final class HostAllowList {
    private static final Logger log = LoggerFactory.getLogger(HostAllowList.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final long INTERFACE_REFRESH_NANOS = 10_000_000_000L;

    private final Set<String> names;
    private final Set<String> namesWithPort;
    private final boolean wildcardBind;
    private final IntSupplier listeningPort;
    private final LogOnce refused = new LogOnce(256);
    /** Host values seen allowed, as sent: the check per request is then one lookup (bounded: allowed values are few). */
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> allowedSeen =
            new java.util.concurrent.ConcurrentHashMap<>();

    private volatile Set<String> interfaceAddresses = Set.of();
    private volatile long interfacesReadAt;

    HostAllowList(String bindHost, List<String> allowedHosts, IntSupplier listeningPort) {
        this.listeningPort = listeningPort;
        Set<String> n = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        Set<String> p = new HashSet<>();
        Optional<HostNames.Authority> bind = HostNames.authority(bindHost);
        wildcardBind = isWildcard(bindHost);
        if (bind.isPresent() && !wildcardBind) {
            n.add(bind.get().host());
        }
        for (String h : allowedHosts) {
            HostNames.authority(h).ifPresent(a -> {
                if (a.port() < 0) {
                    n.add(a.host());
                } else {
                    p.add(a.toString());
                }
            });
        }
        names = Collections.unmodifiableSet(n);
        namesWithPort = Set.copyOf(p);
        if (wildcardBind) {
            refreshInterfaces();
        }
    }

    static boolean isWildcard(String bindHost) {
        String h = bindHost.trim();
        return h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
    }

    /** @return null when the request's Host (and absolute-form target, if any) is allowed, else the 403 */
    @Nullable
    ApiError check(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            logOnce("(none)", "a request without a Host header (HTTP/1.0)");
            return refusal("the request has no Host header; send 'Host: 127.0.0.1:" + listeningPort.getAsInt()
                    + "' (or a name listed in [server] allowed_hosts)");
        }
        if (!allows(host)) {
            return refused(host);
        }
        HttpURI uri = request.getHttpURI();
        String target = uri.getHost();
        if (target != null && !target.isEmpty()) {
            String t = target.contains(":") && !target.startsWith("[") ? "[" + target + "]" : target;
            String authority = uri.getPort() > 0 ? t + ":" + uri.getPort() : t;
            if (!allows(authority)) {
                return refused(authority);
            }
        }
        return null;
    }

    boolean allows(String hostHeader) {
        if (allowedSeen.containsKey(hostHeader)) {
            return true;
        }
        boolean ok = decide(hostHeader);
        if (ok && allowedSeen.size() < 64) {
            allowedSeen.put(hostHeader, Boolean.TRUE);
        }
        return ok;
    }

    private boolean decide(String hostHeader) {
        Optional<HostNames.Authority> parsed = HostNames.authority(hostHeader);
        if (parsed.isEmpty()) {
            return false;
        }
        HostNames.Authority a = parsed.get();
        if (namesWithPort.contains(a.toString())) {
            return true;
        }
        if (a.port() >= 0 && a.port() != listeningPort.getAsInt()) {
            return false;
        }
        return names.contains(a.host()) || (wildcardBind && isOwnAddress(a.host()));
    }

    /** An IP literal that one of this machine's interfaces has (never a DNS lookup: names are not resolved). */
    private boolean isOwnAddress(String host) {
        String key = literalKey(host);
        if (key == null) {
            return false;
        }
        if (interfaceAddresses.contains(key)) {
            return true;
        }
        // an address may have been added since (DHCP, a VPN): look again, at most every 10 s
        if (System.nanoTime() - interfacesReadAt > INTERFACE_REFRESH_NANOS) {
            refreshInterfaces();
            return interfaceAddresses.contains(key);
        }
        return false;
    }

    /** The address bytes of an IPv4 or bracketed IPv6 literal as hex (zone dropped), or null for a name. */
    private static @Nullable String literalKey(String host) {
        String literal;
        if (host.startsWith("[") && host.endsWith("]")) {
            literal = host.substring(1, host.length() - 1);
            int zone = literal.indexOf('%');
            if (zone >= 0) {
                literal = literal.substring(0, zone);
            }
        } else if (IPV4.matcher(host).matches()) {
            literal = host;
        } else {
            return null;
        }
        try {
            // a literal: InetAddress parses it without any lookup
            return HexFormat.of().formatHex(InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private synchronized void refreshInterfaces() {
        Set<String> found = new HashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    found.add(HexFormat.of().formatHex(a.getAddress()));
                }
            }
        } catch (SocketException | RuntimeException e) {
            log.debug("cannot list network interfaces: {}", e.toString());
        }
        interfaceAddresses = Set.copyOf(found);
        interfacesReadAt = System.nanoTime();
    }

    private ApiError refused(String host) {
        String shown = LogText.of(host);
        logOnce(shown, "Host '" + shown + "'");
        return refusal("this server does not answer for host '" + shown + "' (a web page may be trying DNS "
                + "rebinding); it answers for localhost, 127.0.0.1, [::1], its bind address and the names in "
                + "[server] allowed_hosts");
    }

    private void logOnce(String key, String what) {
        if (refused.first(key, log, "Host names refused")) {
            log.warn(
                    "refused {}: not an allowed host name of this server; if you reach it by this name, add it to "
                            + "[server] allowed_hosts (logged once per name)",
                    what);
        }
    }

    private static ApiError refusal(String message) {
        return new ApiError(403, "permission_error", "host_not_allowed", message);
    }
}
