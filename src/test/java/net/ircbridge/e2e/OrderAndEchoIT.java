package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Order per room, one bridging per IRC event, and no loops between the two sides. */
class OrderAndEchoIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("order");
    }

    private static String ghost(IrcTestClient c) {
        return ghost(c.nick());
    }

    @Test
    void membershipChangesReachTheRoomInTheOrderIrcMadeThemAndEachOnce() {
        String channel = "#" + bed.uniqueName("ord");
        try (IrcTestClient a = IrcTestClient.connect(bed, bed.uniqueName("a"));
                IrcTestClient b = IrcTestClient.connect(bed, bed.uniqueName("b"))) {
            IrcTestClient anchor = IrcTestClient.connect(bed, bed.uniqueName("anc"));
            anchor.join(channel);
            // A Matrix user on the channel: their own connection sees every JOIN and PART too.
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            anchor.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);
            Await.until(WAIT, "the anchor's ghost is in the room", () -> user.members(room).contains(ghost(anchor)));

            // A scripted burst from two connections; the server's order is what everyone on the channel sees.
            for (int round = 0; round < 5; round++) {
                a.send("JOIN " + channel);
                b.send("JOIN " + channel);
                a.send("PART " + channel + " :round " + round);
                b.send("PART " + channel + " :round " + round);
            }
            for (IrcTestClient c : List.of(a, b)) {
                anchor.awaitMessage(m -> m.is("PART") && m.sourceNick().equals(c.nick()) && m.trailing().equals("round 4"), WAIT);
            }
            List<String> expected = new ArrayList<>();
            for (String line : anchor.receivedLines()) {
                net.ircbridge.testbed.IrcMessage m = net.ircbridge.testbed.IrcMessage.parse(line);
                for (IrcTestClient c : List.of(a, b)) {
                    if (c.nick().equals(m.sourceNick()) && m.is("JOIN")) {
                        expected.add(ghost(c) + " join");
                    } else if (c.nick().equals(m.sourceNick()) && m.is("PART")) {
                        expected.add(ghost(c) + " leave " + m.trailing());
                    }
                }
            }
            anchor.send("PART " + channel + " :end of the burst");
            Await.until(WAIT, "the burst has reached the room", () -> user.roomMessages(room).stream()
                    .anyMatch(e -> ghost(anchor).equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText())));

            List<String> seen = new ArrayList<>();
            for (JsonNode e : user.roomMessages(room)) {
                String who = e.path("state_key").asText();
                if ("m.room.member".equals(e.path("type").asText()) && (who.equals(ghost(a)) || who.equals(ghost(b)))) {
                    String membership = e.path("content").path("membership").asText();
                    seen.add(who + " " + membership + ("leave".equals(membership) ? " " + e.path("content").path("reason").asText() : ""));
                }
            }
            assertEquals(20, expected.size());
            assertEquals(expected, seen);
            anchor.close();
        }
    }

    @Test
    void theBridgesOwnActionsEchoedBackDoNotLoop() {
        String channel = "#" + bed.uniqueName("echo");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient observer = MatrixTestClient.register(bed, bed.uniqueName("obs"));
            String room = observer.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            String observerNick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            user.join(room);
            String nick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]")
                    && !m.sourceNick().equals(observerNick), WAIT).sourceNick();
            Await.until(WAIT, "the watcher's ghost is in the room", () -> observer.members(room).contains(ghost(watcher)));

            // The Matrix user's JOIN and PART come back to the bot on IRC; the ghosts' joins come back from Matrix.
            user.leave(room);
            watcher.awaitMessage(m -> m.is("PART") && m.sourceNick().equals(nick), WAIT);
            watcher.send("PART " + channel + " :marker");
            Await.until(WAIT, "the marker has reached the room", () -> observer.roomMessages(room).stream()
                    .anyMatch(e -> ghost(watcher).equals(e.path("state_key").asText()) && "marker".equals(e.path("content").path("reason").asText())));
            for (String ircNick : List.of(nick, observerNick)) {
                String ghostPrefix = "@irc_testnet_" + ircNick.toLowerCase().replace("[", "=7b").replace("]", "=7d");
                assertEquals(0, observer.roomMessages(room).stream().filter(e -> e.path("state_key").asText().startsWith(ghostPrefix)).count(),
                        "no ghost for a Matrix user's own nick");
            }
            long watcherJoins = observer.roomMessages(room).stream()
                    .filter(e -> ghost(watcher).equals(e.path("state_key").asText()) && "join".equals(e.path("content").path("membership").asText()))
                    .count();
            assertEquals(1, watcherJoins, "one join for the watcher, no echo");
            // The user's own leave went to IRC once.
            assertEquals(1, watcher.receivedLines().stream().filter(l -> l.contains(" PART ") && l.startsWith(":" + nick + "!")).count());
        }
    }
}
