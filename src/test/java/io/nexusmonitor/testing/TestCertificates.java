package io.nexusmonitor.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made with {@code openssl} at test time in a directory: a CA, certificates it signs
 * for a server (subjectAltName IP:127.0.0.1) and for a client; keys PKCS#8 PEM, as OpenSSL 3
 * writes them. Tests skip with a message where {@code openssl} is not installed.
 */
public final class TestCertificates {
    public static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Path dir;
    private final String name;

    /** A certificate and its private key. */
    public record Pair(Path cert, Path key) {}

    private TestCertificates(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A new CA named {@code name} in {@code dir} ({@code name-ca.pem}, {@code name-ca.key}). */
    public static TestCertificates ca(Path dir, String name) throws IOException, InterruptedException {
        assumeTrue(
                Files.isExecutable(OPENSSL), "openssl is not installed; the TLS tests make their certificates with it");
        TestCertificates c = new TestCertificates(dir, name);
        c.openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + name + " test CA",
                "-keyout",
                c.caKey().toString(),
                "-out",
                c.caCert().toString());
        return c;
    }

    public Path caCert() {
        return dir.resolve(name + "-ca.pem");
    }

    private Path caKey() {
        return dir.resolve(name + "-ca.key");
    }

    /**
     * A server certificate for 127.0.0.1, signed by this CA; for client use too, as etcd 3.4's JSON
     * gateway dials its own gRPC port with it (with {@code --client-cert-auth} it must be both).
     */
    public Pair server(String file) throws IOException, InterruptedException {
        return signed(file, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
    }

    /** A client certificate, signed by this CA. */
    public Pair client(String file) throws IOException, InterruptedException {
        return signed(file, "extendedKeyUsage=clientAuth\n");
    }

    private Pair signed(String file, String extensions) throws IOException, InterruptedException {
        Path key = dir.resolve(file + ".key");
        Path csr = dir.resolve(file + ".csr");
        Path cert = dir.resolve(file + ".pem");
        Path ext = dir.resolve(file + ".ext");
        Files.writeString(ext, extensions);
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=" + file,
                "-keyout",
                key.toString(),
                "-out",
                csr.toString());
        openssl(
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                caCert().toString(),
                "-CAkey",
                caKey().toString(),
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                ext.toString(),
                "-out",
                cert.toString());
        return new Pair(cert, key);
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + "-openssl.log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(out));
        }
    }
}
