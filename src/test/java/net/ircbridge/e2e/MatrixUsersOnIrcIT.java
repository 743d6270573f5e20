package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Matrix users in bridged rooms are on the IRC channel through connections of their own. */
class MatrixUsersOnIrcIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("mxusers");
    }

    private static MatrixTestClient userNamed(String displayName) {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        user.put("profile/" + URLEncoder.encode(user.userId(), StandardCharsets.UTF_8) + "/displayname",
                Map.of("displayname", displayName)).orThrow("display name");
        return user;
    }

    @Test
    void aMatrixUserWhoJoinsIsOnTheChannelWithANickFromTheirDisplayNameAndNoGhost() {
        String channel = "#" + bed.uniqueName("mxj");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient user = userNamed("Zoë Tester");
            String room = user.join(alias(channel));

            IrcMessage join = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().equals("ZoTester[m]"), WAIT);
            assertEquals(channel, join.param(0));
            assertTrue(watcher.names(channel).contains("ZoTester[m]"));
            // The watcher's ghost arrives; the Matrix user's own nick never gets one.
            Await.until(WAIT, "the watcher's ghost is in the room",
                    () -> user.members(room).contains("@irc_testnet_" + watcher.nick() + ":" + bed.serverName()));
            assertFalse(user.members(room).stream().anyMatch(m -> m.startsWith("@irc_testnet_zotester")), user.members(room)::toString);
        }
    }

    @Test
    void leavingTheRoomPartsTheChannelWithTheUsersReasonAndNothingElse() {
        String channel = "#" + bed.uniqueName("mxl");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            String nameWithNewlines = "Mallory\r\nJOIN #" + bed.uniqueName("evil");
            MatrixTestClient user = userNamed(nameWithNewlines);
            String room = user.join(alias(channel));
            IrcMessage join = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().startsWith("Mallory"), WAIT);
            String nick = join.sourceNick();
            assertEquals(-1, nick.indexOf(' '));

            // An attempt to inject a command through the reason: CR, LF and NUL never reach the line.
            user.post("rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/leave",
                    Map.of("reason", "see you\r\nQUIT :pwned\u0000")).orThrow("leave");
            IrcMessage part = watcher.awaitMessage(m -> m.is("PART") && m.sourceNick().equals(nick), WAIT);
            assertEquals(channel, part.param(0));
            assertEquals("see you QUIT :pwned", part.trailing());
            // The reason stayed one parameter of one PART line: nothing after it became a command of its own.
            assertTrue(watcher.receivedLines().stream().noneMatch(l -> l.contains("pwned") && !l.contains(" PART ")),
                    watcher.receivedLines()::toString);
            // Having left every bridged room, the user's connection is closed.
            Await.until(WAIT, "the connection is gone", () -> !watcher.whois(nick));
        }
    }

    @Test
    void aMatrixUserWhoIsAChannelOperatorKicksAndBansOnIrcFromTheirOwnConnection() {
        String channel = "#" + bed.uniqueName("mxk");
        try (IrcTestClient op = IrcTestClient.connect(bed, bed.uniqueName("op"));
                IrcTestClient spammer = IrcTestClient.connect(bed, bed.uniqueName("spam"));
                IrcTestClient troll = IrcTestClient.connect(bed, bed.uniqueName("troll"))) {
            op.join(channel); // the channel's creator is its operator
            spammer.join(channel);
            troll.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            String nick = op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();

            op.send("MODE " + channel + " +o " + nick);
            Await.until(WAIT, "the Matrix user gets operator power in the room",
                    () -> user.state(room, "m.room.power_levels", "").path("users").path(user.userId()).asInt() == 50);
            String spammerGhost = "@irc_testnet_" + spammer.nick() + ":" + bed.serverName();
            Await.until(WAIT, "the spammer's ghost is in the room", () -> user.members(room).contains(spammerGhost));

            user.post("rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/kick",
                    Map.of("user_id", spammerGhost, "reason", "stop spamming")).orThrow("kick");
            IrcMessage kick = op.awaitMessage(m -> m.is("KICK") && m.param(1).equalsIgnoreCase(spammer.nick()), WAIT);
            assertEquals(nick, kick.sourceNick());
            assertEquals("stop spamming", kick.trailing());

            String trollGhost = "@irc_testnet_" + troll.nick() + ":" + bed.serverName();
            user.post("rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8) + "/ban",
                    Map.of("user_id", trollGhost, "reason", "trolling")).orThrow("ban");
            IrcMessage ban = op.awaitMessage(m -> m.is("MODE") && m.raw().contains("+b"), WAIT);
            assertTrue(ban.raw().contains(troll.nick() + "!*@*"), ban.raw());
            assertEquals("trolling", op.awaitMessage(m -> m.is("KICK") && m.param(1).equalsIgnoreCase(troll.nick()), WAIT).trailing());
        }
    }

    @Test
    void aNewDisplayNameIsANewNickOnIrcWithoutAGhost() {
        String channel = "#" + bed.uniqueName("mxn");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient user = userNamed("Before");
            String room = user.join(alias(channel));
            watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().equals("Before[m]"), WAIT);

            user.put("profile/" + URLEncoder.encode(user.userId(), StandardCharsets.UTF_8) + "/displayname",
                    Map.of("displayname", "After")).orThrow("display name");
            IrcMessage nick = watcher.awaitMessage(m -> m.is("NICK") && m.sourceNick().equals("Before[m]"), WAIT);
            assertEquals("After[m]", nick.param(0));
            Await.until(WAIT, "the watcher's ghost is in the room",
                    () -> user.members(room).contains("@irc_testnet_" + watcher.nick() + ":" + bed.serverName()));
            assertFalse(user.members(room).stream().anyMatch(m -> m.startsWith("@irc_testnet_before") || m.startsWith("@irc_testnet_after")),
                    user.members(room)::toString);
        }
    }

    @Test
    void oneConnectionServesAllOfAUsersRoomsOnANetwork() {
        String first = "#" + bed.uniqueName("one");
        String second = "#" + bed.uniqueName("two");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(first);
            watcher.join(second);
            MatrixTestClient user = userNamed("Twice");
            user.join(alias(first));
            user.join(alias(second));
            IrcMessage joinFirst = watcher.awaitMessage(m -> m.is("JOIN") && m.param(0).equals(first) && m.sourceNick().startsWith("Twice"), WAIT);
            IrcMessage joinSecond = watcher.awaitMessage(m -> m.is("JOIN") && m.param(0).equals(second) && m.sourceNick().startsWith("Twice"), WAIT);
            assertEquals("Twice[m]", joinFirst.sourceNick());
            assertEquals(joinFirst.prefix(), joinSecond.prefix(), "the same connection (nick!user@host) is on both channels");
        }
    }
}
