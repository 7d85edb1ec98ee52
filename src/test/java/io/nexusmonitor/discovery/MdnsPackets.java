package io.nexusmonitor.discovery;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made mDNS responses, multicast on the loopback interface only (TTL 1), for faults a JmDNS
 * responder cannot produce: a port-only SRV change, malformed packets.
 */
final class MdnsPackets {
    private static final int CLASS_IN_FLUSH = 0x8001;

    private final ByteArrayOutputStream answers = new ByteArrayOutputStream();
    private int count;
    private boolean flush = true;

    /** Records added from now on lack the cache-flush bit: they join what is cached, not replace it. */
    MdnsPackets withoutCacheFlush() {
        flush = false;
        return this;
    }

    MdnsPackets ptr(String type, String instance) {
        return record(type, 12, 4500, name(instance));
    }

    MdnsPackets srv(String instance, String host, int port) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        try {
            o.writeShort(0);
            o.writeShort(0);
            o.writeShort(port);
            o.write(name(host));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return record(instance, 33, 120, b.toByteArray());
    }

    MdnsPackets txt(String instance, String... entries) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String e : entries) {
            byte[] t = e.getBytes(StandardCharsets.UTF_8);
            b.write(t.length);
            b.writeBytes(t);
        }
        return record(instance, 16, 4500, b.toByteArray());
    }

    MdnsPackets a(String host, String ipv4) {
        try {
            return record(host, 1, 120, InetAddress.getByName(ipv4).getAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response: header (id 0, QR + AA) and the answers added so far. */
    byte[] response() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        try {
            o.writeShort(0);
            o.writeShort(0x8400);
            o.writeShort(0);
            o.writeShort(count);
            o.writeShort(0);
            o.writeShort(0);
            o.write(answers.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Multicasts the packet to 224.0.0.251:5353 on the loopback interface, never beyond it. */
    static void sendOnLoopback(byte[] packet) throws IOException {
        try (MulticastSocket s = new MulticastSocket(0)) {
            s.setNetworkInterface(NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1")));
            s.setTimeToLive(1);
            s.send(new DatagramPacket(packet, packet.length, InetAddress.getByName("224.0.0.251"), 5353));
        }
    }

    private MdnsPackets record(String name, int type, int ttl, byte[] rdata) {
        DataOutputStream o = new DataOutputStream(answers);
        try {
            o.write(name(name));
            o.writeShort(type);
            o.writeShort(type == 12 || !flush ? 1 : CLASS_IN_FLUSH);
            o.writeInt(ttl);
            o.writeShort(rdata.length);
            o.write(rdata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        count++;
        return this;
    }

    private static byte[] name(String dotted) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String label : dotted.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            b.write(l.length);
            b.writeBytes(l);
        }
        b.write(0);
        return b.toByteArray();
    }
}
