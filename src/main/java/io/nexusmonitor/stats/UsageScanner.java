package io.nexusmonitor.stats;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads token counts out of an answer as it passes through the gateway, chunk by chunk, without
 * decoding it: one pass over the bytes looks for the keys that carry usage in the shapes servers
 * send — OpenAI's {@code usage} ({@code prompt_tokens}, {@code completion_tokens}; in a JSON answer
 * or the final chunk of a stream), Ollama's {@code prompt_eval_count} / {@code eval_count} and
 * llama.cpp's {@code timings} ({@code prompt_n} / {@code predicted_n}) — and, in a stream, counts
 * the chunks that carry content ({@code "content"} or {@code "text"} with a non-empty value) and
 * notes when the first of them arrived. A key inside a string value is escaped ({@code \"}), so it
 * never matches. The last value seen wins (servers repeat growing counts), a key split across two
 * chunks is found through the few bytes kept from the chunk before.
 *
 * <p>When the gateway asked for usage itself ({@code stream_options.include_usage}, see
 * {@link UsageRequest}), {@link #filter} also takes the extra usage event (empty {@code choices})
 * out of the stream, so the caller receives what it asked for; events are cut at their blank line,
 * and an event split across chunks is held until its end arrives.
 *
 * <p>One instance per answer, used by one thread at a time (the proxy's chunk pump).
 */
public final class UsageScanner {
    /** Bytes of the previous chunk kept to find a key split across chunks. */
    private static final int OVERLAP = 40;
    /** An unfinished event held longer than this is passed on unfiltered: the backend does not frame events. */
    static final int MAX_HELD = 256 * 1024;

    private static final byte[] CHOICES_EMPTY = bytes("\"choices\":[]");
    private static final byte[] USAGE_OBJECT = bytes("\"usage\":{");

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final boolean stream;
    private final boolean strip;
    private final byte[] overlap = new byte[OVERLAP];
    /** The seam between two chunks (the overlap and the new chunk's start), reused for every chunk. */
    private final byte[] seam = new byte[2 * OVERLAP];

    private final ByteBuffer seamBuffer = ByteBuffer.wrap(seam);
    private int overlapLength;
    private long firstContentNanos = -1;
    private int contentChunks;
    private int promptTokens = -1;
    private int completionTokens = -1;
    private int ollamaPrompt = -1;
    private int ollamaEval = -1;
    private int llamaPrompt = -1;
    private int llamaPredicted = -1;
    private byte @Nullable [] held;

    /**
     * @param stream true for a streamed answer (server-sent events or NDJSON): content chunks are counted
     * @param strip  true when the gateway added {@code stream_options.include_usage} and the caller did not
     */
    public UsageScanner(boolean stream, boolean strip) {
        this.stream = stream;
        this.strip = strip && stream;
    }

    /** Token counts of the answer so far. */
    public record Usage(int promptTokens, int completionTokens, boolean estimated) {}

    /**
     * Scans one chunk (its position is left alone) and returns what to write to the client: the
     * same buffer, unless usage events are being stripped and this chunk holds one or ends inside an event.
     * The first chunk with content is timed ({@link System#nanoTime}) as the first content token.
     */
    public ByteBuffer filter(ByteBuffer chunk) {
        scan(chunk);
        return strip ? stripUsageEvents(chunk) : chunk;
    }

    /** Whatever {@link #filter} still holds at the end of the answer (an event with no blank line after it). */
    public ByteBuffer rest() {
        byte[] h = held;
        held = null;
        if (h == null || isUsageEvent(h, 0, h.length)) {
            return EMPTY;
        }
        return ByteBuffer.wrap(h);
    }

    /** When the first content chunk arrived, -1 when none did (or the answer is not streamed). */
    public long firstContentNanos() {
        return firstContentNanos;
    }

    /** The counts found: the server's own where it sent them, else (a stream) its content chunks, marked estimated. */
    public Usage usage() {
        int in = promptTokens >= 0 ? promptTokens : ollamaPrompt >= 0 ? ollamaPrompt : llamaPrompt;
        int out = completionTokens >= 0 ? completionTokens : ollamaEval >= 0 ? ollamaEval : llamaPredicted;
        if (out >= 0) {
            return new Usage(in, out, false);
        }
        if (stream) {
            return new Usage(in, contentChunks, true);
        }
        return new Usage(in, -1, false);
    }

    private void scan(ByteBuffer chunk) {
        int base = chunk.position();
        int n = chunk.remaining();
        if (n == 0) {
            return;
        }
        if (overlapLength > 0) {
            // the seam: the end of the last chunk and the start of this one (keys only, no content counting)
            int take = Math.min(OVERLAP, n);
            System.arraycopy(overlap, 0, seam, 0, overlapLength);
            for (int i = 0; i < take; i++) {
                seam[overlapLength + i] = chunk.get(base + i);
            }
            scanBytes(seamBuffer, 0, overlapLength + take, false);
        }
        scanBytes(chunk, base, base + n, stream);
        // the last OVERLAP bytes of the answer so far (of this chunk, and of the ones before when it is short)
        if (n >= OVERLAP) {
            for (int i = 0; i < OVERLAP; i++) {
                overlap[i] = chunk.get(base + n - OVERLAP + i);
            }
            overlapLength = OVERLAP;
        } else {
            int old = Math.min(overlapLength, OVERLAP - n);
            System.arraycopy(overlap, overlapLength - old, overlap, 0, old);
            for (int i = 0; i < n; i++) {
                overlap[old + i] = chunk.get(base + i);
            }
            overlapLength = old + n;
        }
    }

    private void scanBytes(ByteBuffer b, int from, int to, boolean countContent) {
        boolean content = false;
        for (int i = from; i < to; i++) {
            if (b.get(i) != '"' || (i > from && b.get(i - 1) == '\\')) {
                continue;
            }
            int k = i + 1;
            if (k >= to) {
                break;
            }
            switch (b.get(k)) {
                case 'c' -> {
                    if (countContent && matches(b, k, to, "content\"") && nonEmptyString(b, k + 8, to)) {
                        contentChunks++;
                        content = true;
                    } else if (matches(b, k, to, "completion_tokens\"")) {
                        completionTokens = number(b, k + 18, to, completionTokens);
                    }
                }
                case 't' -> {
                    if (countContent && matches(b, k, to, "text\"") && nonEmptyString(b, k + 5, to)) {
                        contentChunks++;
                        content = true;
                    }
                }
                case 'p' -> {
                    if (matches(b, k, to, "prompt_tokens\"")) {
                        promptTokens = number(b, k + 14, to, promptTokens);
                    } else if (matches(b, k, to, "prompt_eval_count\"")) {
                        ollamaPrompt = number(b, k + 18, to, ollamaPrompt);
                    } else if (matches(b, k, to, "prompt_n\"")) {
                        llamaPrompt = number(b, k + 9, to, llamaPrompt);
                    } else if (matches(b, k, to, "predicted_n\"")) {
                        llamaPredicted = number(b, k + 12, to, llamaPredicted);
                    }
                }
                case 'e' -> {
                    if (matches(b, k, to, "eval_count\"")) {
                        ollamaEval = number(b, k + 11, to, ollamaEval);
                    }
                }
                default -> {}
            }
        }
        if (content && firstContentNanos < 0) {
            firstContentNanos = System.nanoTime();
        }
    }

    private static boolean matches(ByteBuffer b, int at, int to, String word) {
        int n = word.length();
        if (at + n > to) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b.get(at + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** After a key: {@code : "x...} with a first character that is not the closing quote. */
    private static boolean nonEmptyString(ByteBuffer b, int at, int to) {
        int i = skipColon(b, at, to);
        return i >= 0 && i + 1 < to && b.get(i) == '"' && b.get(i + 1) != '"';
    }

    /** After a key: {@code : 123}; the old value when there is no number there (null, an object). */
    private static int number(ByteBuffer b, int at, int to, int old) {
        int i = skipColon(b, at, to);
        if (i < 0 || i >= to || b.get(i) < '0' || b.get(i) > '9') {
            return old;
        }
        long v = 0;
        while (i < to && b.get(i) >= '0' && b.get(i) <= '9') {
            v = v * 10 + (b.get(i) - '0');
            if (v > Integer.MAX_VALUE) {
                return old;
            }
            i++;
        }
        if (i == to) {
            return old; // the number may go on in the next chunk; the seam scan reads it whole
        }
        return (int) v;
    }

    private static int skipColon(ByteBuffer b, int at, int to) {
        int i = at;
        while (i < to && b.get(i) == ' ') {
            i++;
        }
        if (i >= to || b.get(i) != ':') {
            return -1;
        }
        i++;
        while (i < to && b.get(i) == ' ') {
            i++;
        }
        return i;
    }

    // --- stripping the usage event the gateway asked for ----------------------------------------

    private ByteBuffer stripUsageEvents(ByteBuffer chunk) {
        int p = chunk.position();
        int n = chunk.remaining();
        if (held == null && endsWithBlankLine(chunk, p, n) && indexOf(chunk, p, p + n, CHOICES_EMPTY) < 0) {
            return chunk; // the usual chunk: whole events, none of them ours
        }
        byte[] all;
        int from = held == null ? 0 : held.length;
        all = held == null ? new byte[n] : Arrays.copyOf(held, held.length + n);
        chunk.duplicate().get(all, from, n);
        held = null;
        int cut = lastEventEnd(all);
        if (cut < all.length) {
            if (all.length - cut > MAX_HELD) {
                return ByteBuffer.wrap(all); // no framing to cut at: pass it on as it came
            }
            held = Arrays.copyOfRange(all, cut, all.length);
        }
        byte[] out = new byte[cut];
        int w = 0;
        int start = 0;
        while (start < cut) {
            int end = eventEnd(all, start, cut);
            if (!isUsageEvent(all, start, end)) {
                System.arraycopy(all, start, out, w, end - start);
                w += end - start;
            }
            start = end;
        }
        return ByteBuffer.wrap(out, 0, w);
    }

    private static boolean isUsageEvent(byte[] a, int from, int to) {
        ByteBuffer b = ByteBuffer.wrap(a);
        return indexOf(b, from, to, CHOICES_EMPTY) >= 0 && indexOf(b, from, to, USAGE_OBJECT) >= 0;
    }

    private static boolean endsWithBlankLine(ByteBuffer b, int p, int n) {
        return n >= 2
                && b.get(p + n - 1) == '\n'
                && (b.get(p + n - 2) == '\n' || (n >= 3 && b.get(p + n - 2) == '\r' && b.get(p + n - 3) == '\n'));
    }

    /** The index just after the last blank line in {@code a}, 0 when there is none. */
    private static int lastEventEnd(byte[] a) {
        for (int i = a.length - 1; i >= 1; i--) {
            if (a[i] == '\n' && (a[i - 1] == '\n' || (i >= 2 && a[i - 1] == '\r' && a[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The index just after the blank line ending the event that starts at {@code from} (or {@code to}). */
    private static int eventEnd(byte[] a, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (a[i] == '\n' && (a[i - 1] == '\n' || (i >= from + 2 && a[i - 1] == '\r' && a[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return to;
    }

    private static int indexOf(ByteBuffer b, int from, int to, byte[] word) {
        outer:
        for (int i = from; i <= to - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (b.get(i + j) != word[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
