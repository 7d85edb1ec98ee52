package io.nexusmonitor.health.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** {@code last_error} sentences and history causes for the ways a probe fails. */
class FailureTest {

    private static Failure of(Throwable t) {
        return Failure.of(t, 5, "gpu-box:11434");
    }

    @Test
    void connectionRefused() {
        assertThat(of(new ConnectException("Connection refused")))
                .isEqualTo(new Failure(
                        "connection refused", "connection refused by gpu-box:11434 (nothing listening on that port?)"));
    }

    @Test
    void timeoutNamesTheConfiguredSeconds() {
        assertThat(of(new TimeoutException("Total timeout 5000 ms elapsed")))
                .isEqualTo(new Failure("timeout", "timed out after 5 s"));
    }

    @Test
    void unknownHostIsDnsNameNotFound() {
        assertThat(of(new UnknownHostException("gpu-box: Name or service not known")))
                .isEqualTo(new Failure("DNS name not found", "DNS name not found: gpu-box:11434"));
    }

    @Test
    void rejectedCertificateSaysWhy() {
        SSLHandshakeException selfSigned = new SSLHandshakeException(
                "PKIX path building failed: " + "unable to find valid certification path to requested target");
        assertThat(of(selfSigned))
                .isEqualTo(new Failure(
                        "TLS certificate rejected",
                        "TLS certificate rejected: it is not signed by a trusted authority (self-signed?)"));

        SSLHandshakeException expired = new SSLHandshakeException("handshake failed");
        expired.initCause(new CertificateExpiredException("NotAfter: ..."));
        assertThat(of(expired).sentence()).isEqualTo("TLS certificate rejected: it has expired");

        assertThat(of(new SSLHandshakeException("No subject alternative DNS name matching gpu-box found."))
                        .sentence())
                .isEqualTo("TLS certificate rejected: it was issued for another host name");
    }

    @Test
    void otherTlsFailuresAreNotBlamedOnTheCertificate() {
        assertThat(of(new SSLHandshakeException(
                        "No appropriate protocol (protocol is disabled or cipher suites are inappropriate)")))
                .isEqualTo(new Failure(
                        "TLS failed",
                        "TLS handshake with gpu-box:11434 failed: No appropriate protocol "
                                + "(protocol is disabled or cipher suites are inappropriate)"));
        assertThat(of(new SSLHandshakeException("Received fatal alert: certificate_unknown"))
                        .sentence())
                .isEqualTo("TLS certificate rejected: the server's certificate is not trusted");
    }

    @Test
    void tlsSpokenToAPlainServer() {
        assertThat(of(new SSLException("Unsupported or unrecognized SSL message"))
                        .sentence())
                .isEqualTo("TLS handshake with gpu-box:11434 failed (is it really https?)");
    }

    @Test
    void tooLargeAnswerNamesTheLimit() {
        assertThat(of(new ResponseTooLargeException(4 * 1024 * 1024)))
                .isEqualTo(new Failure("response too large", "response larger than 4 MB"));
    }

    @Test
    void causesAreFoundInsideWrappers() {
        assertThat(of(new ExecutionException(new IOException("wrapped", new ConnectException("Connection refused"))))
                        .cause())
                .isEqualTo("connection refused");
        assertThat(of(new NoRouteToHostException("No route to host")).cause()).isEqualTo("no route to host");
    }

    @Test
    void anythingElseKeepsItsMessage() {
        assertThat(of(new IOException("Max redirects exceeded 8")))
                .isEqualTo(new Failure("request failed", "request failed: Max redirects exceeded 8"));
    }

    @Test
    void httpStatusNamesStatusReasonAndPath() {
        assertThat(Failure.http(503, "Service Unavailable", "/v1/models"))
                .isEqualTo(new Failure("HTTP 503", "HTTP 503 Service Unavailable from /v1/models"));
        assertThat(Failure.http(404, null, "/api/tags").sentence()).isEqualTo("HTTP 404 from /api/tags");
    }

    @Test
    void sizesReadAsUsersReadThem() {
        assertThat(Failure.megabytes(4 * 1024 * 1024)).isEqualTo("4 MB");
        assertThat(Failure.megabytes(1536 * 1024)).isEqualTo("1.5 MB");
        assertThat(Failure.megabytes(512 * 1024)).isEqualTo("512 KB");
    }
}
