package io.nexusmonitor.gpu;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.GpuReading;
import io.nexusmonitor.registry.GpuReport;
import io.nexusmonitor.registry.MdnsInfo;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A host's GPUs in a few TXT records, the one place both sides read them: {@code announce} writes
 * {@link #toTxt()}, the monitor reads {@link #fromTxt}. {@code gpu} is the first GPU's name (with
 * {@code +N} when N more GPUs of other names exist), {@code gpus} their number, {@code vram_mb} and
 * {@code vram_used_mb} sums over the GPUs that report them. Each record stays within RFC 6763's
 * 255 bytes, and anything a stranger on the LAN announces is checked before use.
 *
 * @param name   {@code NVIDIA GeForce RTX 4090}, {@code RTX 4090 +1}
 * @param count  GPUs on the host, at least 1
 * @param vramMb total VRAM in MiB, null when no GPU says
 * @param usedMb VRAM in use in MiB, null when no GPU says
 */
public record GpuSummary(
        String name,
        int count,
        @Nullable Long vramMb,
        @Nullable Long usedMb) {
    public static final String GPU = "gpu";
    public static final String GPUS = "gpus";
    public static final String VRAM_MB = "vram_mb";
    public static final String VRAM_USED_MB = "vram_used_mb";
    /** The largest count or MiB figure accepted from TXT (a petabyte of VRAM). */
    static final long MAX_MB = 1L << 30;

    static final int MAX_GPUS = 1024;
    /** A TXT string is at most 255 bytes: key, '=' and value. */
    static final int MAX_TXT_STRING = 255;

    /** The summary of these readings; null when there are none. */
    public static @Nullable GpuSummary of(List<GpuReading> gpus) {
        if (gpus.isEmpty()) {
            return null;
        }
        String first = gpus.get(0).name();
        long others = gpus.stream().filter(g -> !g.name().equals(first)).count();
        String name = others == 0 ? first : first + " +" + others;
        return new GpuSummary(name, gpus.size(), sum(gpus, true), sum(gpus, false));
    }

    private static @Nullable Long sum(List<GpuReading> gpus, boolean total) {
        Long s = null;
        for (GpuReading g : gpus) {
            Long v = total ? g.vramTotalMb() : g.vramUsedMb();
            if (v != null) {
                s = (s == null ? 0 : s) + v;
            }
        }
        return s;
    }

    /** The TXT records, in this order; each within 255 bytes. */
    public Map<String, String> toTxt() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(GPU, fit(GPU, name));
        t.put(GPUS, Integer.toString(count));
        if (vramMb != null) {
            t.put(VRAM_MB, Long.toString(vramMb));
        }
        if (usedMb != null) {
            t.put(VRAM_USED_MB, Long.toString(usedMb));
        }
        return t;
    }

    /**
     * The one rule for what a backend's GPUs are shown as: what its announcer's status endpoint
     * last answered (fresh, polled with the health checks) when that poll succeeded, else its TXT
     * summary; null when neither says anything.
     */
    public static @Nullable GpuSummary of(Backend b) {
        GpuReport r = b.gpuReport();
        if (r != null && r.ok()) {
            return of(r.gpus());
        }
        MdnsInfo md = b.mdns();
        return md == null ? null : fromTxt(md.txt());
    }

    /** What a TXT record set says about GPUs; null when it has no usable {@code gpu} record. */
    public static @Nullable GpuSummary fromTxt(Map<String, String> txt) {
        String name = txt.get(GPU);
        if (name == null || name.isBlank()) {
            return null;
        }
        Long count = bounded(txt.get(GPUS), MAX_GPUS);
        Long total = bounded(txt.get(VRAM_MB), MAX_MB);
        Long used = bounded(txt.get(VRAM_USED_MB), MAX_MB);
        String clean = name.strip().replaceAll("\\p{Cntrl}", "");
        if (clean.length() > GpuReading.MAX_NAME) {
            clean = clean.substring(0, GpuReading.MAX_NAME);
        }
        return new GpuSummary(clean, count == null || count < 1 ? 1 : count.intValue(), total, used);
    }

    /** Used over total, 0..1; null when either is unknown or the total is 0. */
    public @Nullable Double usedFraction() {
        if (vramMb == null || usedMb == null || vramMb == 0) {
            return null;
        }
        return Math.min(1.0, (double) usedMb / vramMb);
    }

    private static @Nullable Long bounded(@Nullable String s, long max) {
        if (s == null || !s.strip().matches("\\d{1,12}")) {
            return null;
        }
        long v = Long.parseLong(s.strip());
        return v > max ? null : v;
    }

    /** The value cut (on a character boundary) so {@code key=value} fits one TXT string. */
    static String fit(String key, String value) {
        int room = MAX_TXT_STRING - key.length() - 1;
        String v = value;
        while (v.getBytes(StandardCharsets.UTF_8).length > room) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }
}
