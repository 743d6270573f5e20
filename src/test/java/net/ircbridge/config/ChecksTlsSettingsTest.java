package net.ircbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up checks of tls-verify, tls-ca-file and allow-plaintext-secrets: one line per problem, naming the key. */
class ChecksTlsSettingsTest {

    @TempDir
    Path dir;

    private List<String> problems(String networkSettings) throws IOException {
        return load(networkSettings).problems();
    }

    /** The minimal configuration with these lines added to its network, which is named by a DNS name here. */
    private LoadsConfiguration.Result load(String networkSettings) throws IOException {
        return MinimalConfig.load(dir, MinimalConfig.VALID.replace("      host: 127.0.0.1\n",
                "      host: irc.example.org\n" + networkSettings.indent(6)), false);
    }

    @Test
    void verifiesTlsAndSendsNoSecretsInPlainTextByDefault() throws IOException {
        LoadsConfiguration.Result result = load("tls: true");
        assertEquals(List.of(), result.problems());
        IrcConfig.Network n = result.configuration().irc().networks().get(0);
        assertTrue(n.tlsVerify());
        assertTrue(n.tlsCaFile().isEmpty());
        assertEquals(false, n.allowPlaintextSecrets());
    }

    @Test
    void refusesABotPasswordForANetworkWithoutTls() throws IOException {
        assertEquals(List.of("irc.networks[0].bot-password: would be sent in plain text: set tls: true (or"
                        + " allow-plaintext-secrets: true for a network reached over a link nobody else can read)"),
                problems("bot-account: bridge\nbot-password: secret"));
    }

    @Test
    void refusesAServerPasswordForANetworkWithoutTls() throws IOException {
        List<String> problems = problems("password: secret");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("irc.networks[0].password: would be sent in plain text"), problems::toString);
    }

    @Test
    void acceptsPasswordsWithTlsOrWhenPlainTextIsAllowed() throws IOException {
        assertEquals(List.of(), problems("tls: true\npassword: s\nbot-account: bridge\nbot-password: secret"));
        assertEquals(List.of(), problems("allow-plaintext-secrets: true\npassword: s\nbot-account: bridge\nbot-password: secret"));
    }

    @Test
    void refusesACaFileThatIsMissing() throws IOException {
        assertEquals(List.of("irc.networks[0].tls-ca-file: " + dir.resolve("missing.pem") + " does not exist or cannot be read"),
                problems("tls: true\ntls-ca-file: missing.pem"));
    }

    @Test
    void refusesACaFileWithoutACertificate() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        List<String> problems = problems("tls: true\ntls-ca-file: ca.pem");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("irc.networks[0].tls-ca-file: " + dir.resolve("ca.pem")), problems::toString);
    }

    @Test
    void refusesACaFileWithoutVerifiedTls() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "");
        List<String> problems = problems("tls-ca-file: ca.pem");
        assertTrue(problems.contains("irc.networks[0].tls-ca-file: only used with tls: true and tls-verify: true"), problems::toString);
        problems = problems("tls: true\ntls-verify: false\ntls-ca-file: ca.pem");
        assertTrue(problems.contains("irc.networks[0].tls-ca-file: only used with tls: true and tls-verify: true"), problems::toString);
    }
}
