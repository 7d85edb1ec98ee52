package io.nexusmonitor.bench;

import io.nexusmonitor.app.EngineOptions;
import io.nexusmonitor.app.NexusEngine;
import io.nexusmonitor.config.NexusConfig;
import io.nexusmonitor.gui.DesktopApp;
import io.nexusmonitor.gui.DesktopSession;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendSource;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.BackendType;
import io.nexusmonitor.registry.ModelInfo;
import io.nexusmonitor.registry.Registry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * End-to-end window bench (issue 6): 1000 rows, 200 registry changes a second for 30 s, then 30 s
 * without changes. Reports the FX pulse duration (from the start of the pulse, where animation
 * timers run, to the end of the scene's CSS and layout pass) and the frame interval under load,
 * and the process CPU with no changes. Needs a display (Xvfb is fine): run bench/gui-bench.sh.
 *
 * <p>Arguments: rows, changes per second, seconds of load, seconds idle, percent of rows in their grace
 * period at the start (defaults 1000 200 30 30 10). Changes also start and cancel grace periods,
 * unless that percentage is 0 (then no countdown runs at all while idle).
 */
public final class GuiPulseBench {
    private static final List<String> MODELS = List.of("llama3:8b", "qwen2:7b", "mistral:7b", "phi3:mini", "gemma2:9b");

    private GuiPulseBench() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int loadSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int idleSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int gracePercent = args.length > 4 ? Integer.parseInt(args[4]) : 10;

        Path stateDir = Files.createTempDirectory("nexus-gui-bench");
        NexusConfig base = NexusConfig.defaults();
        NexusConfig config = base.withDiscovery(base.discovery().withEnabled(false))
                .withHealthCheck(base.healthCheck().withEnabled(false));
        NexusEngine engine = new NexusEngine(config, new EngineOptions(stateDir, false));
        Registry registry = engine.registry();
        List<String> ids = fill(registry, rows, gracePercent);

        CompletableFuture<Scene> shown = new CompletableFuture<>();
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            DesktopApp app = new DesktopApp(
                    new DesktopSession(
                            engine,
                            engine::start,
                            engine::close,
                            config.notifications(),
                            Duration.ofSeconds(60),
                            stateDir),
                    Executors.newSingleThreadExecutor(),
                    code -> {});
            Stage stage = new Stage();
            app.start(stage);
            shown.complete(stage.getScene());
        });
        Scene scene = shown.get(30, TimeUnit.SECONDS);
        System.out.printf("window up with %d rows; warming up 5 s%n", rows);
        waitSeconds(5);

        PulseProbe probe = new PulseProbe(scene);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        Random random = new Random(42);
        AtomicLong changes = new AtomicLong();
        long periodMicros = 1_000_000L / perSecond;
        onFx(probe::start);
        writer.scheduleAtFixedRate(
                () -> {
                    change(registry, ids, random, changes, gracePercent > 0);
                    measure(engine.telemetry(), registry, ids, random);
                },
                0,
                periodMicros,
                TimeUnit.MICROSECONDS);
        waitSeconds(loadSeconds);
        writer.shutdownNow();
        writer.awaitTermination(5, TimeUnit.SECONDS);
        onFx(probe::stop);
        System.out.printf(
                "machine load average %.1f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "load: %d rows, %d changes in %d s (%.0f/s)%n",
                rows, changes.get(), loadSeconds, changes.get() / (double) loadSeconds);
        probe.report();

        waitSeconds(5); // let the last batch and the notices settle
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicLong idlePulses = new AtomicLong();
        Runnable countPulse = idlePulses::incrementAndGet;
        onFx(() -> scene.addPostLayoutPulseListener(countPulse));
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        waitSeconds(idleSeconds);
        double cpuShare = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
        System.out.printf(
                "idle: process CPU %.2f %% of one core over %d s with %d rows, no changes (target < 2 %%); "
                        + "%d pulses%n",
                cpuShare * 100, idleSeconds, rows, idlePulses.get());
        engine.close();
        Platform.exit();
        System.exit(0);
    }

    private static List<String> fill(Registry registry, int rows, int gracePercent) {
        List<String> ids = new ArrayList<>(rows);
        Instant now = Instant.now();
        for (int i = 0; i < rows; i++) {
            Backend t = Backend.create(
                            "",
                            "node-" + i,
                            "http://10." + (i / 250) + "." + (i % 250) + ".1:11434",
                            BackendType.OLLAMA,
                            BackendSource.MDNS,
                            50,
                            now)
                    .withStatus(i % 7 == 0 ? BackendStatus.UNHEALTHY : BackendStatus.HEALTHY)
                    .withModels(List.of(ModelInfo.of(MODELS.get(i % MODELS.size()))));
            Backend b = registry.add(t, "found");
            if (i % 100 < gracePercent) {
                registry.update(b.id(), "goodbye", x -> x.withGraceDeadline(now.plusSeconds(3600)));
            }
            ids.add(b.id());
        }
        return ids;
    }

    /** With each change a health check result and a finished request: strips, sparklines and charts redraw. */
    private static void measure(io.nexusmonitor.stats.Telemetry t, Registry registry, List<String> ids, Random random) {
        String id = ids.get(random.nextInt(ids.size()));
        long now = System.currentTimeMillis();
        t.heartbeats()
                .record(
                        id,
                        new io.nexusmonitor.stats.Heartbeats.Beat(
                                now,
                                random.nextInt(10) == 0
                                        ? io.nexusmonitor.stats.Heartbeats.Kind.FAILED
                                        : io.nexusmonitor.stats.Heartbeats.Kind.OK,
                                1 + random.nextInt(50)));
        registry.get(id)
                .ifPresent(b -> t.listener()
                        .finished(new io.nexusmonitor.stats.RequestRecord(
                                b.id(),
                                b.url(),
                                b.name(),
                                MODELS.get(random.nextInt(MODELS.size())),
                                now,
                                80_000_000L + random.nextInt(400_000_000),
                                90_000_000L + random.nextInt(400_000_000),
                                2_000_000_000L,
                                20,
                                100 + random.nextInt(200),
                                false,
                                io.nexusmonitor.stats.Outcome.OK)));
    }

    /** One registry change of the kinds the engine makes: latency, status, models, grace. */
    private static void change(Registry registry, List<String> ids, Random random, AtomicLong changes, boolean grace) {
        String id = ids.get(random.nextInt(ids.size()));
        int kind = random.nextInt(10);
        int k = !grace && kind == 1 ? 3 : kind;
        registry.update(id, "bench", b -> switch (k) {
            case 0 ->
                b.withStatus(b.status() == BackendStatus.HEALTHY ? BackendStatus.UNHEALTHY : BackendStatus.HEALTHY);
            case 1 -> b.withGraceDeadline(b.inGrace() ? null : Instant.now().plusSeconds(3600));
            case 2 -> b.withModels(List.of(ModelInfo.of(MODELS.get(random.nextInt(MODELS.size())))));
            default -> b.withLatencySample(1 + random.nextInt(200)).withLastHealthCheck(Instant.now());
        });
        changes.incrementAndGet();
    }

    private static void waitSeconds(int seconds) throws InterruptedException {
        new CountDownLatch(1).await(seconds, TimeUnit.SECONDS);
    }

    private static void onFx(Runnable r) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            r.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /**
     * Times every pulse: an AnimationTimer runs at the start of each pulse (it also keeps pulses
     * coming every frame, so frame intervals are measurable), the scene's post-layout listener at
     * the end of its CSS and layout pass.
     */
    private static final class PulseProbe {
        private final Scene scene;
        private final long[] pulses = new long[20_000];
        private final long[] intervals = new long[20_000];
        /** FX-thread CPU time per pulse: what the pulse costs, without the time the OS gave other processes. */
        private final long[] pulseCpu = new long[20_000];

        private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long pulseCpuStart;
        private int pulseCount;
        private int intervalCount;
        private long pulseStart;
        private long lastStart;
        private final Runnable end = this::pulseEnd;
        private final AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                if (lastStart != 0 && intervalCount < intervals.length) {
                    intervals[intervalCount++] = t - lastStart;
                }
                lastStart = t;
                pulseStart = t;
                pulseCpuStart = threads.getCurrentThreadCpuTime();
            }
        };

        PulseProbe(Scene scene) {
            this.scene = scene;
        }

        private long fxCpuStart;
        private long fxCpuTotal;
        private long wallStart;
        private long wallTotal;

        void start() {
            scene.addPostLayoutPulseListener(end);
            timer.start();
            fxCpuStart = threads.getCurrentThreadCpuTime();
            wallStart = System.nanoTime();
        }

        void stop() {
            timer.stop();
            scene.removePostLayoutPulseListener(end);
            fxCpuTotal = threads.getCurrentThreadCpuTime() - fxCpuStart;
            wallTotal = System.nanoTime() - wallStart;
        }

        private void pulseEnd() {
            if (pulseStart != 0 && pulseCount < pulses.length) {
                pulseCpu[pulseCount] = threads.getCurrentThreadCpuTime() - pulseCpuStart;
                pulses[pulseCount++] = System.nanoTime() - pulseStart;
                pulseStart = 0;
            }
        }

        void report() {
            long[] p = Arrays.copyOf(pulses, pulseCount);
            long[] f = Arrays.copyOf(intervals, intervalCount);
            long[] c = Arrays.copyOf(pulseCpu, pulseCount);
            Arrays.sort(c);
            Arrays.sort(p);
            Arrays.sort(f);
            System.out.printf(
                    "pulse duration over %d pulses: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 16 ms)%n",
                    p.length, ms(p, 0.50), ms(p, 0.99), ms(p, 1.0));
            System.out.printf(
                    "pulse FX-thread CPU time: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    ms(c, 0.50), ms(c, 0.99), ms(c, 1.0));
            long inPulses = Arrays.stream(c).sum();
            System.out.printf(
                    "FX thread busy %.1f %% of the load phase: pulses %.1f %%, the rest (batches, ticks) %.1f %%%n",
                    100.0 * fxCpuTotal / wallTotal,
                    100.0 * inPulses / wallTotal,
                    100.0 * (fxCpuTotal - inPulses) / wallTotal);
            System.out.printf(
                    "frame interval over %d frames: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    f.length, ms(f, 0.50), ms(f, 0.99), ms(f, 1.0));
        }

        private static double ms(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }
}
