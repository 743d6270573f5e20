package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS connections check who the server is, and passwords never go out in plain text unless allowed. Two InspIRCds
 * of their own serve TLS with certificates made here by {@code openssl}, both signed by one test CA: one for
 * {@code localhost} and 127.0.0.1, one for {@code evil.example} (someone with a certificate that a trusted CA signed,
 * for another name). The bridge trusts that CA through {@code tls-ca-file}, so only the name tells them apart.
 */
class TlsVerificationIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestBed bed;
    private static Path certs;
    private static TestBed.TlsIrcServer good;
    private static TestBed.TlsIrcServer evil;

    @BeforeAll
    static void startServers() throws Exception {
        bed = TestBed.get();
        certs = bed.workDir().resolve("tls-certs");
        Files.createDirectories(certs);
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Bridge Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        serverCertificate("good", "localhost", "DNS:localhost,IP:127.0.0.1");
        serverCertificate("evil", "evil.example", "DNS:evil.example");
        good = bed.startTlsIrc("good", certs.resolve("good.pem"), certs.resolve("good.key"));
        evil = bed.startTlsIrc("evil", certs.resolve("evil.pem"), certs.resolve("evil.key"));
    }

    @AfterAll
    static void stopServers() {
        if (good != null) {
            good.stop();
        }
        if (evil != null) {
            evil.stop();
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedAndTheAdminsAndTheUserAreToldWhy() throws Exception {
        MatrixTestClient admin = MatrixTestClient.register(bed, bed.uniqueName("adm"));
        String botNick = bed.uniqueName("Bot");
        String botPassword = bed.uniqueName("pw");
        Path config = tlsConfig("tls-evil", "127.0.0.1", evil.tlsPort(), botNick,
                "tls-ca-file: " + certs.resolve("ca.pem") + "\n      bot-account: " + botNick + "\n      bot-password: " + botPassword);
        TestBridgeConfig.admin(config, admin.userId());
        long started = System.nanoTime();
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            String line = bridge.awaitLog(l -> l.contains("refused the TLS certificate"), WAIT);
            assertTrue(line.contains("the TLS certificate of 127.0.0.1 is for evil.example, not for 127.0.0.1"), line);

            // The admins hear it in their admin room, the bot's direct chat with them.
            String adminRoom = admin.awaitInvite(WAIT);
            admin.join(adminRoom);
            String bot = "@ircbridge:" + bed.serverName();
            JsonNode told = admin.awaitEvent(adminRoom, e -> bot.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().startsWith("The bridge cannot connect to Test IRC"), WAIT);
            String text = told.path("content").path("body").asText();
            assertTrue(text.contains("is for evil.example, not for 127.0.0.1"), text);

            // A Matrix user's own connection is refused the same way, and the user is told why.
            String channel = "#" + bed.uniqueName("tls");
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            JsonNode kicked = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText())
                    && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            String reason = kicked.path("content").path("reason").asText();
            assertTrue(reason.contains("is for evil.example, not for 127.0.0.1"), reason);
            String userAdminRoom = user.awaitInvite(WAIT);
            user.join(userAdminRoom);
            JsonNode notice = user.awaitEvent(userAdminRoom, e -> bot.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().contains("evil.example"), WAIT);
            assertTrue(notice.path("content").path("body").asText().startsWith("Your IRC connection to Test IRC was refused"),
                    notice::toString);

            // Nothing reached IRC: neither the bot nor the user ever registered on the server.
            try (IrcTestClient watcher = evil.connect(bed.uniqueName("w"))) {
                assertFalse(watcher.whois(botNick), "the bot is not on the server that posed as the network");
                assertFalse(watcher.names(channel).stream().anyMatch(n -> n.endsWith("[m]")), "nobody from Matrix on the channel");
            }
            assertFalse(bridge.output().stream().anyMatch(l -> l.contains("The bot is connected to")), "the bot never registered");

            // It keeps trying, with backoff, not at full speed; and the admins were told once.
            Await.until(WAIT, "a second attempt is refused too",
                    () -> bridge.output().stream().filter(l -> l.contains("refused the TLS certificate")).count() >= 2);
            long attempts = bridge.output().stream().filter(l -> l.contains("refused the TLS certificate")).count();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            System.err.printf("[TlsVerificationIT] %d refused attempts by the bot in %d s%n", attempts, seconds);
            assertTrue(attempts <= 3 + seconds / 4, attempts + " attempts in " + seconds + " s");
            long messages = admin.roomMessages(adminRoom).stream().filter(e -> bot.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().startsWith("The bridge cannot connect to Test IRC")).count();
            assertEquals(1, messages, "the admins are told once, not at every attempt");
        }
    }

    @Test
    void aCertificateForTheServersNameSignedByTheConfiguredCaConnectsTheBotAndTheUsers() throws Exception {
        String botNick = bed.uniqueName("Bot");
        // A relative tls-ca-file is found next to the configuration file.
        Path config = tlsConfig("tls-good", "localhost", good.tlsPort(), botNick, "tls-ca-file: ca.pem");
        Files.copy(certs.resolve("ca.pem"), config.resolveSibling("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String channel = "#" + bed.uniqueName("tls");
        try (BridgeProcess bridge = BridgeProcess.start(config); IrcTestClient oper = good.connect(bed.uniqueName("op"))) {
            bridge.awaitLog(l -> l.contains("The bot is connected to Test IRC as " + botNick), WAIT);
            oper.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]") && channel.equalsIgnoreCase(m.param(0)), WAIT);
            assertFalse(bridge.output().stream().anyMatch(l -> l.contains("refused the TLS certificate")), "nothing refused");
        }
    }

    @Test
    void tlsVerifyFalseAcceptsAnyCertificateWithAWarningThatNamesTheNetwork() throws Exception {
        String botNick = bed.uniqueName("Bot");
        Path config = tlsConfig("tls-unverified", "127.0.0.1", evil.tlsPort(), botNick, "tls-verify: false");
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            String warning = bridge.awaitLog(l -> l.contains("are NOT verified"), WAIT);
            assertTrue(warning.contains("WARN") && warning.contains("Test IRC (testnet)") && warning.contains("tls-verify: false"), warning);
            bridge.awaitLog(l -> l.contains("The bot is connected to Test IRC as " + botNick), WAIT);
        }
    }

    @Test
    void aBotPasswordForANetworkWithoutTlsStopsTheBridgeAtStartUp() throws Exception {
        Path config = TestBridgeConfig.write(bed, "plain-bot-password");
        Files.writeString(config, Files.readString(config).replace("      allow-plaintext-secrets: true\n", ""));
        TestBridgeConfig.networkSetting(config, "channels: []\n      bot-account: bridgebot\n      bot-password: secret");
        BridgeProcess run = BridgeProcess.runToExit("-c", config.toString());
        assertEquals(2, run.exitCode(), () -> String.join("\n", run.output()));
        assertTrue(run.output().stream().anyMatch(l -> l.contains("irc.networks[0].bot-password: would be sent in plain text")),
                () -> String.join("\n", run.output()));
    }

    @Test
    void aLoginForANetworkWithoutTlsIsRefusedWithTheReasonAndNotSent() throws Exception {
        Path config = TestBridgeConfig.write(bed, "plain-login");
        Files.writeString(config, Files.readString(config).replace("      allow-plaintext-secrets: true\n", ""));
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            String bot = "@ircbridge:" + bed.serverName();
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String adminRoom = user.createDirectChat(bot);
            Await.until(WAIT, "the bot joins the admin room", () -> user.members(adminRoom).contains(bot));
            user.sendText(adminRoom, "!login someaccount " + bed.uniqueName("pw"));
            JsonNode answer = user.awaitEvent(adminRoom, e -> bot.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().contains("without TLS"), WAIT);
            String text = answer.path("content").path("body").asText();
            assertTrue(text.contains("allow-plaintext-secrets") && text.contains("not sent"), text);
            // The login was neither sent nor kept: the user has no connection, and nothing to log out of.
            user.sendText(adminRoom, "!logout");
            user.awaitEvent(adminRoom, e -> bot.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().startsWith("You have no login for Test IRC"), WAIT);
        }
    }

    /** A configuration for the test network at {@code host}:{@code port} with TLS, and more settings for it. */
    private static Path tlsConfig(String name, String host, int port, String botNick, String settings) throws IOException {
        Path config = TestBridgeConfig.write(bed, name + "-" + bed.uniqueName("b"), TestBridgeConfig.embeddedDatabase(
                bed.workDir().resolve("bridges").resolve(name).resolve("data-" + bed.uniqueName("d"))), botNick);
        String text = Files.readString(config)
                .replace("      host: " + bed.ircHost() + "\n      port: " + bed.ircPort() + "\n",
                        "      host: " + host + "\n      port: " + port + "\n      tls: true\n")
                .replace("      allow-plaintext-secrets: true\n", "");
        assertTrue(text.contains("tls: true"), text);
        Files.writeString(config, text);
        TestBridgeConfig.networkSetting(config, "channels: []\n      " + settings);
        return config;
    }

    /** A key and a certificate for a server, signed by the test CA. */
    private static void serverCertificate(String name, String commonName, String alternativeNames) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=" + alternativeNames
                + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
