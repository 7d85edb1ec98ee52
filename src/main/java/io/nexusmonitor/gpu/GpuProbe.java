package io.nexusmonitor.gpu;

import io.nexusmonitor.registry.GpuReading;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks this host what GPUs it has: {@code nvidia-smi}, then {@code rocm-smi}, and amdgpu's sysfs
 * files when rocm-smi has nothing. A tool that is not installed, fails, or takes longer than the
 * timeout (killed) contributes nothing; nothing here throws.
 */
public final class GpuProbe {
    private static final Logger log = LoggerFactory.getLogger(GpuProbe.class);
    /** More than any GPU list; output beyond is not read. */
    private static final int MAX_OUTPUT = 256 * 1024;

    private final long timeoutMs;
    private final Path drm;
    private final List<String> nvidia;
    private final List<String> rocm;

    /** The real tools and {@code /sys/class/drm}. */
    public GpuProbe(long timeoutMs) {
        this(timeoutMs, NvidiaSmiParser.COMMAND, RocmSmiParser.COMMAND, SysfsVram.DRM);
    }

    /** For tests: other commands (a script printing a recorded output) and another sysfs root. */
    public GpuProbe(long timeoutMs, List<String> nvidia, List<String> rocm, Path drm) {
        this.timeoutMs = timeoutMs;
        this.nvidia = List.copyOf(nvidia);
        this.rocm = List.copyOf(rocm);
        this.drm = drm;
    }

    /** Every GPU found, NVIDIA first; empty on a host without GPUs or tools. */
    public List<GpuReading> read() {
        List<GpuReading> out = new ArrayList<>();
        String n = run(nvidia);
        if (n != null) {
            out.addAll(NvidiaSmiParser.parse(n));
        }
        String r = run(rocm);
        List<GpuReading> amd = r == null ? List.of() : RocmSmiParser.parse(r);
        out.addAll(amd.isEmpty() ? SysfsVram.read(drm) : amd);
        return out;
    }

    /** The command's standard output when it exits 0 within the timeout, else null. */
    @Nullable
    String run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            log.debug("{} not available: {}", command.get(0), e.getMessage());
            return null;
        }
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            // a tool that hangs (a wedged driver) must not hold announce: read on this thread, bounded by a watchdog
            Thread watchdog = new Thread(
                    () -> {
                        try {
                            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                                p.destroyForcibly();
                            }
                        } catch (InterruptedException e) {
                            p.destroyForcibly();
                        }
                    },
                    "gpu-probe-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            byte[] bytes = in.readNBytes(MAX_OUTPUT);
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("{} did not answer within {} ms; its GPUs are not reported", command.get(0), timeoutMs);
                return null;
            }
            if (p.exitValue() != 0) {
                log.debug("{} exited with {}", command.get(0), p.exitValue());
                return null;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            p.destroyForcibly();
            return null;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
