package io.nexusmonitor.health.logic;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Why a probe failed, twice: a short {@code cause} for history and events ("timeout",
 * "connection refused", "HTTP 503") and a {@code sentence} for {@code last_error} that a user
 * understands without a stack trace.
 *
 * <p>A sentence names the backend's host and port, never the engine's side of the connection:
 * exception texts of the HTTP client carry object dumps with both ends' addresses (the local,
 * ephemeral port included), so only short plain-word messages ({@link #plain}) are quoted, and
 * anything else is summed up by its kind.
 */
public record Failure(String cause, @Nullable String sentence) {
    /** Longest exception message or reason phrase quoted in a sentence. */
    static final int MAX_QUOTED = 120;
    /** Words, digits and light punctuation; no '@', '/', '{', '=' or "host:port" (object dumps, addresses). */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9 _,.'()\\-]*");

    /** A non-2xx answer. */
    public static Failure http(int status, String reason, String path) {
        String why = reason == null || reason.isBlank() || plain(reason.trim()) == null ? "" : " " + reason.trim();
        return new Failure("HTTP " + status, "HTTP " + status + why + " from " + path);
    }

    /** A 3xx answer: redirects are not followed (a backend must not point the checker at another server). */
    public static Failure redirect(int status, String path) {
        return new Failure(
                "redirected", "HTTP " + status + " from " + path + ": redirected to another address (not followed)");
    }

    /** Describes a transport failure (the exception the HTTP client reported). */
    public static Failure of(Throwable error, int timeoutSeconds, String host) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            Failure f = classify(t, timeoutSeconds, host);
            if (f != null) {
                return f;
            }
        }
        String msg = plain(error.getMessage());
        if (msg != null) {
            return new Failure("request failed", "request failed: " + msg);
        }
        return new Failure("request failed", "request to " + host + " failed: " + kind(error));
    }

    /** {@code message} when it is short plain words, else null (it would dump objects or addresses). */
    static @Nullable String plain(@Nullable String message) {
        if (message == null) {
            return null;
        }
        String m = message.strip();
        return m.length() <= MAX_QUOTED && PLAIN.matcher(m).matches() ? m : null;
    }

    /**
     * Whether the connection was closed or reset under the request (not refused: it was open). On
     * a kept connection before any answer byte, that is the server closing it as idle while the
     * request went out, which a GET survives by being sent again. A TLS failure is not: the server
     * refused the handshake (and closed) for a reason sending again does not change.
     */
    public static boolean connectionClosed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return false;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            if (t instanceof java.net.SocketException
                    && !(t instanceof ConnectException)
                    && !(t instanceof NoRouteToHostException)) {
                return true; // "Connection reset"
            }
            if (t instanceof java.io.IOException && "Broken pipe".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong, by the kind of exception, for messages that cannot be quoted. */
    private static String kind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException) {
                return "the connection was closed before a complete answer";
            }
            String name = t.getClass().getSimpleName();
            if (name.contains("HttpResponseException") || name.contains("BadMessage")) {
                return "the answer is not valid HTTP";
            }
        }
        return "the connection broke or the answer was not valid HTTP";
    }

    private static @Nullable Failure classify(Throwable t, int timeoutSeconds, String host) {
        if (t instanceof ResponseTooLargeException) {
            return new Failure("response too large", t.getMessage());
        }
        if (t instanceof ProbeBudgetException) {
            return new Failure("busy", t.getMessage());
        }
        if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
            return new Failure("timeout", "timed out after " + timeoutSeconds + " s");
        }
        if (t instanceof ConnectException) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("refused")) {
                return new Failure(
                        "connection refused", "connection refused by " + host + " (nothing listening on that port?)");
            }
            String why = plain(t.getMessage());
            return new Failure("cannot connect", "cannot connect to " + host + (why == null ? "" : ": " + why));
        }
        if (t instanceof NoRouteToHostException) {
            return new Failure("no route to host", "no route to host " + host);
        }
        if (t instanceof UnknownHostException) {
            return new Failure("DNS name not found", "DNS name not found: " + host);
        }
        if (t instanceof SSLException || t instanceof CertificateException) {
            String problem = certificateProblem(t);
            if (problem != null) {
                return new Failure("TLS certificate rejected", "TLS certificate rejected: " + problem);
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("plaintext") || m.contains("unrecognized ssl message")) {
                return new Failure("TLS failed", "TLS handshake with " + host + " failed (is it really https?)");
            }
            String why = plain(t.getMessage());
            return new Failure(
                    "TLS failed", "TLS handshake with " + host + " failed" + (why == null ? "" : ": " + why));
        }
        return null;
    }

    /** What is wrong with the certificate, or null when the TLS failure is not about one. */
    private static @Nullable String certificateProblem(Throwable error) {
        boolean aboutCertificate = false;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "it has expired";
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no subject alternative") || m.contains("no name matching")) {
                return "it was issued for another host name";
            }
            if (m.contains("unable to find valid certification path") || m.contains("pkix")) {
                return "it is not signed by a trusted authority (self-signed?)";
            }
            aboutCertificate |= t instanceof CertificateException || m.contains("certificate");
        }
        return aboutCertificate ? "the server's certificate is not trusted" : null;
    }

    /** {@code 4 MB}, {@code 512 KB}: sizes as users read them. */
    public static String megabytes(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes >= 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
        }
        return Math.max(1, bytes / 1024) + " KB";
    }
}
