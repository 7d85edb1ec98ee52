package io.nexusmonitor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A throw-away self-signed certificate for 127.0.0.1, for {@link FakeBackend#https}: no trusted authority signed it. */
public final class SelfSignedKeyStore {
    public static final String PASSWORD = "secret123";

    private SelfSignedKeyStore() {}

    /** Writes {@code fake.p12} (PKCS#12, {@link #PASSWORD}) into {@code dir} with the JDK's own keytool. */
    public static Path create(Path dir) throws Exception {
        Path keyStore = dir.resolve("fake.p12");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-alias",
                        "fake",
                        "-dname",
                        "CN=127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return keyStore;
    }
}
