package io.nexusmonitor.testbed;

import com.sun.net.httpserver.HttpServer;
import io.nexusmonitor.wake.MagicPacket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A box that sleeps, for a testbed host (run inside a lan.sh namespace by {@link TestbedWakeTest}):
 * serves a tiny Ollama ({@code /api/tags}, {@code /api/ps}, {@code /v1/chat/completions}) on PORT;
 * a line {@code sleep} on stdin stops it; a Wake-on-LAN magic packet for MAC on UDP port 9 (any
 * address, so the subnet broadcast reaches it) starts it again BOOT_MS later.
 *
 * <p>Arguments: PORT MAC BOOT_MS.
 */
public final class SleepyBox {
    private static volatile HttpServer server;

    private SleepyBox() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] magic = MagicPacket.of(args[1]);
        long bootMs = Long.parseLong(args[2]);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        up(port);
        Thread nic = new Thread(
                () -> {
                    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(9))) {
                        byte[] buf = new byte[512];
                        while (true) {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            s.receive(p);
                            if (Arrays.equals(Arrays.copyOf(p.getData(), p.getLength()), magic)) {
                                System.out.println(
                                        "magic packet from " + p.getAddress().getHostAddress() + " to port 9");
                                if (server == null) {
                                    var unused = later.schedule(() -> up(port), bootMs, TimeUnit.MILLISECONDS);
                                }
                            }
                        }
                    } catch (IOException e) {
                        System.out.println("nic stopped: " + e);
                    }
                },
                "nic");
        nic.setDaemon(true);
        nic.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.strip().equals("sleep") && server != null) {
                server.stop(0);
                server = null;
                System.out.println("asleep");
            }
        }
        new java.util.concurrent.CountDownLatch(1).await(); // stdin closed: keep serving until killed
    }

    private static synchronized void up(int port) {
        if (server != null) {
            return;
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(port), 16);
            s.createContext(
                    "/api/tags",
                    ex -> reply(
                            ex, "{\"models\":[{\"name\":\"llama3:8b\",\"model\":\"llama3:8b\",\"size\":4661224676}]}"));
            s.createContext("/api/ps", ex -> reply(ex, "{\"models\":[]}"));
            s.createContext(
                    "/v1/chat/completions",
                    ex -> reply(
                            ex,
                            "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"llama3:8b\",\"choices\":[{\"index\":0,"
                                    + "\"message\":{\"role\":\"assistant\",\"content\":\"good morning\"},\"finish_reason\":\"stop\"}]}"));
            s.start();
            server = s;
            System.out.println("awake on port " + port);
        } catch (IOException e) {
            System.out.println("cannot serve: " + e);
        }
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        ex.getRequestBody().readAllBytes();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }
}
