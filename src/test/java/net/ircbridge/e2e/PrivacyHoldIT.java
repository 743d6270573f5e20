package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Privacy without loss: IRC messages wait while a Matrix user joined to the room is not on the channel yet, and
 * then arrive complete and in order.
 */
class PrivacyHoldIT extends OneBridgePerClass {

    /** How far apart two clocks on this machine may read the same moment: the test client's and Synapse's. */
    private static final long CLOCK_SLACK_MS = 100;

    @BeforeAll
    static void start() {
        // New connections 4 s apart: the second user of a room waits a few seconds for theirs, within the grace.
        startBridge("privacy-hold", "absence-grace-seconds: 10\n      limits:\n        connections-per-second: 0.25");
    }

    @Test
    void anIrcConversationWhileAMatrixUserConnectsWaitsForThemAndArrivesCompleteAndInOrder() {
        OnChannel on = matrixUserOnChannel("hold");
        String channel = on.channel();
        try (IrcTestClient speaker = on.oper()) {
            MatrixTestClient observer = on.user();
            String room = on.room();

            MatrixTestClient late = MatrixTestClient.register(bed, bed.uniqueName("late"));
            late.join(room);
            awaitHoldFor(late);
            // The conversation goes on while the newcomer's connection is being made.
            List<String> said = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                said.add("line " + i + " of a conversation");
                speaker.privmsg(channel, said.get(i - 1));
            }
            IrcMessage arrived = speaker.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);

            List<JsonNode> got = new ArrayList<>();
            for (String line : said) {
                got.add(observer.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                        && e.path("content").path("body").asText().startsWith("line "), WAIT));
            }
            assertEquals(said, got.stream().map(e -> e.path("content").path("body").asText()).toList(), "complete and in order");
            for (JsonNode message : got) {
                assertTrue(message.path("origin_server_ts").asLong() >= arrived.receivedAtMillis() - CLOCK_SLACK_MS,
                        "held until " + arrived.sourceNick() + " was on the channel (" + arrived.receivedAtMillis() + "): " + message);
            }
        }
    }
}
