package io.nexusmonitor.api;

import io.nexusmonitor.registry.LogOnce;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gateway from proxying to itself, in two ways.
 *
 * <p>By address: a backend whose URL points at the address this server listens on (any alias of
 * it: every {@code 127.x.x.x} with our port when bound to IPv4 loopback, {@code ::1} when bound to
 * it, every local interface address when bound to {@code 0.0.0.0} or {@code ::}, {@code localhost},
 * {@code 0.0.0.0}, the configured host) is skipped before a request is sent; and the client's
 * address resolver refuses to connect to such an address whatever name led there, so a DNS name
 * for this machine is caught too. The port is known only after the server started, so it is read
 * lazily. The addresses are read by {@link #refresh()}, which the server calls when it starts and
 * then every {@value #REFRESH_SECONDS} s on its own timer thread when they can change (a wildcard
 * bind, a host name): listing interfaces and resolving names never runs on a request's thread.
 *
 * <p>By marker: every proxied request carries {@value #HOP_HEADER} with the ids of the monitors it
 * passed, this one's last. A request that arrives with this instance's id has come round in a
 * circle (a path the address check cannot see, as a NAT or a second name) and is refused with 508
 * before routing, as is one that passed more than {@value #MAX_HOPS} monitors. Another monitor's
 * id passes, so monitors can be chained.
 */
final class LoopGuard {
    private static final Logger log = LoggerFactory.getLogger(LoopGuard.class);

    static final String HOP_HEADER = "X-Nexus-Hop";
    static final int MAX_HOPS = 8;
    static final int REFRESH_SECONDS = 30;
    private static final int VERDICT_CACHE_LIMIT = 10_000;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String id;
    private final HttpField ownHop;
    private final String bindHost;
    private final IntSupplier port;
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();
    private final LogOnce warned = new LogOnce(1024);
    private volatile @Nullable Addresses addresses;

    /**
     * @param bindHost the configured {@code [server] host}
     * @param port     the port the server listens on (the real one once started)
     */
    LoopGuard(String bindHost, IntSupplier port) {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.id = HexFormat.of().formatHex(random);
        this.ownHop = new HttpField(HOP_HEADER, id);
        this.bindHost = stripBrackets(bindHost.trim());
        this.port = port;
    }

    /** This instance's id in {@value #HOP_HEADER}. */
    String id() {
        return id;
    }

    // --- the marker ------------------------------------------------------------------------------

    /** The monitor ids a request passed, or null when it carries none (the usual case: no allocation). */
    static @Nullable List<String> hops(HttpFields request) {
        HttpField first = request.getField(HOP_HEADER);
        if (first == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (String value : request.getValuesList(HOP_HEADER)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    ids.add(t);
                }
            }
        }
        return ids;
    }

    /** Why a request that passed these monitors must not be routed (508), or null when it may be. */
    @Nullable
    ApiError refusal(@Nullable List<String> hops) {
        if (hops == null) {
            return null;
        }
        if (hops.contains(id)) {
            return loop("this request has already passed this gateway (its " + HOP_HEADER + " header carries this "
                    + "instance's id): a backend leads back here, so it is not forwarded again");
        }
        if (hops.size() > MAX_HOPS) {
            return loop("this request has passed " + hops.size() + " gateways (" + HOP_HEADER + "), more than "
                    + MAX_HOPS + "; it is not forwarded further");
        }
        return null;
    }

    /** The {@value #HOP_HEADER} field to send upstream: the ids the request passed, then ours. */
    HttpField forward(@Nullable List<String> hops) {
        if (hops == null || hops.isEmpty()) {
            return ownHop;
        }
        return new HttpField(HOP_HEADER, String.join(", ", hops) + ", " + id);
    }

    static ApiError loop(String message) {
        return new ApiError(508, ApiError.SERVER_ERROR, "loop_detected", message);
    }

    // --- the address -----------------------------------------------------------------------------

    /** True the first time a loop through this backend URL is reported (bounded), so the log says it once. */
    boolean firstWarning(String backendUrl) {
        return warned.first(backendUrl, log, "backends that would loop");
    }

    /** Whether this backend URL points at this server (cached per URL; names other than localhost and the configured host are left to the resolver). */
    boolean pointsHere(String backendUrl) {
        Boolean cached = verdicts.get(backendUrl);
        if (cached != null) {
            return cached;
        }
        boolean here = computePointsHere(backendUrl);
        if (verdicts.size() >= VERDICT_CACHE_LIMIT) {
            verdicts.clear();
        }
        verdicts.put(backendUrl, here);
        return here;
    }

    private boolean computePointsHere(String backendUrl) {
        URI uri;
        try {
            uri = URI.create(backendUrl);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        host = stripBrackets(host).toLowerCase(Locale.ROOT);
        int p = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (p != port.getAsInt()) {
            return false;
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            Addresses a = addresses();
            return a.wildcard || a.loopbackV4 || a.loopbackV6;
        }
        if (host.equalsIgnoreCase(bindHost)) {
            return true;
        }
        InetAddress literal = literal(host);
        return literal != null && isSelf(literal, p);
    }

    /** Whether a connection to this address and port would reach this server. */
    boolean isSelf(InetAddress address, int p) {
        if (p != port.getAsInt()) {
            return false;
        }
        Addresses a = addresses();
        if (address.isAnyLocalAddress()) { // connecting to 0.0.0.0 or :: reaches this host
            return a.wildcard || a.loopbackV4 || a.loopbackV6 || !a.local.isEmpty();
        }
        if (a.wildcard) {
            return address.isLoopbackAddress() || a.local.contains(address);
        }
        if (address.isLoopbackAddress()) {
            return address instanceof Inet4Address ? a.loopbackV4 : a.loopbackV6;
        }
        return a.local.contains(address);
    }

    /**
     * The client's resolver with our own addresses removed: a backend name that resolves only to
     * this server fails to connect with {@link SelfAddress} instead of sending the request here.
     */
    SocketAddressResolver resolver(HttpClient client) {
        return new SocketAddressResolver() {
            private volatile @Nullable SocketAddressResolver delegate;

            @Override
            public void resolve(
                    String host, int p, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
                SocketAddressResolver d = delegate;
                if (d == null) {
                    d = new SocketAddressResolver.Async(
                            client.getExecutor(), client.getScheduler(), client.getAddressResolutionTimeout());
                    delegate = d;
                }
                d.resolve(
                        host,
                        p,
                        context,
                        Promise.from(
                                list -> {
                                    List<InetSocketAddress> others = new ArrayList<>(list.size());
                                    for (InetSocketAddress a : list) {
                                        if (a.getAddress() == null || !isSelf(a.getAddress(), a.getPort())) {
                                            others.add(a);
                                        }
                                    }
                                    if (others.isEmpty() && !list.isEmpty()) {
                                        promise.failed(new SelfAddress(host, p));
                                    } else {
                                        promise.succeeded(others);
                                    }
                                },
                                promise::failed));
            }
        };
    }

    /** A backend address that is this server's own: the connection is not made. */
    static final class SelfAddress extends IOException {
        SelfAddress(String host, int port) {
            super(host + ":" + port + " is this gateway's own address", null);
        }
    }

    /**
     * Reads what "this server" means now (interfaces, the bind host's addresses) and forgets the
     * cached verdicts. Called off the request path; returns whether the addresses can change, so
     * the caller knows whether to call it again.
     */
    boolean refresh() {
        Addresses a = read();
        addresses = a;
        verdicts.clear();
        return a.changes;
    }

    /** The addresses {@link #refresh()} read; read here only when nothing has yet (a guard used before its server started). */
    private Addresses addresses() {
        Addresses a = addresses;
        if (a == null) {
            a = read();
            addresses = a;
        }
        return a;
    }

    /** What "this server" means for the bound host. */
    private Addresses read() {
        InetAddress bind = literal(bindHost);
        boolean loopbackName = bindHost.equalsIgnoreCase("localhost");
        Set<InetAddress> local = new HashSet<>();
        boolean wildcard = bind != null && bind.isAnyLocalAddress();
        boolean v4 = loopbackName || (bind != null && bind.isLoopbackAddress() && bind instanceof Inet4Address);
        boolean v6 = loopbackName || (bind != null && bind.isLoopbackAddress() && !(bind instanceof Inet4Address));
        if (wildcard) {
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    local.addAll(Collections.list(ni.getInetAddresses()));
                }
            } catch (SocketException e) {
                // no interface list: loopback and the wildcard itself still count as ours
            }
        } else if (bind != null) {
            local.add(bind);
        } else if (!loopbackName) {
            try { // a host name in [server] host: the addresses it was bound to
                for (InetAddress x : InetAddress.getAllByName(bindHost)) {
                    if (x.isLoopbackAddress()) {
                        v4 |= x instanceof Inet4Address;
                        v6 |= !(x instanceof Inet4Address);
                    } else {
                        local.add(x);
                    }
                }
            } catch (UnknownHostException e) {
                // the server could not have bound to it either
            }
        }
        // interface addresses and names can change while running; a literal bind address cannot
        boolean changes = wildcard || (bind == null && !loopbackName);
        return new Addresses(wildcard, v4, v6, Set.copyOf(local), changes);
    }

    /** @param changes whether to read them again after a while (interfaces, a host name) */
    private record Addresses(
            boolean wildcard, boolean loopbackV4, boolean loopbackV6, Set<InetAddress> local, boolean changes) {}

    /** The address of an IP literal, without a DNS lookup; null for a name. */
    private static @Nullable InetAddress literal(String host) {
        String h = stripBrackets(host);
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
