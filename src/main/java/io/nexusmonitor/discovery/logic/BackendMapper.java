package io.nexusmonitor.discovery.logic;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSettings;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.MdnsInfo;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.UrlNormalizer;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A found service as the backend the registry should hold: URL, name, type, mDNS data. */
public final class BackendMapper {
    private BackendMapper() {}

    /**
     * The backend template for a found service (status unknown, source mdns, approved; TXT
     * {@code max_concurrent} as its capacity, source mdns), or empty
     * when it has no usable address. The URL is {@code http://<address>:<port><api_path>}.
     */
    public static Optional<Backend> toBackend(DiscoveryEvent.Found found, Instant now) {
        Optional<InetAddress> address = ServiceAddresses.choose(found.addresses());
        if (address.isEmpty() || found.port() == 0) {
            return Optional.empty();
        }
        ServiceMetadata meta = TxtRecords.parse(found.txt(), found.serviceType(), found.instance());
        String url = UrlNormalizer.normalize(
                "http://" + ServiceAddresses.urlHost(address.get()) + ":" + found.port() + meta.apiPath());
        String name = InstanceNames.readableName(found.instance(), found.serviceType());
        List<ModelInfo> models = new ArrayList<>();
        for (String m : meta.modelHints()) {
            models.add(ModelInfo.of(m));
        }
        return Optional.of(Backend.create("", name, url, meta.type(), BackendSource.MDNS, Backend.DEFAULT_PRIORITY, now)
                .withModels(models)
                .withMdns(mdnsInfo(found, now, now))
                .withSettings(BackendSettings.DEFAULTS.offerCapacity(
                        meta.maxConcurrent(), BackendSettings.CapacitySource.MDNS)));
    }

    /** The mDNS data of a found service: addresses best first, every TXT key. */
    public static MdnsInfo mdnsInfo(DiscoveryEvent.Found found, Instant firstSeen, Instant lastSeen) {
        List<String> addresses = new ArrayList<>();
        for (InetAddress a : ServiceAddresses.preferred(found.addresses())) {
            String t = ServiceAddresses.text(a);
            if (!addresses.contains(t)) {
                addresses.add(t);
            }
        }
        return new MdnsInfo(
                found.instance(), found.serviceType(), found.host(), addresses, found.txt(), firstSeen, lastSeen);
    }
}
