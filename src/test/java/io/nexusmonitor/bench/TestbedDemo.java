package io.nexusmonitor.bench;

import io.nexusmonitor.testing.SimulatedLlmBox;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two halves of {@code bench/testbed-demo.sh}, run inside testbed hosts (network namespaces of
 * {@code ../shared/testbed/lan.sh}), never on the machine's own interfaces.
 *
 * <ul>
 *   <li>{@code boxes SPEC...}: simulated LLM boxes listening on every address of the namespace. A
 *       SPEC is {@code name,port,slots,tokensPerSecond,loadSeconds,model+model,resident}.
 *   <li>{@code load URL RATE SECONDS model+model}: an open-loop Poisson stream of streaming chats to
 *       a gateway, with a line every 30 s of what was sent and answered.
 * </ul>
 */
public final class TestbedDemo {
    private TestbedDemo() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("boxes")) {
            boxes(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length == 5 && args[0].equals("load")) {
            load(args[1], Double.parseDouble(args[2]), Integer.parseInt(args[3]), args[4].split("\\+"));
        } else {
            System.err.println("usage: TestbedDemo boxes name,port,slots,tps,loadSeconds,model+model,resident ...\n"
                    + "       TestbedDemo load URL RATE SECONDS model+model");
            System.exit(2);
        }
    }

    private static void boxes(String[] specs) throws InterruptedException {
        List<SimulatedLlmBox> started = new ArrayList<>();
        for (String spec : specs) {
            String[] f = spec.split(",", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException(
                        "a box is name,port,slots,tps,loadSeconds,model+model,resident: " + spec);
            }
            started.add(SimulatedLlmBox.builder(f[0])
                    .host("0.0.0.0")
                    .port(Integer.parseInt(f[1]))
                    .slots(Integer.parseInt(f[2]))
                    .tokensPerSecond(Double.parseDouble(f[3]))
                    .loadTime(Duration.ofSeconds(Long.parseLong(f[4])))
                    .models(f[5].split("\\+"))
                    .resident(f[6])
                    .start());
            System.out.println("box " + f[0] + " on port " + f[1]);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(SimulatedLlmBox::close)));
        new CountDownLatch(1).await();
    }

    private static void load(String gateway, double rate, int seconds, String[] models) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int sent = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long next = start;
        long report = start + TimeUnit.SECONDS.toNanos(30);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (next < end) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String model = models[random.nextInt(models.length)];
            String body = "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":" + (16 + random.nextInt(96))
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"Write a haiku about routers.\"}]}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                    .thenAccept(r -> {
                        try (InputStream in = r.body()) {
                            in.transferTo(java.io.OutputStream.nullOutputStream());
                        } catch (java.io.IOException e) {
                            failed.incrementAndGet();
                            return;
                        }
                        (r.statusCode() == 200 ? ok : failed).incrementAndGet();
                    })
                    .exceptionally(e -> {
                        failed.incrementAndGet();
                        return null;
                    });
            sent++;
            if (System.nanoTime() >= report) {
                System.out.printf("sent %d, answered %d, failed %d%n", sent, ok.get(), failed.get());
                report += TimeUnit.SECONDS.toNanos(30);
            }
            next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
        }
        System.out.printf("done: sent %d, answered %d, failed %d%n", sent, ok.get(), failed.get());
    }
}
