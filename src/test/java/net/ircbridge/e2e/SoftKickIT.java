package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MSC3217: a Matrix user whose IRC connection drops is soft-kicked, and invited back once it is restored. */
class SoftKickIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("softkick");
    }

    @Test
    void anOperKillSoftKicksTheUserAndTheyAreInvitedBackOnceReconnected() {
        String channel = "#" + bed.uniqueName("sk");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            oper.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            String nick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();

            oper.send("KILL " + nick + " :testing soft kicks");
            JsonNode kick = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals(bot, kick.path("sender").asText(), "the bridge bot soft-kicks, not the user leaving");
            assertTrue(kick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), kick::toString);
            String reason = kick.path("content").path("reason").asText();
            assertTrue(reason.startsWith("Your IRC connection to Test IRC was lost (") && reason.contains("testing soft kicks")
                    && reason.endsWith("You will be invited back as soon as it is restored."), reason);

            JsonNode invite = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText()) && "invite".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals(bot, invite.path("sender").asText());
            assertEquals("Your IRC connection to Test IRC is back.", invite.path("content").path("reason").asText());
            // The user is back on the channel; joining the room again changes nothing on IRC.
            Await.until(WAIT, "the user is back on the channel", () -> oper.names(channel).contains(nick));
            user.join(room);
            Await.until(WAIT, "the user is joined again", () -> user.members(room).contains(user.userId()));
            assertTrue(oper.names(channel).contains(nick));
        }
    }

    @Test
    @org.junit.jupiter.api.Disabled("Not reliable yet (issue 4): in about one run in three the restarted bridge finds no"
            + " owed invite in the embedded database after the kill -9, although the row was committed (and checkpointed)"
            + " before the soft kick was sent. The feature is in; its crash durability on H2 is still to be understood.")
    void anInviteOwedWhenTheBridgeIsKilledIsStillSentAfterItsRestart() {
        String channel = "#" + bed.uniqueName("skr");
        // A bridge of its own that waits a minute before reconnecting, so that only its successor can do it.
        bridge.close();
        java.nio.file.Path config = TestBridgeConfig.write(bed, "softkick-restart");
        TestBridgeConfig.networkSetting(config, "reconnect-delay-seconds: 60");
        BridgeProcess slow = BridgeProcess.start(config);
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            oper.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            String nick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();

            oper.send("KILL " + nick + " :just before a crash");
            user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText()) && user.userId().equals(e.path("state_key").asText())
                    && e.path("content").path("org.matrix.msc3217.softkick").asBoolean(), WAIT);
            slow.kill();
            slow = BridgeProcess.start(config);

            JsonNode invite = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText()) && "invite".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals(bot, invite.path("sender").asText());
            Await.until(WAIT, "the user is back on the channel", () -> oper.names(channel).contains(nick));
            BridgeProcess successor = slow;
            assertTrue(successor.output().stream().anyMatch(l -> l.contains("owed invites back to")), "the invite came from the store");
        } finally {
            slow.close();
            bridge = BridgeProcess.start(TestBridgeConfig.write(bed, "softkick"));
        }
    }
}
