package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With an idle timeout, a Matrix user who does nothing is disconnected with a soft kick that says so. */
class IdleUsersIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("idle", "idle-timeout: 6s");
    }

    @Test
    void anIdleUserIsSoftKickedWithoutAnInviteBackAndJoiningAgainReconnectsThem() {
        String channel = "#" + bed.uniqueName("idle");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            String nick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();

            JsonNode kick = awaitMembership(user, room, user.userId(), "leave");
            assertEquals(bot, kick.path("sender").asText());
            assertTrue(kick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), kick::toString);
            assertEquals("You were disconnected from Test IRC after 6 seconds without activity. Join this room again to reconnect.",
                    kick.path("content").path("reason").asText());
            watcher.awaitMessage(m -> m.is("QUIT") && nick.equals(m.sourceNick()) && m.trailing().contains("Idle for 6 seconds"), WAIT);
            assertTrue(!watcher.names(channel).contains(nick));

            // Joining again reconnects; the idle user was owed no invite, and got none.
            user.join(room);
            Await.until(WAIT, "the user is back on the channel", () -> watcher.names(channel).contains(nick));
            assertTrue(user.roomMessages(room).stream().noneMatch(e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText()) && "invite".equals(e.path("content").path("membership").asText())));
        }
    }
}
