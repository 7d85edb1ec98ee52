package io.nexusmonitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexusmonitor.json.BackendJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP by hand over a loopback socket, for what a normal client will not send: a forged
 * {@code Host}, HTTP/1.0 without {@code Host}, an absolute-form target, a body that never ends.
 */
final class RawHttp implements AutoCloseable {
    /** One answer: status, headers (lower-case names) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return BackendJson.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        String code() {
            return json().path("error").path("code").asText();
        }

        String message() {
            return json().path("error").path("message").asText();
        }
    }

    private final Socket socket;

    RawHttp(int port) {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(30_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the text (CRLF line ends are the caller's) and reads the answer to the end (Connection: close). */
    static Answer exchange(int port, String request) {
        try (RawHttp h = new RawHttp(port)) {
            h.send(request);
            return h.answer();
        }
    }

    /** {@code METHOD path HTTP/1.1} with these header lines, {@code Connection: close} and the body. */
    static String request(String method, String target, String body, String... headerLines) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        b.append("Connection: close\r\n");
        if (body != null) {
            b.append("Content-Length: ")
                    .append(body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n");
        }
        b.append("\r\n");
        if (body != null) {
            b.append(body);
        }
        return b.toString();
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the server closes the connection and parses what came. */
    Answer answer() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // the server may reset after answering an upload it did not read: keep what came
            }
            return parse(all.toString(StandardCharsets.ISO_8859_1));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 30 s", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to 30 s) for the first byte of an answer, leaving the connection open. */
    void awaitFirstByte() {
        try {
            if (socket.getInputStream().read() < 0) {
                throw new AssertionError("the server closed the connection without answering");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when nothing at all arrives within this many milliseconds. */
    boolean silentFor(int millis) {
        try {
            socket.setSoTimeout(millis);
            int b = socket.getInputStream().read();
            socket.setSoTimeout(30_000);
            return false;
        } catch (SocketTimeoutException e) {
            try {
                socket.setSoTimeout(30_000);
            } catch (IOException ignored) {
                // closing anyway
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Answer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete HTTP answer: " + raw);
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        String body = raw.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Answer(
                status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int nl = s.indexOf("\r\n", i);
            if (nl < 0) {
                break;
            }
            int size = Integer.parseInt(s.substring(i, nl).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(s, nl + 2, nl + 2 + size);
            i = nl + 2 + size + 2;
        }
        return out.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
