package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** After a restart the bridge re-syncs rooms from NAMES and puts Matrix users back on IRC. */
class RestartResyncIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRestartResyncsGhostsWithoutDuplicateJoinsOrSpuriousLeavesAndReconnectsMatrixUsers() {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "restart");
        String channel = "#" + bed.uniqueName("rs");
        try (IrcTestClient stays = IrcTestClient.connect(bed, bed.uniqueName("stay"));
                IrcTestClient leaves = IrcTestClient.connect(bed, bed.uniqueName("leave"));
                IrcTestClient arrives = IrcTestClient.connect(bed, bed.uniqueName("come"))) {
            stays.join(channel);
            leaves.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room;
            String ghostStays = "@irc_testnet_" + stays.nick() + ":" + bed.serverName();
            String ghostLeaves = "@irc_testnet_" + leaves.nick() + ":" + bed.serverName();
            String ghostArrives = "@irc_testnet_" + arrives.nick() + ":" + bed.serverName();
            String nick;
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
                nick = stays.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
                Await.until(WAIT, "both ghosts are in the room",
                        () -> user.members(room).containsAll(List.of(ghostStays, ghostLeaves)));
            }
            // While the bridge is down, one IRC user leaves and another arrives.
            // A graceful stop QUITs with the configured words (texts.bridge-stopping).
            var quit = stays.awaitMessage(m -> m.is("QUIT") && m.sourceNick().equals(nick), WAIT);
            assertTrue(quit.trailing().contains("The Matrix bridge is restarting"), quit.raw());
            leaves.send("PART " + channel + " :while you were away");
            arrives.join(channel);

            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                Await.until(WAIT, "the room matches the channel again", () -> {
                    var members = user.members(room);
                    return members.contains(ghostStays) && members.contains(ghostArrives) && !members.contains(ghostLeaves);
                });
                // The Matrix user is back on the channel, with the same nick.
                Await.until(WAIT, "the Matrix user is back on IRC", () -> stays.names(channel).contains(nick));
            }
            List<JsonNode> stayerJoins = user.roomMessages(room).stream()
                    .filter(e -> "m.room.member".equals(e.path("type").asText()) && ghostStays.equals(e.path("state_key").asText()))
                    .toList();
            assertEquals(1, stayerJoins.size(), "one join and nothing else for the user who stayed: " + stayerJoins);
            JsonNode left = user.roomMessages(room).stream()
                    .filter(e -> ghostLeaves.equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText()))
                    .findFirst().orElseThrow();
            assertTrue(left.path("content").path("reason").asText().contains(channel), left::toString);
            // Back on the channel within the grace period, the Matrix user was never soft-kicked.
            assertTrue(user.roomMessages(room).stream().noneMatch(e -> user.userId().equals(e.path("state_key").asText())
                    && "leave".equals(e.path("content").path("membership").asText())), "no soft kick across a restart");
        }
    }

    @Test
    void aUserWhoseOnlyBridgedRoomIsADirectChatIsOnIrcAgainAfterARestartBeforeTheyWrite() {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "restartdm");
        try (IrcTestClient bob = IrcTestClient.connect(bed, bed.uniqueName("bob"))) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String bobGhost = "@irc_testnet_" + bob.nick() + ":" + bed.serverName();
            String chat;
            String nick;
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                chat = user.createDirectChat(bobGhost);
                Await.until(WAIT, "bob's ghost joins the direct chat", () -> user.members(chat).contains(bobGhost));
                user.sendText(chat, "hi bob");
                nick = bob.awaitMessage(m -> m.is("PRIVMSG") && "hi bob".equals(m.trailing()), WAIT).sourceNick();
            }
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                // The user has not written since: their connection is back for the direct chat alone.
                Await.until(WAIT, nick + " is on IRC again", () -> {
                    bob.send("ISON " + nick);
                    return bob.awaitMessage(m -> m.is("303"), WAIT).trailing().trim().equalsIgnoreCase(nick);
                });
                bob.privmsg(nick, "welcome back");
                user.awaitEvent(chat, e -> bobGhost.equals(e.path("sender").asText())
                        && "welcome back".equals(e.path("content").path("body").asText()), WAIT);
            }
        }
    }
}
