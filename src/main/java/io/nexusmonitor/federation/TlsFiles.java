package io.nexusmonitor.federation;

import io.nexusmonitor.config.NexusConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/**
 * The TLS setup for etcd from {@code [federation] ca_file}, {@code cert_file}, {@code key_file}
 * (PEM; the key PKCS#8, RSA or EC, as {@code openssl pkcs8 -topk8 -nocrypt} writes it). Null when
 * the endpoints are plain http and no file is set.
 */
final class TlsFiles {
    private TlsFiles() {}

    static SslContextFactory.@Nullable Client context(NexusConfig.Federation f) {
        boolean https = f.etcdEndpoints().stream().anyMatch(e -> e.startsWith("https://"));
        if (!https && f.caFile() == null && f.certFile() == null) {
            return null;
        }
        SslContextFactory.Client tls = new SslContextFactory.Client();
        try {
            if (f.caFile() != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(f.caFile())) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                tls.setTrustStore(trust);
            }
            if (f.certFile() != null && f.keyFile() != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] pass = new char[0];
                keys.setKeyEntry(
                        "client",
                        privateKey(f.keyFile()),
                        pass,
                        certificates(f.certFile()).toArray(new Certificate[0]));
                tls.setKeyStore(keys);
                tls.setKeyStorePassword("");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("[federation] TLS files: " + EtcdGateway.reason(e), e);
        }
        return tls;
    }

    private static Collection<? extends Certificate> certificates(Path file)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> c =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (c.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + file);
            }
            return c;
        } catch (IOException e) {
            throw new IOException("cannot read " + file, e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(file + " holds no PKCS#8 private key (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(file + ": not an RSA, EC or Ed25519 key");
    }
}
