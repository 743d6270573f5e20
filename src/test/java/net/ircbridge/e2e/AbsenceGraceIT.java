package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Matrix user who is not on the channel within the grace period is soft-kicked, and only then do the held IRC
 * messages reach the room. Here new connections are 8 seconds apart, so the second user of the room cannot be on
 * the channel within the 3-second grace.
 */
class AbsenceGraceIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("absence-grace", "absence-grace-seconds: 3\n      limits:\n        connections-per-second: 0.125");
    }

    @Test
    void aUserNotOnTheChannelWithinTheGraceIsSoftKickedBeforeTheHeldMessagesGoOutAndInvitedBackOnceThere() {
        OnChannel on = matrixUserOnChannel("grace");
        String channel = on.channel();
        try (IrcTestClient speaker = on.oper()) {
            MatrixTestClient observer = on.user();
            String room = on.room();

            MatrixTestClient late = MatrixTestClient.register(bed, bed.uniqueName("late"));
            late.join(room);
            awaitHoldFor(late);
            List<String> said = List.of("first while waiting", "second while waiting", "third while waiting");
            said.forEach(line -> speaker.privmsg(channel, line));

            JsonNode kick = observer.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && late.userId().equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals(bot, kick.path("sender").asText());
            assertTrue(kick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), kick::toString);
            assertEquals("You are not on " + channel + " on Test IRC yet, so you cannot read it here. You will be invited back as soon"
                    + " as your IRC connection is ready.", kick.path("content").path("reason").asText());
            List<JsonNode> got = new ArrayList<>();
            for (String line : said) {
                got.add(observer.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                        && e.path("content").path("body").asText().endsWith("while waiting"), WAIT));
            }
            assertEquals(said, got.stream().map(e -> e.path("content").path("body").asText()).toList(), "complete and in order");
            // Timelines are ordered: each message came after the soft kick.
            List<String> order = observer.roomMessages(room).stream().map(e -> e.path("event_id").asText()).toList();
            for (JsonNode message : got) {
                assertTrue(order.indexOf(message.path("event_id").asText()) > order.indexOf(kick.path("event_id").asText()),
                        "released only after the absent user was soft-kicked");
            }

            // The connection comes at its turn; the invite back follows.
            JsonNode invite = awaitMembership(late, room, late.userId(), "invite");
            assertEquals(bot, invite.path("sender").asText());
            late.join(room);
            Await.until(WAIT, "the late user is on the channel", () -> speaker.names(channel).stream().filter(n -> n.endsWith("[m]")).count() == 2);
        }
    }
}
