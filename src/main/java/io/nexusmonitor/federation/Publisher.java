package io.nexusmonitor.federation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.Registry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes this monitor's own backends (mDNS, config, by hand; never an imported one) under
 * {@code <prefix>backends/<site>/<id>} with the monitor's lease, and deletes the key of one that
 * left. Registry events only mark a backend dirty (any thread, no I/O); {@link #flush} writes what
 * changed since the last write in one transaction per 64 backends, and skips a record that reads
 * as it was written (a health check that changed only its time is no write).
 */
final class Publisher {
    /** etcd refuses a transaction of more than 128 operations (its --max-txn-ops default). */
    static final int OPS_PER_TXN = 64;

    private final Registry registry;
    private final String site;
    private final String keyPrefix;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /** id -> the record last written; only the federation thread touches it. */
    private final Map<String, String> written = new HashMap<>();

    Publisher(Registry registry, String backendsPrefix, String site) {
        this.registry = registry;
        this.site = site;
        this.keyPrefix = backendsPrefix + site + "/";
    }

    String keyOf(String id) {
        return keyPrefix + id;
    }

    /** Whether this monitor publishes such a backend at all. */
    static boolean owned(Backend b) {
        return b.source() != BackendSource.REMOTE;
    }

    /** @return true when this made the first dirty mark since the last flush */
    boolean markDirty(String id) {
        boolean wasEmpty = dirty.isEmpty();
        dirty.add(id);
        return wasEmpty;
    }

    boolean hasDirty() {
        return !dirty.isEmpty();
    }

    /** Every owned backend dirty again (the in-flight counters change without an event). */
    void markAllOwned() {
        for (Backend b : registry.all()) {
            if (owned(b)) {
                dirty.add(b.id());
            }
        }
    }

    /** A new lease: nothing counts as written, everything is written again. */
    void forgetWritten() {
        for (String id : written.keySet()) {
            dirty.add(id);
        }
        written.clear();
        markAllOwned();
    }

    int published() {
        return written.size();
    }

    /**
     * Writes what changed. On a failure the backends stay dirty and the exception goes to the
     * caller (the connection is then treated as lost).
     *
     * @return how many keys were put or deleted
     */
    int flush(EtcdGateway etcd, long lease) throws EtcdGateway.EtcdException {
        List<String> ids = new ArrayList<>(dirty);
        dirty.removeAll(ids);
        List<ObjectNode> ops = new ArrayList<>();
        Map<String, String> pending = new HashMap<>();
        List<String> deleted = new ArrayList<>();
        for (String id : ids) {
            Optional<Backend> b = registry.get(id).filter(Publisher::owned);
            if (b.isPresent()) {
                String json = PublishedBackend.of(b.get(), site).toJson();
                if (!json.equals(written.get(id))) {
                    ObjectNode put = EtcdGateway.MAPPER.createObjectNode();
                    put.putObject("request_put")
                            .put("key", EtcdGateway.b64(keyOf(id)))
                            .put("value", EtcdGateway.b64(json))
                            .put("lease", Long.toString(lease));
                    ops.add(put);
                    pending.put(id, json);
                }
            } else if (written.containsKey(id)) {
                ObjectNode del = EtcdGateway.MAPPER.createObjectNode();
                del.putObject("request_delete_range").put("key", EtcdGateway.b64(keyOf(id)));
                ops.add(del);
                deleted.add(id);
            }
        }
        try {
            for (int from = 0; from < ops.size(); from += OPS_PER_TXN) {
                ObjectNode txn = EtcdGateway.MAPPER.createObjectNode();
                ArrayNode success = txn.putArray("success");
                ops.subList(from, Math.min(ops.size(), from + OPS_PER_TXN)).forEach(success::add);
                etcd.call("/v3/kv/txn", txn);
            }
        } catch (EtcdGateway.EtcdException e) {
            dirty.addAll(ids);
            throw e;
        }
        written.putAll(pending);
        deleted.forEach(written::remove);
        return ops.size();
    }
}
