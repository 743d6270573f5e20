package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a {@code !login}'s password, with the embedded store and real services (Anope on the test
 * InspIRCd, server {@value TestBed#SERVICES_SERVER_NAME}): it identifies the connection, and then it is nowhere the
 * bridge wrote — not in any file of the data directory (the database's own file included, where a stored and
 * later deleted transaction would linger), not in the admin room (the bot redacts the message) — and the data
 * directory, made wider by someone beforehand, is the bridge's user's alone.
 */
class LoginSecretsIT extends OneBridgePerClass {

    private static Path data;

    @BeforeAll
    static void start() throws IOException {
        bed = TestBed.get();
        bed.startServices();
        data = bed.workDir().resolve("bridges").resolve("secrets").resolve("data");
        // A data directory readable by everyone, as an older bridge (or a careless operator) left it.
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        startBridge("secrets", "services-server: " + TestBed.SERVICES_SERVER_NAME);
    }

    /** Registers an account with NickServ from an IRC connection whose nick is the account's name. */
    private static void registerAccount(String account, String password) {
        try (IrcTestClient owner = IrcTestClient.connect(bed, account)) {
            owner.privmsg("NickServ", "REGISTER " + password + " " + account + "@example.org");
            owner.awaitMessage(m -> m.is("900"), WAIT);
        }
    }

    private static MatrixTestClient userWithAdminRoom(String[] room) {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        room[0] = user.createDirectChat(bot);
        Await.until(WAIT, "the bot joins the admin room", () -> user.members(room[0]).contains(bot));
        return user;
    }

    private static String awaitFromBot(MatrixTestClient user, String room, String fragment) {
        return user.awaitEvent(room, e -> bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().contains(fragment), WAIT).path("content").path("body").asText();
    }

    @Test
    void aLoginsPasswordIsRedactedInTheAdminRoomAndInNoFileOfThePrivateDataDirectory() throws IOException {
        String account = bed.uniqueName("acct");
        String password = bed.uniqueName("secretpw");
        registerAccount(account, password);
        String[] room = new String[1];
        MatrixTestClient user = userWithAdminRoom(room);

        String login = user.sendText(room[0], "!login " + account + " " + password);
        String answer = awaitFromBot(user, room[0], "You are identified as");
        assertTrue(answer.startsWith("You are identified as " + account + " on Test IRC."), answer);
        assertTrue(!answer.contains("redact it yourself"), answer);

        // The user, a member of the room, finds the message redacted by the bot, with a reason.
        Await.until(WAIT, "the !login message is redacted", () -> {
            JsonNode event = user.get("rooms/" + MatrixTestClient.enc(room[0]) + "/event/" + MatrixTestClient.enc(login)).body();
            return event.path("content").isEmpty() && event.path("unsigned").has("redacted_because");
        });
        JsonNode event = user.get("rooms/" + MatrixTestClient.enc(room[0]) + "/event/" + MatrixTestClient.enc(login)).body();
        JsonNode redaction = event.path("unsigned").path("redacted_because");
        assertEquals(bot, redaction.path("sender").asText(), redaction::toString);
        assertTrue(!redaction.path("content").path("reason").asText().isEmpty(), redaction::toString);

        // Nothing the bridge wrote holds the password: the transaction was stored without it.
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        List<Path> files = filesIn(data);
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().endsWith(".mv.db")), files::toString);
        for (Path file : files) {
            assertTrue(indexOf(Files.readAllBytes(file), secret) < 0, file + " holds the password");
        }
        // And only the bridge's user may read any of it.
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        for (Path file : files) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)),
                    file::toString);
        }
    }

    @Test
    void aConnectionThatIsUpIsIdentifiedThroughTheServicesOwnServer() {
        String account = bed.uniqueName("acct");
        String password = bed.uniqueName("pw");
        registerAccount(account, password);
        String[] room = new String[1];
        MatrixTestClient user = userWithAdminRoom(room);

        // A wrong password: the new connection's SASL login is refused, and the connection stays up unidentified.
        user.sendText(room[0], "!login " + account + " wrong" + password);
        awaitFromBot(user, room[0], "did not accept the login");

        // The right one goes to NickServ@services.test: the connection is identified without reconnecting.
        user.sendText(room[0], "!login " + account + " " + password);
        String answer = awaitFromBot(user, room[0], "You are identified as");
        assertTrue(answer.startsWith("You are identified as " + account + " on Test IRC."), answer);
        assertTrue(bridge.output().stream().noneMatch(l -> l.contains("to log in with SASL")), "no reconnect was needed");
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
