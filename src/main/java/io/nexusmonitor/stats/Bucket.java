package io.nexusmonitor.stats;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;
import org.jspecify.annotations.Nullable;

/**
 * The requests of one backend × model that ended in one minute or one hour: counts, tokens and
 * two HdrHistograms (time to first content token and total duration, in microseconds, 2
 * significant digits, up to one hour). Guarded by the owning {@link Series}' monitor.
 */
final class Bucket {
    /** The largest time recorded, µs: one hour (longer ones are clamped). */
    static final long MAX_MICROS = 3_600_000_000L;

    static final int DIGITS = 2;

    long start;
    long requests;
    long errors;
    long clientErrors;
    long cancelled;
    long promptTokens;
    long completionTokens;
    long estimated;
    /** Tokens after the first and the nanoseconds they took, over requests that gave a speed. */
    long genTokens;

    long genNanos;

    /** {@link RequestStats#version()} of the last request added (0: none since restored or reset). */
    long changedAt;

    @Nullable
    IntCountsHistogram ttft;

    @Nullable
    IntCountsHistogram duration;

    Bucket(long start) {
        this.start = start;
    }

    static IntCountsHistogram histogram() {
        return new IntCountsHistogram(1, MAX_MICROS, DIGITS);
    }

    void reset(long newStart) {
        start = newStart;
        requests = errors = clientErrors = cancelled = promptTokens = completionTokens = estimated = 0;
        genTokens = genNanos = 0;
        changedAt = 0;
        if (ttft != null) {
            ttft.reset();
        }
        if (duration != null) {
            duration.reset();
        }
    }

    void add(RequestRecord r) {
        requests++;
        switch (r.outcome()) {
            case SERVER_ERROR, TIMEOUT -> errors++;
            case CLIENT_ERROR -> clientErrors++;
            case CANCELLED -> cancelled++;
            default -> {}
        }
        if (r.promptTokens() > 0) {
            promptTokens += r.promptTokens();
        }
        if (r.completionTokens() > 0) {
            completionTokens += r.completionTokens();
            if (r.estimated()) {
                estimated++;
            }
        }
        if (r.outcome() == Outcome.OK) {
            long first = r.firstTokenNanos() >= 0 ? r.firstTokenNanos() : r.firstByteNanos();
            if (first >= 0) {
                if (ttft == null) {
                    ttft = histogram();
                }
                ttft.recordValue(micros(first));
            }
            if (duration == null) {
                duration = histogram();
            }
            duration.recordValue(micros(r.totalNanos()));
            if (r.completionTokens() > 1 && r.firstTokenNanos() >= 0 && r.totalNanos() > r.firstTokenNanos()) {
                genTokens += r.completionTokens() - 1;
                genNanos += r.totalNanos() - r.firstTokenNanos();
            }
        }
    }

    /** Adds another bucket's figures (a merged view, or a row read back from history). */
    void merge(Bucket o) {
        requests += o.requests;
        errors += o.errors;
        clientErrors += o.clientErrors;
        cancelled += o.cancelled;
        promptTokens += o.promptTokens;
        completionTokens += o.completionTokens;
        estimated += o.estimated;
        genTokens += o.genTokens;
        genNanos += o.genNanos;
        if (o.ttft != null) {
            if (ttft == null) {
                ttft = histogram();
            }
            ttft.add(o.ttft);
        }
        if (o.duration != null) {
            if (duration == null) {
                duration = histogram();
            }
            duration.add(o.duration);
        }
    }

    Summary summary() {
        return new Summary(
                requests,
                errors,
                clientErrors,
                cancelled,
                promptTokens,
                completionTokens,
                estimated,
                ms(ttft, 50),
                ms(ttft, 95),
                ms(ttft, 99),
                ms(duration, 50),
                ms(duration, 95),
                ms(duration, 99),
                genNanos == 0 ? Double.NaN : genTokens / (genNanos / 1e9));
    }

    static double ms(@Nullable AbstractHistogram h, double percentile) {
        if (h == null || h.getTotalCount() == 0) {
            return Double.NaN;
        }
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static long micros(long nanos) {
        return Math.max(1, Math.min(MAX_MICROS, nanos / 1000));
    }

    /** A histogram as HdrHistogram's compressed encoding (for the history's BLOB columns), null when empty. */
    static byte @Nullable [] encode(@Nullable IntCountsHistogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        byte[] out = new byte[n];
        buf.flip();
        buf.get(out);
        return out;
    }

    static @Nullable IntCountsHistogram decode(byte @Nullable [] bytes) throws DataFormatException {
        if (bytes == null) {
            return null;
        }
        IntCountsHistogram h = IntCountsHistogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), MAX_MICROS);
        IntCountsHistogram out = histogram();
        out.add(h);
        return out;
    }
}
