package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 5: a Matrix event whose handling fails for a moment (here the bridge's PostgreSQL: tables
 * locked past the bridge's {@code lock_timeout}, then every connection of the bridge killed by the server) is tried
 * again once the database is back, in order with the room's later events; one that keeps failing past
 * {@code relay.retry-failed-events-for} is answered in the room, and the room goes on. A bridged room's messages
 * do not ask the database at all (its portal is known in memory); a join does (the user's IRC identity), and so does
 * each command in an admin room.
 *
 * <p>The bridge runs on a PostgreSQL database and role of its own on the test bed's server, so locking its tables and
 * killing its connections touches no other test's bridge. The role has a {@code lock_timeout} of 1 s, as an operator
 * would set one: a query that meets the lock fails instead of waiting, which is the blip.
 */
class HandlerRetriesIT extends OneBridgePerClass {

    private static final Duration LONG_WAIT = Duration.ofSeconds(60);
    /** relay.retry-failed-events-for of the bridge under test. */
    private static final Duration RETRY_FOR = Duration.ofSeconds(20);

    private static String superuserUrl;
    private static String role;

    @BeforeAll
    static void start() throws SQLException {
        bed = TestBed.get();
        String bridgeUrl = bed.postgresJdbcUrl();
        role = bed.uniqueName("retry");
        String server = bridgeUrl.substring(0, bridgeUrl.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + role + "'");
            s.execute("ALTER ROLE " + role + " SET lock_timeout = '1s'");
            s.execute("CREATE DATABASE " + role + " OWNER " + role);
        }
        superuserUrl = server + role;
        String sections = "database:\n  url: " + superuserUrl + "\n  username: " + role + "\n  password: " + role + "\n"
                + "relay:\n  retry-failed-events-for: " + RETRY_FOR.toSeconds() + "s\n";
        config = TestBridgeConfig.write(bed, "retries", sections);
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
        bridge.awaitLog(l -> l.contains("Using PostgreSQL"), WAIT);
    }

    /**
     * A blip of the bridge's database: some of its tables locked (its queries of them fail) until closed. Portals
     * are known in memory (PortalDirectory), so the tables that matter are those read for an event: the users' IRC
     * identities (to connect a joining user), the admin rooms (for every message outside a bridged room) and the
     * direct chats (likewise).
     */
    private static final class Blip implements AutoCloseable {
        /** Every table read for an event. */
        static final String ALL = "admin_room, direct_chat, irc_identity";
        private final Connection c;

        /**
         * Locks the tables. Locking only {@code admin_room} fails an admin room's commands in one behaviour only:
         * with the direct chats locked too, the behaviour that looks for a direct chat would give up first and the
         * command could still be answered after the sender was told it failed.
         */
        Blip(String tables) throws SQLException {
            c = DriverManager.getConnection(superuserUrl, "postgres", "");
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE " + tables + " IN ACCESS EXCLUSIVE MODE");
            }
        }

        /** PostgreSQL ends every connection of the bridge, as a restart of the server would; returns how many. */
        int killTheBridgesConnections() throws SQLException {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '"
                            + role + "' AND pid <> pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }

        /** The database is back. */
        @Override
        public void close() throws SQLException {
            try {
                c.rollback();
            } finally {
                c.close();
            }
        }
    }

    /** Waits until the bridge has failed on an event of the room (today's and a retrying bridge's words). */
    private static void awaitAFailureIn(String room) {
        Await.until(LONG_WAIT, "the bridge fails on an event of " + room, () -> bridge.output().stream()
                .anyMatch(l -> l.contains(room) && (l.contains(" failed on ") || l.contains("could not be processed"))));
    }

    /**
     * A Matrix user on the channel, once the bridge has seen them arrive there: until then IRC lines for the room are
     * held, so a line from the channel's operator reaching the room says so. A blip before that would hit the
     * bridge's IRC side, which is not what these tests are about.
     */
    private static OnChannel settledOnChannel(String prefix) {
        OnChannel on = matrixUserOnChannel(prefix);
        // The operator's ghost in the room: the bot is on the channel, and hears what is said there.
        Await.until(LONG_WAIT, "the operator's ghost is in the room", () -> on.user().members(on.room()).contains(ghost(on.oper().nick())));
        on.oper().privmsg(on.channel(), "settled");
        on.user().awaitEvent(on.room(), e -> ghost(on.oper().nick()).equals(e.path("sender").asText())
                && "settled".equals(e.path("content").path("body").asText()), LONG_WAIT);
        return on;
    }

    private static List<String> privmsgsOf(IrcTestClient client, String nick, String channel) {
        return client.receivedLines().stream().filter(l -> l.startsWith(":" + nick + "!") && l.contains(" PRIVMSG " + channel + " :"))
                .map(l -> l.substring(l.indexOf(" :") + 2)).toList();
    }

    @Test
    void aJoinAndMessagesDuringADatabaseBlipHaveTheirEffectOnceItClearsInOrder() throws Exception {
        OnChannel on = settledOnChannel("blip");
        try (IrcTestClient oper = on.oper()) {
            MatrixTestClient late = MatrixTestClient.register(bed, bed.uniqueName("late"));
            int killed;
            try (Blip blip = new Blip(Blip.ALL)) {
                late.join(on.room());
                on.user().sendText(on.room(), "during the blip 1");
                on.user().sendText(on.room(), "during the blip 2");
                awaitAFailureIn(on.room());
                killed = blip.killTheBridgesConnections();
            }
            assertTrue(killed > 0, "the bridge had connections to its database");
            // The join still gets its IRC connection, and the messages reach the channel, in order, before the next one.
            String lateNick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]") && !m.sourceNick().equals(on.nick()),
                    LONG_WAIT).sourceNick();
            oper.awaitPrivmsg(on.channel(), "during the blip 1", LONG_WAIT);
            oper.awaitPrivmsg(on.channel(), "during the blip 2", LONG_WAIT);
            on.user().sendText(on.room(), "after the blip");
            oper.awaitPrivmsg(on.channel(), "after the blip", LONG_WAIT);
            assertEquals(List.of("during the blip 1", "during the blip 2", "after the blip"), privmsgsOf(oper, on.nick(), on.channel()));
            // The bridge's pool made new connections after PostgreSQL ended its old ones: the late user speaks too.
            late.sendText(on.room(), "from the late user");
            oper.awaitPrivmsg(on.channel(), "from the late user", LONG_WAIT);
            assertEquals(List.of("from the late user"), privmsgsOf(oper, lateNick, on.channel()));
            assertTrue(bridge.output().stream().anyMatch(l -> l.contains("trying again in")), "the bridge said it tries again");
        }
    }

    /**
     * A Matrix user's admin room (a direct chat with the bot), where each command is read against the store's admin
     * rooms: the message path that still asks the database (a bridged room's messages are resolved from memory).
     */
    private static AdminRoom adminRoom(String prefix) {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName(prefix).toLowerCase(java.util.Locale.ROOT));
        String room = user.createDirectChat(bot);
        Await.until(LONG_WAIT, "the bot greets " + user.userId() + " in the admin room", () -> user.roomMessages(room).stream()
                .anyMatch(e -> fromBot(e, "!help")));
        return new AdminRoom(user, room);
    }

    private record AdminRoom(MatrixTestClient user, String room) {

        /** The bot's answers to !help so far. */
        long helpAnswers() {
            return user.roomMessages(room).stream().filter(e -> fromBot(e, "Commands:")).count();
        }

        /**
         * Sends one more command and waits for its answer: the room's events are handled in order, so by then
         * anything the earlier ones could still cause has happened.
         */
        void awaitAnswerToALaterCommand() {
            String marker = "!nonsense" + bed.uniqueName("m");
            user.sendText(room, marker);
            Await.until(LONG_WAIT, "the answer to " + marker, () -> user.roomMessages(room).stream()
                    .anyMatch(e -> fromBot(e, "Unknown command " + marker)));
        }

        /** Replies of the bot to the event. */
        List<JsonNode> repliesTo(String eventId) {
            return user.roomMessages(room).stream().filter(e -> bot.equals(e.path("sender").asText())
                    && eventId.equals(e.path("content").path("m.relates_to").path("m.in_reply_to").path("event_id").asText())).toList();
        }
    }

    private static boolean fromBot(JsonNode e, String fragment) {
        return "m.room.message".equals(e.path("type").asText()) && bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().contains(fragment);
    }

    @Test
    void aCommandThatFailsForLongerThanTheBoundIsAnsweredOnceAndTheRoomGoesOn() throws Exception {
        AdminRoom admin = adminRoom("giveup");
        String lost;
        JsonNode answer;
        try (Blip blip = new Blip("admin_room")) {
            lost = admin.user().sendText(admin.room(), "!help");
            awaitAFailureIn(admin.room());
            blip.killTheBridgesConnections();
            // Held past relay.retry-failed-events-for: the bridge gives up and says so, as a reply to the message.
            answer = admin.user().awaitEvent(admin.room(), e -> bot.equals(e.path("sender").asText())
                    && "m.notice".equals(e.path("content").path("msgtype").asText())
                    && lost.equals(e.path("content").path("m.relates_to").path("m.in_reply_to").path("event_id").asText()),
                    RETRY_FOR.plus(LONG_WAIT));
        }
        String body = answer.path("content").path("body").asText();
        assertTrue(body.startsWith(admin.user().userId() + ": the bridge could not pass this on"), body);
        assertTrue(body.contains("the bridge's database did not answer"), body);
        assertEquals(List.of(admin.user().userId()), List.of(answer.path("content").path("m.mentions").path("user_ids").path(0).asText()));

        // The room goes on: the next command is answered, and the one given up on never is.
        admin.user().sendText(admin.room(), "!help");
        admin.awaitAnswerToALaterCommand();
        assertEquals(1, admin.helpAnswers(), "only the command after the blip is answered");
        assertEquals(1, admin.repliesTo(lost).size(), "the sender is told once");
    }

    @Test
    void aCommandStillBeingTriedWhenTheBridgeStopsIsHandledAtTheNextStart() throws Exception {
        AdminRoom admin = adminRoom("stopping");
        String id;
        try (Blip blip = new Blip("admin_room")) {
            id = admin.user().sendText(admin.room(), "!help");
            awaitAFailureIn(admin.room());
            // Stopped as an operator would, while the command is being tried again: it stays for the next start.
            bridge.stop();
        }
        bridge = BridgeProcess.start(config);
        Await.until(LONG_WAIT, "the command is answered after the restart", () -> admin.helpAnswers() >= 1);
        assertEquals(List.of(), admin.repliesTo(id), "no failure was said");
    }

    @Test
    void aFailureNoRetryMendsIsAnsweredAtOnceAndNotTriedAgain() throws Exception {
        AdminRoom admin = adminRoom("nogrant");
        try (Connection superuser = DriverManager.getConnection(superuserUrl, "postgres", "");
                Statement s = superuser.createStatement()) {
            // An operator's mistake, not a blip: the bridge may no longer read its admin rooms (SQLSTATE 42501).
            s.execute("REVOKE SELECT ON admin_room FROM " + role);
            String refused;
            JsonNode answer;
            try {
                refused = admin.user().sendText(admin.room(), "!help");
                answer = admin.user().awaitEvent(admin.room(), e -> bot.equals(e.path("sender").asText())
                        && refused.equals(e.path("content").path("m.relates_to").path("m.in_reply_to").path("event_id").asText()),
                        LONG_WAIT);
            } finally {
                s.execute("GRANT SELECT ON admin_room TO " + role);
            }
            assertTrue(answer.path("content").path("body").asText().contains("the bridge's database refused it"), answer.toString());
            assertTrue(bridge.output().stream().anyMatch(l -> l.contains(refused) && l.contains("not tried again")),
                    "the bridge gave up at once");
            assertFalse(bridge.output().stream().anyMatch(l -> l.contains(refused) && l.contains("trying again in")),
                    "the bridge did not try again");

            admin.user().sendText(admin.room(), "!help");
            admin.awaitAnswerToALaterCommand();
            assertEquals(1, admin.helpAnswers(), "the refused command is not answered later");
        }
    }

    @Test
    void aBridgedRoomsMessagesDoNotWaitForTheDatabase() throws Exception {
        OnChannel on = settledOnChannel("nowait");
        try (IrcTestClient oper = on.oper(); Blip blip = new Blip(Blip.ALL)) {
            // Its portal, its sender's connection and nick are known in memory: nothing of the database is asked.
            // Two messages: the room's lane is serial, so the second reaches IRC only once every behaviour has had
            // the first, and one that waited for a locked table would hold it back until the lock is gone.
            on.user().sendText(on.room(), "while the database is locked 1");
            on.user().sendText(on.room(), "while the database is locked 2");
            oper.awaitPrivmsg(on.channel(), "while the database is locked 2", LONG_WAIT);
            assertEquals(List.of("while the database is locked 1", "while the database is locked 2"), privmsgsOf(oper, on.nick(), on.channel())
                    .stream().filter(m -> m.startsWith("while the database is locked")).toList());
            assertFalse(bridge.output().stream().anyMatch(l -> l.contains(on.room()) && l.contains(" failed on ")),
                    "no behaviour failed on the room's messages");
        }
    }
}
