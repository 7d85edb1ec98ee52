package io.nexusmonitor.gpu;

import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.ModelInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * "Which box has room for this model?": a model's size (the largest any backend reports for it:
 * Ollama's {@code /api/tags} {@code size}, {@code size_vram} once loaded) against each backend's free
 * VRAM (announced total minus used, {@link GpuSummary#of(Backend)}). Pure: no JavaFX, no I/O.
 */
public final class RoomForModel {
    private static final long MIB = 1024L * 1024;

    /** A backend with room: its name and the MiB free. */
    public record Fit(String backend, long freeMb) {}

    private RoomForModel() {}

    /** The model's size in bytes: the largest any of these backends reports; null when none does. */
    public static @Nullable Long sizeOf(String model, List<Backend> backends) {
        Long size = null;
        for (Backend b : backends) {
            for (ModelInfo m : b.models()) {
                if (m.id().equals(model) && m.sizeBytes() != null && (size == null || m.sizeBytes() > size)) {
                    size = m.sizeBytes();
                }
            }
        }
        return size;
    }

    /** The MiB of VRAM free on a backend; null when its total or use is not known. */
    public static @Nullable Long freeMb(Backend b) {
        GpuSummary g = GpuSummary.of(b);
        if (g == null || g.vramMb() == null || g.usedMb() == null) {
            return null;
        }
        return Math.max(0, g.vramMb() - g.usedMb());
    }

    /**
     * The backends with at least {@code sizeBytes} of VRAM free, the most free first; a backend
     * where the model is already loaded is left out (it has room already). Backends whose VRAM is
     * not known are left out too: room cannot be claimed for them.
     */
    public static List<Fit> fits(String model, long sizeBytes, List<Backend> backends) {
        long needMb = (sizeBytes + MIB - 1) / MIB;
        List<Fit> out = new ArrayList<>();
        for (Backend b : backends) {
            boolean loaded = b.models().stream().anyMatch(m -> m.id().equals(model) && Boolean.TRUE.equals(m.loaded()));
            Long free = freeMb(b);
            if (!loaded && free != null && free >= needMb) {
                out.add(new Fit(b.name(), free));
            }
        }
        out.sort(Comparator.comparingLong(Fit::freeMb).reversed().thenComparing(Fit::backend));
        return out;
    }

    /**
     * The Models view's cell: {@code gpu-a (20.1 GiB free), gpu-b (9.0 GiB free)} for a model of
     * known size, {@code none} when no box has room, {@code —} when its size is not known.
     */
    public static String describe(String model, List<Backend> backends) {
        Long size = sizeOf(model, backends);
        if (size == null) {
            return "—";
        }
        List<Fit> fits = fits(model, size, backends);
        String need = gib(size / (double) MIB);
        if (fits.isEmpty()) {
            return "none (needs " + need + ")";
        }
        List<String> parts = new ArrayList<>();
        for (Fit f : fits) {
            if (parts.size() == 4) {
                parts.add("+" + (fits.size() - 4));
                break;
            }
            parts.add(f.backend() + " (" + gib(f.freeMb()) + " free)");
        }
        return String.join(", ", parts) + " · needs " + need;
    }

    private static String gib(double mb) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", mb / 1024);
    }
}
