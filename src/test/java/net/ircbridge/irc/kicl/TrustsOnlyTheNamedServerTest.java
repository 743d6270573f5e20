package net.ircbridge.irc.kicl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which host a certificate is for, by its subject alternative names (certificates made by openssl). */
class TrustsOnlyTheNamedServerTest {

    @TempDir
    static Path dir;

    private static X509Certificate localhost;
    private static X509Certificate wildcard;
    private static X509Certificate cnOnly;
    private static X509Certificate evilWithLocalhostCn;
    private static X509Certificate many;

    @BeforeAll
    static void makeCertificates() throws Exception {
        localhost = certificate("localhost", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
        wildcard = certificate("wildcard", "/CN=irc.example.org", "subjectAltName=DNS:*.example.org,DNS:example.org");
        cnOnly = certificate("cn", "/CN=legacy.example", null);
        evilWithLocalhostCn = certificate("evil", "/CN=localhost", "subjectAltName=DNS:evil.example");
        StringBuilder names = new StringBuilder("subjectAltName=DNS:a0.example");
        for (int i = 1; i < 8; i++) {
            names.append(",DNS:a").append(i).append(".example");
        }
        many = certificate("many", "/CN=a0.example", names.toString());
    }

    @Test
    void aDnsNameMatchesWithoutRegardToCaseOrATrailingDot() {
        assertIsFor(localhost, "localhost", "LocalHost.");
        assertIsNotFor(localhost, "localhost.evil.example", "evil.example");
    }

    @Test
    void anIpAddressMustBeAnIpSubjectAlternativeName() {
        assertIsFor(localhost, "127.0.0.1", "::1", "[0:0:0:0:0:0:0:1]");
        assertIsNotFor(localhost, "127.0.0.2");
        assertIsNotFor(wildcard, "127.0.0.1");
    }

    @Test
    void aWildcardStandsForExactlyOneLeftmostLabel() {
        assertIsFor(wildcard, "irc.example.org", "example.org");
        assertIsNotFor(wildcard, "a.b.example.org", "irc.example.org.evil.example", ".example.org");
    }

    @Test
    void theCommonNameCountsOnlyWithoutSubjectAlternativeNames() {
        assertIsFor(cnOnly, "legacy.example");
        assertIsNotFor(evilWithLocalhostCn, "localhost");
        assertEquals(List.of("evil.example"), TrustsOnlyTheNamedServer.names(evilWithLocalhostCn));
        assertEquals(List.of("legacy.example"), TrustsOnlyTheNamedServer.names(cnOnly));
    }

    @Test
    void aRefusalNamesAFewOfTheCertificatesNamesAndCountsTheRest() {
        assertEquals("a0.example, a1.example, a2.example, a3.example, a4.example and 3 more",
                TrustsOnlyTheNamedServer.describe(TrustsOnlyTheNamedServer.names(many)));
        assertEquals("no name", TrustsOnlyTheNamedServer.describe(List.of()));
        assertEquals("bad?name", TrustsOnlyTheNamedServer.describe(List.of("bad\nname")));
    }

    private static void assertIsFor(X509Certificate certificate, String... hosts) {
        for (String host : hosts) {
            assertTrue(TrustsOnlyTheNamedServer.isFor(certificate, host), host);
        }
    }

    private static void assertIsNotFor(X509Certificate certificate, String... hosts) {
        for (String host : hosts) {
            assertFalse(TrustsOnlyTheNamedServer.isFor(certificate, host), host);
        }
    }

    private static X509Certificate certificate(String name, String subject, String extension) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days", "1",
                "-subj", subject));
        if (extension != null) {
            command.addAll(List.of("-addext", extension));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("openssl failed: " + output);
        }
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
