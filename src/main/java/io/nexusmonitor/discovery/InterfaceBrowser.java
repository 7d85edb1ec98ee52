package io.nexusmonitor.discovery;

import io.nexusmonitor.discovery.logic.DiscoveryEvent;
import io.nexusmonitor.discovery.logic.InstanceKey;
import io.nexusmonitor.discovery.logic.InterfaceChoice;
import io.nexusmonitor.discovery.logic.InterfaceTraffic;
import io.nexusmonitor.discovery.logic.RemovalReason;
import io.nexusmonitor.discovery.logic.ServiceTable;
import io.nexusmonitor.discovery.logic.TxtRecords;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JmDNS bound to one interface address, browsing the configured service types and reporting
 * to the {@link ServiceTable}.
 *
 * <p>JmDNS says "added" before it has the records ("resolved"); only a resolved service becomes a
 * {@code Found}, and an added one without data is resolved explicitly. Both callbacks may repeat,
 * so everything is keyed by the full instance name.
 *
 * <p>Goodbyes: a record with TTL 0 makes JmDNS keep it for one more second (RFC 6762 §10.1) and
 * leave it to its cache reaper, which runs only every 10 s, so its public {@code serviceRemoved}
 * comes up to 11 s after the goodbye. {@link #reap()} runs the same cache clean-up every 100 ms,
 * which makes a goodbye arrive 1.0-1.1 s after it was sent (as with avahi), and before that notes
 * for each expiring service whether it was a goodbye (TTL set to 1 s) or a plain expiry. This
 * uses JmDNS's public cache classes ({@code javax.jmdns.impl}): its record-listener interface
 * ({@code DNSListener}) is package-private and is not told about TTL-0 records anyway.
 *
 * <p>Two JmDNS faults are worked around here. JmDNS tells its listeners nothing when only a
 * service's port changes (its "already resolved" check compares name, TXT and addresses), so
 * {@link #reap()} also watches the SRV records and reports a service again when its port moved.
 * And after an I/O error JmDNS "recovers": it clears its cache without a single removal, so the
 * services found before it would never be removed; {@link #needsRebuild()} says when that
 * happened, and {@link MdnsDiscovery} then replaces this browser by a new one.
 */
final class InterfaceBrowser implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InterfaceBrowser.class);
    /** Wait for a service's records at most this long before reporting what there is. */
    private static final long RESOLVE_WAIT_MS = 1000;

    private static final long EXPIRY_NOTE_MS = 30_000;
    /** JmDNS gives up a recovery after two 5 s waits; one that takes longer is not coming back. */
    private static final long RECOVERY_GIVE_UP_MS = 15_000;

    private record Expiry(RemovalReason reason, long at) {}

    private final InterfaceChoice.Target target;
    private final ServiceTable table;
    private final Executor resolver;
    private final JmDNS jmdns;
    private final List<String> serviceTypes;
    /** Why a browsed service's records expired, noted by {@link #reap()} for the removal that follows. */
    private final Map<InstanceKey, Expiry> expiring = new ConcurrentHashMap<>();
    /** Goodbye-marked records and when the first goodbye marked them; touched only by {@link #reap()}. */
    private final Map<DNSRecord, Long> goodbyeMarks = new IdentityHashMap<>();

    private final ServiceListener listener = new Listener();
    /** The port last reported per instance, to notice a port-only change; see {@link #reap()}. */
    private final Map<InstanceKey, Integer> reportedPorts = new ConcurrentHashMap<>();
    /** The socket JmDNS opened; its recovery replaces it. */
    private final @Nullable Object socketAtOpen;

    private long cancelingSince;
    private volatile boolean recovered;
    /** What {@link #reap()} last counted in the cache, for {@link #traffic()}. */
    private volatile InterfaceTraffic traffic;

    private InterfaceBrowser(
            InterfaceChoice.Target target,
            JmDNS jmdns,
            List<String> serviceTypes,
            ServiceTable table,
            Executor resolver) {
        this.target = target;
        this.jmdns = jmdns;
        this.serviceTypes = List.copyOf(serviceTypes);
        this.table = table;
        this.resolver = resolver;
        this.socketAtOpen = jmdns instanceof JmDNSImpl impl ? impl.getSocket() : null;
        this.traffic = new InterfaceTraffic(target.label(), 0, null, 0);
    }

    /** What this browser has heard, as of the last cache clean-up (at most 100 ms old). */
    InterfaceTraffic traffic() {
        return traffic;
    }

    /**
     * Opens JmDNS on the target's address and starts browsing.
     *
     * @throws IOException when the socket cannot be opened (no multicast, port in use, permission)
     */
    static InterfaceBrowser open(
            InterfaceChoice.Target target,
            String hostName,
            List<String> serviceTypes,
            ServiceTable table,
            Executor resolver)
            throws IOException {
        JmDNS jmdns = JmDNS.create(target.address(), hostName);
        InterfaceBrowser b = new InterfaceBrowser(target, jmdns, serviceTypes, table, resolver);
        for (String type : serviceTypes) {
            jmdns.addServiceListener(type, b.listener);
        }
        return b;
    }

    /** The JmDNS this browser runs, for tests that drive JmDNS's own recovery. */
    JmDNS jmdns() {
        return jmdns;
    }

    InterfaceChoice.Target target() {
        return target;
    }

    /** The browser's key in the service table. */
    String key() {
        return target.label();
    }

    /**
     * Runs JmDNS's cache clean-up now. Before that: a record that a goodbye marked (TTL set to 1 s)
     * expires one second after the <em>first</em> goodbye, as RFC 6762 §10.1 says. JmDNS restarts
     * that second on every repeat (its own responder says goodbye twice, a second apart), which
     * alone would make a goodbye take 2-3 s; so the first time a marked record is seen, its mark
     * time is kept, and at mark + 1 s its TTL is set to 0. Then the service is noted as said
     * goodbye (or expired) and {@link JmDNSImpl#cleanCache()} removes it and tells the listener.
     */
    void reap() {
        if (!(jmdns instanceof JmDNSImpl impl) || impl.isClosing() || impl.isClosed() || recovered) {
            return;
        }
        long now = System.currentTimeMillis();
        if (noticeRecovery(impl, now)) {
            return;
        }
        Map<DNSRecord, Long> stillMarked = new IdentityHashMap<>();
        int records = 0;
        int services = 0;
        long newest = 0;
        for (DNSEntry entry : impl.getCache().allValues()) {
            if (!(entry instanceof DNSRecord r)) {
                continue;
            }
            records++;
            newest = Math.max(newest, r.getCreated());
            if (r.getRecordType() == DNSRecordType.TYPE_SRV && browsedKey(r.getName()) != null) {
                services++;
            }
            boolean marked = r.getTTL() == DNSConstants.RECORD_EXPIRY_DELAY;
            if (!marked && !r.isExpired(now)) {
                if (r instanceof DNSRecord.Service srv) {
                    checkPort(srv);
                }
                continue; // the common case, kept cheap: this runs ten times a second
            }
            InstanceKey instance = instanceOf(r);
            if (instance == null) {
                continue;
            }
            if (marked) {
                long markedAt = goodbyeMarks.getOrDefault(r, r.getCreated());
                stillMarked.put(r, markedAt);
                if (now >= markedAt + DNSConstants.RECORD_EXPIRY_DELAY * 1000L) {
                    r.setTTL(0);
                }
            }
            if (r.isExpired(now)) {
                RemovalReason reason =
                        r.getTTL() <= DNSConstants.RECORD_EXPIRY_DELAY ? RemovalReason.GOODBYE : RemovalReason.EXPIRED;
                expiring.merge(
                        instance, new Expiry(reason, now), (a, b) -> a.reason() == RemovalReason.GOODBYE ? a : b);
            }
        }
        goodbyeMarks.clear();
        goodbyeMarks.putAll(stillMarked);
        Instant before = traffic.lastHeard();
        Instant last = newest > 0 ? Instant.ofEpochMilli(newest) : before;
        if (last == null || before != null && last.isBefore(before)) {
            last = before; // what expired was heard once all the same
        }
        traffic = new InterfaceTraffic(target.label(), records, last, services);
        impl.cleanCache();
        // a note JmDNS never followed with a removal (a service it had not reported) must not pile up
        expiring.values().removeIf(e -> now - e.at() > EXPIRY_NOTE_MS);
    }

    /**
     * True once JmDNS went through its recovery: it has a new socket (it is back, with an empty
     * cache), or it has been cancelling for longer than a recovery takes (it is down).
     */
    private boolean noticeRecovery(JmDNSImpl impl, long now) {
        boolean canceling = impl.isCanceling() || impl.isCanceled();
        if (canceling) {
            cancelingSince = cancelingSince == 0 ? now : cancelingSince;
        } else {
            cancelingSince = 0;
        }
        boolean back = !canceling && socketAtOpen != null && impl.getSocket() != socketAtOpen;
        boolean down = canceling && now - cancelingSince > RECOVERY_GIVE_UP_MS;
        if (back || down) {
            recovered = true;
            log.warn(
                    "mDNS on {} had an I/O error and JmDNS reset itself ({}), forgetting every service it knew;"
                            + " browsing there again",
                    target.label(),
                    back ? "recovered" : "it did not come back");
        }
        return recovered;
    }

    /**
     * Asks JmDNS about a service a previous browser on this address had found (a direct query for
     * its records) and reports it if the cache has it by now: a service whose answer to the
     * browse was missed is confirmed, not expired. Never blocks.
     */
    void askAgain(DiscoveryEvent.Found f) {
        String suffix = "." + f.serviceType();
        if (!f.instance().toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT))) {
            return;
        }
        String name = f.instance().substring(0, f.instance().length() - suffix.length());
        ServiceInfo info = jmdns.getServiceInfo(f.serviceType(), name, false, 0);
        if (info != null && info.hasData()) {
            report(info);
        }
    }

    /** True when JmDNS went through its recovery and this browser must be replaced. */
    boolean needsRebuild() {
        return recovered;
    }

    /** A resolved service whose SRV record now names another port is reported again. */
    private void checkPort(DNSRecord.Service srv) {
        InstanceKey k = browsedKey(srv.getName());
        Integer reported = k == null ? null : reportedPorts.get(k);
        if (reported == null || reported == srv.getPort() || srv.getPort() == 0) {
            return;
        }
        if (newestSrv(srv.getName()) != srv) {
            return; // an older record (no cache flush) that lives on until its TTL runs out
        }
        reportedPorts.put(k, srv.getPort()); // once: the report follows on the resolver thread
        ServiceInfo si = srv.getServiceInfo();
        resolver.execute(() -> {
            ServiceInfo now = jmdns.getServiceInfo(si.getType(), si.getName(), false, 0);
            if (now != null && now.hasData()) {
                report(now);
            }
        });
    }

    /**
     * The instance of a browsed service type that an SRV record names or a PTR record points to;
     * null for any other record.
     */
    private @Nullable InstanceKey instanceOf(DNSRecord r) {
        String instance = null;
        if (r.getRecordType() == DNSRecordType.TYPE_SRV) {
            instance = r.getName();
        } else if (r.getRecordType() == DNSRecordType.TYPE_PTR && !r.isServicesDiscoveryMetaQuery()) {
            instance = r.getServiceInfo().getQualifiedName(); // the alias: the instance it points to
        }
        return instance == null ? null : browsedKey(instance);
    }

    /** The key of a full instance name of a browsed service type; null for a name of another type. */
    private @Nullable InstanceKey browsedKey(String instance) {
        return InstanceKey.ofAnyType(instance, serviceTypes).orElse(null);
    }

    @Override
    public void close() {
        for (String type : serviceTypes) {
            jmdns.removeServiceListener(type, listener);
        }
        try {
            jmdns.close();
        } catch (IOException e) {
            log.debug("closing mDNS on {}: {}", target.label(), e.getMessage());
        }
    }

    private final class Listener implements ServiceListener {
        @Override
        public void serviceAdded(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (info != null && info.hasData()) {
                return; // JmDNS follows with serviceResolved at once
            }
            // provisional: ask for the records; serviceResolved reports them when they come
            resolver.execute(() -> jmdns.requestServiceInfo(event.getType(), event.getName(), false, RESOLVE_WAIT_MS));
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (info == null || !info.hasData()) {
                return;
            }
            if (hasTxtRecord(info)) {
                report(info);
                return;
            }
            // JmDNS counts an empty TXT as data, so "resolved" can come before the TXT record, which
            // holds type and api_path. When the TXT record arrives JmDNS resolves again (and we
            // report then); if none comes within a second, report what there is.
            CompletableFuture.delayedExecutor(RESOLVE_WAIT_MS, TimeUnit.MILLISECONDS, resolver)
                    .execute(() -> {
                        ServiceInfo now = jmdns.getServiceInfo(event.getType(), event.getName(), false, 0);
                        if (now != null && now.hasData()) { // gone meanwhile: nothing to report
                            report(now);
                        }
                    });
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            String instance = event.getName() + "." + event.getType();
            if (recovered) {
                return; // the replacement browser and ServiceTable.settle decide what is gone
            }
            InstanceKey k = InstanceKey.of(instance, event.getType());
            reportedPorts.remove(k);
            Expiry e = expiring.remove(k);
            table.removed(key(), k, e == null ? RemovalReason.EXPIRED : e.reason());
        }
    }

    private void report(ServiceInfo info) {
        if (recovered) {
            return; // the replacement browser reports from now on
        }
        DiscoveryEvent.Found found = toFound(info);
        InstanceKey k = InstanceKey.of(found);
        expiring.remove(k);
        reportedPorts.put(k, found.port());
        table.found(key(), found);
    }

    /** True when JmDNS's cache holds the service's TXT record (DNS-SD: every service has one). */
    private boolean hasTxtRecord(ServiceInfo info) {
        return !(jmdns instanceof JmDNSImpl) || cachedTxt(info) != null;
    }

    /**
     * The TXT RDATA as cached, or null. Read from the cache rather than the event's ServiceInfo,
     * which is a copy taken when the event was made and can predate the TXT record.
     */
    private byte @Nullable [] cachedTxt(ServiceInfo info) {
        if (!(jmdns instanceof JmDNSImpl impl)) {
            return null;
        }
        DNSEntry e =
                impl.getCache().getDNSEntry(info.getQualifiedName(), DNSRecordType.TYPE_TXT, DNSRecordClass.CLASS_IN);
        return e instanceof DNSRecord r && !r.isExpired(System.currentTimeMillis())
                ? r.getServiceInfo().getTextBytes()
                : null;
    }

    /**
     * The port of the newest live SRV record in the cache: after a port change the old record
     * lingers for a second (cache flush, RFC 6762 §10.2) and may be the one JmDNS's info shows.
     */
    private int cachedPort(ServiceInfo info) {
        DNSRecord.Service newest = newestSrv(info.getQualifiedName());
        return newest != null ? newest.getPort() : info.getPort();
    }

    /** The newest live SRV record of this instance in the cache, or null. */
    private DNSRecord.@Nullable Service newestSrv(String instance) {
        if (!(jmdns instanceof JmDNSImpl impl)) {
            return null;
        }
        long now = System.currentTimeMillis();
        DNSRecord.Service newest = null;
        for (DNSEntry e : impl.getCache().getDNSEntryList(instance, DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_IN)) {
            if (e instanceof DNSRecord.Service srv
                    && !srv.isExpired(now)
                    && srv.getTTL() > DNSConstants.RECORD_EXPIRY_DELAY
                    && (newest == null || srv.getCreated() > newest.getCreated())) {
                newest = srv;
            }
        }
        return newest;
    }

    private DiscoveryEvent.Found toFound(ServiceInfo info) {
        String instance = withDot(info.getQualifiedName());
        byte[] cached = cachedTxt(info);
        Map<String, String> txt = TxtRecords.decode(cached != null ? cached : info.getTextBytes(), instance);
        List<InetAddress> addresses = new ArrayList<>();
        for (InetAddress a : info.getInetAddresses()) {
            addresses.add(scoped(a));
        }
        return new DiscoveryEvent.Found(
                instance, withDot(info.getType()), withDot(info.getServer()), addresses, cachedPort(info), txt);
    }

    /** A link-local IPv6 address is only usable with its zone: the interface it was heard on. */
    private InetAddress scoped(InetAddress a) {
        if (!(a instanceof Inet6Address v6) || !a.isLinkLocalAddress() || v6.getScopedInterface() != null) {
            return a;
        }
        try {
            NetworkInterface nif = NetworkInterface.getByName(target.interfaceName());
            return nif == null ? a : Inet6Address.getByAddress(null, a.getAddress(), nif);
        } catch (SocketException | UnknownHostException e) {
            return a;
        }
    }

    private static String withDot(String s) {
        return s == null || s.isEmpty() || s.endsWith(".") ? s : s + ".";
    }
}
