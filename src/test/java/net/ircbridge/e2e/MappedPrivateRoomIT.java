package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * A private (invite-only) room mapped to a channel by the configuration lets the bot in only by an invite: the bot
 * accepts it at once, and an invite made before the room was mapped lets it in when the bridge restarts with the
 * mapping. While it cannot get in, the bridge's admins are told what to do.
 */
class MappedPrivateRoomIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final TestBed BED = TestBed.get();
    private static final String BOT = "@ircbridge:" + BED.serverName();

    private static JsonNode awaitBotJoined(MatrixTestClient member, String room) {
        return member.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText()) && BOT.equals(e.path("state_key").asText())
                && "join".equals(e.path("content").path("membership").asText()), WAIT);
    }

    /**
     * The room's members are on the channel once the bot is in: a message from the room reaches IRC, and one from IRC
     * reaches the room.
     */
    private static void assertBridged(MatrixTestClient owner, String room, IrcTestClient watcher, String channel) {
        String nick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
        String text = "hello from a private room " + BED.uniqueName("t");
        owner.sendText(room, text);
        assertEquals(nick, watcher.awaitPrivmsg(channel, text, WAIT).sourceNick());
        String answer = "hello from IRC " + BED.uniqueName("t");
        watcher.privmsg(channel, answer);
        owner.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                && e.path("content").path("body").asText().contains(answer), WAIT);
    }

    @Test
    void theAdminsAreToldHowToLetTheBotIntoAMappedPrivateRoomAndItsInviteLetsItInAtOnce() throws Exception {
        String channel = "#" + BED.uniqueName("prv");
        MatrixTestClient owner = MatrixTestClient.register(BED, BED.uniqueName("own"));
        MatrixTestClient admin = MatrixTestClient.register(BED, BED.uniqueName("adm"));
        String room = owner.createRoom(Map.of("preset", "private_chat", "name", "Private and mapped"));
        Path config = TestBridgeConfig.write(BED, "mapped-private");
        TestBridgeConfig.mapRoom(config, channel, room);
        TestBridgeConfig.admin(config, admin.userId());
        try (IrcTestClient watcher = IrcTestClient.connect(BED, BED.uniqueName("w"));
                BridgeProcess bridge = BridgeProcess.start(config)) {
            watcher.join(channel);
            String adminRoom = admin.awaitInvite(WAIT);
            admin.join(adminRoom);
            JsonNode told = admin.awaitEvent(adminRoom, e -> "m.room.message".equals(e.path("type").asText())
                    && e.path("content").path("body").asText().contains(room), WAIT);
            String says = told.path("content").path("body").asText();
            assertTrue(says.startsWith("I cannot join " + room + ", which irc.networks[].channels maps to " + channel + " on Test IRC"), says);
            assertTrue(says.endsWith("If it is a private room, have one of its admins invite " + BOT + " to it: I join as soon as I am"
                    + " invited."), says);

            owner.invite(room, BOT);
            assertEquals("Bridging " + channel + " on Test IRC", awaitBotJoined(owner, room).path("content").path("reason").asText());
            assertBridged(owner, room, watcher, channel);
        }
    }

    @Test
    void anInviteMadeBeforeTheRoomWasMappedLetsTheBotInWhenTheBridgeRestartsWithTheMapping() throws Exception {
        String channel = "#" + BED.uniqueName("prv");
        MatrixTestClient owner = MatrixTestClient.register(BED, BED.uniqueName("own"));
        String room = owner.createRoom(Map.of("preset", "private_chat", "name", "Private, mapped later"));
        Path config = TestBridgeConfig.write(BED, "mapped-private-later");
        try (IrcTestClient watcher = IrcTestClient.connect(BED, BED.uniqueName("w"))) {
            watcher.join(channel);
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                owner.invite(room, BOT);
                // Handled once the bridge has either declined it (the bot left) or said that it stays pending.
                Await.until(WAIT, "the bridge has handled the invite", () -> {
                    JsonNode membership = owner.state(room, "m.room.member", BOT);
                    return (membership != null && "leave".equals(membership.path("membership").asText()))
                            || bridge.output().stream().anyMatch(l -> l.contains(room) && l.contains("stays pending"));
                });
            }
            TestBridgeConfig.mapRoom(config, channel, room);
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                assertEquals("Bridging " + channel + " on Test IRC", awaitBotJoined(owner, room).path("content").path("reason").asText());
                assertBridged(owner, room, watcher, channel);
            }
        }
    }
}
