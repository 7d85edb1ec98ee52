package io.nexusmonitor.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/** A JmDNS responder bound to 127.0.0.1 only: announcements in tests never leave the loopback. */
final class LoopbackResponder implements AutoCloseable {
    private final JmDNS jmdns;

    LoopbackResponder() throws IOException {
        jmdns = JmDNS.create(InetAddress.getByName("127.0.0.1"), "test-responder");
    }

    ServiceInfo announce(String type, String name, int port, Map<String, String> txt) throws IOException {
        ServiceInfo info = ServiceInfo.create(type, name, port, 0, 0, txt);
        jmdns.registerService(info);
        return info;
    }

    /** Withdraws the service: JmDNS sends its records with TTL 0 (a goodbye). */
    void withdraw(ServiceInfo info) {
        jmdns.unregisterService(info);
    }

    @Override
    public void close() throws IOException {
        jmdns.close();
    }
}
