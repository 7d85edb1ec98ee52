package io.nexusmonitor.testbed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A minimal Ollama for testbed hosts (run inside a lan.sh namespace by {@link TestbedDiscoveryTest}):
 * {@code /api/tags} lists one model, {@code /api/ps} none. Serves on the given ports until killed.
 */
public final class TinyOllama {
    private TinyOllama() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        for (String p : args) {
            HttpServer s = HttpServer.create(new InetSocketAddress(Integer.parseInt(p)), 16);
            s.createContext(
                    "/api/tags", ex -> reply(ex, "{\"models\":[{\"name\":\"llama3:8b\",\"model\":\"llama3:8b\"}]}"));
            s.createContext("/api/ps", ex -> reply(ex, "{\"models\":[]}"));
            s.start();
        }
        System.out.println("tiny ollama serving on " + String.join(", ", args));
        new CountDownLatch(1).await();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }
}
