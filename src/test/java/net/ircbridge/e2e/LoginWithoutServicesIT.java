package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code !login} on a network without services (the test bed's ngIRCd, which has no SASL either), with the bridge
 * on PostgreSQL: an IRC user who took the nick {@code NickServ} never reads the password; the transaction row the
 * bridge keeps while the login is under way has no password in it; and a login the bridge is killed in the middle
 * of is not silently lost: after the restart the user is asked to say it again.
 */
class LoginWithoutServicesIT extends OneBridgePerClass {

    private static int port;

    @BeforeAll
    static void start() {
        bed = TestBed.get();
        port = bed.ngircdPort();
        String database = "database:\n  url: " + bed.postgresJdbcUrl() + "\n  username: " + bed.postgresUser()
                + "\n  password: " + bed.postgresPassword() + "\n";
        config = TestBridgeConfig.write(bed, "noservices", database);
        TestBridgeConfig.useNgircd(bed, config);
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
    }

    private static IrcTestClient connect(String nick) {
        return IrcTestClient.connect(bed.ircHost(), port, nick, bed.operName(), bed.operPassword(), WAIT);
    }

    /** A Matrix user in a channel's room and on the channel (their connection is up), with an admin room. */
    private record UserOnChannel(MatrixTestClient user, String room, String adminRoom, String nick) {
    }

    private static UserOnChannel userOnChannel(IrcTestClient op, String channel) {
        op.join(channel);
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String room = user.join(alias(channel));
        String nick = op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
        String adminRoom = user.createDirectChat(bot);
        Await.until(WAIT, "the bot joins the admin room", () -> user.members(adminRoom).contains(bot));
        return new UserOnChannel(user, room, adminRoom, nick);
    }

    /** The stored copy of an event in the bridge's inbox, while it waits to be processed. */
    private static Optional<String> storedEvent(String eventId) {
        try (Connection c = DriverManager.getConnection(bed.postgresJdbcUrl(), bed.postgresUser(), bed.postgresPassword());
                PreparedStatement ps = c.prepareStatement("SELECT event FROM inbound_event WHERE event LIKE ?")) {
            ps.setString(1, "%" + eventId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String awaitFromBot(MatrixTestClient user, String room, String fragment) {
        return user.awaitEvent(room, e -> bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().contains(fragment), WAIT.multipliedBy(2)).path("content").path("body").asText();
    }

    @Test
    void aUserWhoTookTheNickNickServNeverReadsThePasswordNorDoesTheStoredTransaction() {
        String channel = "#" + bed.uniqueName("nsv");
        String password = bed.uniqueName("secretpw");
        try (IrcTestClient impostor = connect("NickServ"); IrcTestClient op = connect(bed.uniqueName("op"))) {
            UserOnChannel on = userOnChannel(op, channel);

            String login = on.user().sendText(on.adminRoom(), "!login someaccount " + password);
            // While the login waits for the network, its transaction is in the store: without the password.
            String stored = Await.untilPresent(WAIT, "the !login transaction stored", () -> storedEvent(login));
            assertTrue(!stored.contains(password), stored);
            assertTrue(stored.contains("!login (password not kept)"), stored);

            String answer = awaitFromBot(on.user(), on.adminRoom(), "did not accept the login");
            assertTrue(answer.startsWith("Test IRC did not accept the login as someaccount"), answer);

            // The connection, already up, reconnected to try SASL (which ngIRCd lacks) and is back on the channel.
            op.awaitMessage(m -> m.is("QUIT") && on.nick().equals(m.sourceNick()), WAIT);
            op.awaitMessage(m -> m.is("JOIN") && on.nick().equals(m.sourceNick()) && channel.equalsIgnoreCase(m.param(0)), WAIT);

            // Everything the server sent the impostor before this PONG has arrived: never the password.
            impostor.send("PING :sync");
            impostor.awaitMessage(m -> m.is("PONG") && m.trailing().equals("sync"), WAIT);
            assertTrue(impostor.receivedLines().stream().noneMatch(l -> l.contains(password)),
                    () -> String.join("\n", impostor.receivedLines()));
            assertTrue(impostor.receivedLines().stream().map(IrcMessage::parse).noneMatch(m -> m.is("PRIVMSG")),
                    () -> String.join("\n", impostor.receivedLines()));
        }
    }

    @Test
    void aLoginTheBridgeWasKilledInTheMiddleOfIsAskedForAgainNotLost() {
        String channel = "#" + bed.uniqueName("nsk");
        String password = bed.uniqueName("secretpw");
        try (IrcTestClient op = connect(bed.uniqueName("op"))) {
            UserOnChannel on = userOnChannel(op, channel);

            String login = on.user().sendText(on.adminRoom(), "!login someaccount " + password);
            Await.untilPresent(WAIT, "the !login transaction stored", () -> storedEvent(login));
            bridge.kill();
            bridge = BridgeProcess.start(config);

            String answer = awaitFromBot(on.user(), on.adminRoom(), "The bridge stopped before it could carry out a !login");
            assertTrue(answer.contains("say !login again"), answer);
            Await.until(WAIT, "the stored copy processed", () -> storedEvent(login).isEmpty());
            assertEquals(Optional.empty(), storedEvent(login));
        }
    }
}
