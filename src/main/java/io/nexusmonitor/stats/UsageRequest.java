package io.nexusmonitor.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Asks a backend for the token counts of a streamed answer: a request body with top-level
 * {@code "stream": true} and no {@code stream_options} gets {@code "stream_options":
 * {"include_usage": true}} (OpenAI's way, which vLLM, llama.cpp and Ollama's OpenAI API follow),
 * and the extra usage event is taken out of the answer again ({@link UsageScanner}), so the caller
 * sees the stream it asked for. A caller that set {@code stream_options} itself is left alone.
 * Bodies without the word {@code "stream"} are not parsed at all.
 */
public final class UsageRequest {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] STREAM = "\"stream\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPTIONS =
            "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);

    private UsageRequest() {}

    /** True when the body streams and does not say whether it wants usage: the gateway may ask for it. */
    public static boolean shouldAsk(byte[] body) {
        if (!contains(body, STREAM)) {
            return false;
        }
        boolean streams = false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("stream_options")) {
                    return false;
                }
                if (name.equals("stream")) {
                    streams = value == JsonToken.VALUE_TRUE;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return false;
        }
        return streams;
    }

    /** The body with {@code stream_options.include_usage} added as its first member (call only after {@link #shouldAsk}). */
    public static byte[] ask(byte[] body) {
        int i = 0;
        while (i < body.length && body[i] != '{') {
            i++;
        }
        int after = i + 1;
        int j = after;
        while (j < body.length && (body[j] == ' ' || body[j] == '\n' || body[j] == '\r' || body[j] == '\t')) {
            j++;
        }
        byte[] out = new byte[body.length + OPTIONS.length];
        System.arraycopy(body, 0, out, 0, after);
        System.arraycopy(OPTIONS, 0, out, after, OPTIONS.length);
        System.arraycopy(body, after, out, after + OPTIONS.length, body.length - after);
        if (j < body.length && body[j] == '}') { // "{}" cannot stream, but never leave a trailing comma
            return body;
        }
        return out;
    }

    private static boolean contains(byte[] a, byte[] w) {
        outer:
        for (int i = 0; i <= a.length - w.length; i++) {
            for (int k = 0; k < w.length; k++) {
                if (a[i + k] != w[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
