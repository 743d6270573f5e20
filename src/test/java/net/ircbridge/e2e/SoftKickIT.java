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

            long killed = System.currentTimeMillis();
            oper.send("KILL " + nick + " :testing soft kicks");
            JsonNode kick = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            assertTrue(kick.path("origin_server_ts").asLong() - killed < 2000, "soft-kicked within 2 s of the KILL: " + kick);
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
    void aKlineIsAPlainKickWithAMessageInTheAdminRoomAndNoRetry() {
        String channel = "#" + bed.uniqueName("kl");
        String localpart = bed.uniqueName("kline");
        String ident = localpart.substring(0, Math.min(10, localpart.length()));
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            oper.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, localpart);
            String room = user.join(alias(channel));
            String nick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
            try {
                // The bridge gives each user an ident of their own, so an operator can ban just this one.
                oper.send("KLINE *" + ident + "@* 3600 :no bridges allowed");
                JsonNode kick = awaitMembership(user, room, user.userId(), "leave");
                assertEquals(bot, kick.path("sender").asText());
                assertTrue(!kick.path("content").has("org.matrix.msc3217.softkick"), kick::toString);
                String reason = kick.path("content").path("reason").asText();
                assertTrue(reason.startsWith("The IRC network Test IRC refused your connection (") && reason.contains("no bridges allowed")
                        && reason.contains("The bridge will not try again"), reason);

                String adminRoom = user.awaitInvite(WAIT);
                user.join(adminRoom);
                JsonNode notice = user.awaitEvent(adminRoom, e -> "m.room.message".equals(e.path("type").asText())
                        && e.path("content").path("body").asText().startsWith("Your IRC connection to Test IRC was refused"), WAIT);
                assertEquals(bot, notice.path("sender").asText());
                assertTrue(bridge.output().stream().noneMatch(l -> l.contains("Reconnecting " + user.userId())),
                        "no reconnect is tried after a K-line");
                assertTrue(!oper.names(channel).contains(nick));
            } finally {
                oper.send("KLINE *" + ident + "@*");
            }
        }
    }

    @Test
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
            java.util.List<String> killedSaid = slow.output();
            slow = BridgeProcess.start(config);

            BridgeProcess successor = slow;
            try {
                JsonNode invite = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                        && user.userId().equals(e.path("state_key").asText()) && "invite".equals(e.path("content").path("membership").asText()), WAIT);
                assertEquals(bot, invite.path("sender").asText());
                Await.until(WAIT, "the user is back on the channel", () -> oper.names(channel).contains(nick));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe killed bridge said:\n" + String.join("\n", killedSaid)
                        + "\nthe restarted bridge said:\n" + String.join("\n", successor.output()), e);
            }
            assertTrue(successor.output().stream().anyMatch(l -> l.contains("owed invites back to")), "the invite came from the store");
        } finally {
            slow.close();
            bridge = BridgeProcess.start(TestBridgeConfig.write(bed, "softkick"));
        }
    }

    @Test
    void invitesOwedWhenTheBridgeIsKilledDuringAServerOutageAreAllSentAfterItsRestart() {
        String channel = "#" + bed.uniqueName("storm");
        // A bridge of its own that would wait a minute before reconnecting, so that only its successor can do it.
        bridge.close();
        java.nio.file.Path config = TestBridgeConfig.write(bed, "softkick-storm");
        TestBridgeConfig.networkSetting(config, "reconnect-delay-seconds: 60");
        BridgeProcess slow = BridgeProcess.start(config);
        boolean serverDown = false;
        try {
            java.util.List<MatrixTestClient> users = new java.util.ArrayList<>();
            String room = null;
            try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
                watcher.join(channel);
                for (int i = 0; i < 3; i++) {
                    MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
                    room = user.join(alias(channel));
                    users.add(user);
                }
                Await.until(WAIT, "the three Matrix users are on the channel",
                        () -> watcher.names(channel).stream().filter(n -> n.endsWith("[m]")).count() == 3);
                // The server goes away: everyone is soft-kicked; the bridge is killed before anyone is back.
                serverDown = true;
                bed.stopIrc();
            }
            for (MatrixTestClient user : users) {
                JsonNode kick = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                        && user.userId().equals(e.path("state_key").asText())
                        && e.path("content").path("org.matrix.msc3217.softkick").asBoolean(), WAIT);
                assertEquals(bot, kick.path("sender").asText());
            }
            slow.kill();
            bed.startIrcAgain();
            serverDown = false;
            slow = BridgeProcess.start(config);
            for (MatrixTestClient user : users) {
                JsonNode invite = awaitMembership(user, room, user.userId(), "invite");
                assertEquals(bot, invite.path("sender").asText());
                assertEquals("Your IRC connection to Test IRC is back.", invite.path("content").path("reason").asText());
            }
        } finally {
            slow.close();
            if (serverDown) {
                bed.startIrcAgain();
            }
            bridge = BridgeProcess.start(TestBridgeConfig.write(bed, "softkick"));
        }
    }
}
