package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** An existing room bridged to a channel by the configuration. */
class MappedRoomIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theBotJoinsAMappedRoomSayingWhyInTheConfiguredWordsAndTheChannelsPeopleFollow() throws Exception {
        TestBed bed = TestBed.get();
        String channel = "#" + bed.uniqueName("map");
        MatrixTestClient owner = MatrixTestClient.register(bed, bed.uniqueName("own"));
        String room = owner.createRoom(Map.of("preset", "public_chat", "name", "Mapped"));
        Path config = TestBridgeConfig.write(bed, "mapped");
        TestBridgeConfig.mapRoom(config, channel, room);
        // The bridge's own texts are templates in the configuration.
        Files.writeString(config, Files.readString(config) + "texts:\n  bridging: \"Now bridging {channel} from {network}\"\n");
        String bot = "@ircbridge:" + bed.serverName();
        try (IrcTestClient carol = IrcTestClient.connect(bed, bed.uniqueName("carol"));
                BridgeProcess bridge = BridgeProcess.start(config)) {
            JsonNode botJoined = owner.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && bot.equals(e.path("state_key").asText()) && "join".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals("Now bridging " + channel + " from Test IRC", botJoined.path("content").path("reason").asText());

            carol.join(channel);
            String ghost = "@irc_testnet_" + carol.nick() + ":" + bed.serverName();
            owner.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText()) && ghost.equals(e.path("state_key").asText())
                    && "join".equals(e.path("content").path("membership").asText()), WAIT);
        }
    }

    @Test
    void aRoomAdminWithoutIrcOperatorStatusIsToldThatTheKickedIrcUserIsStillOnIrc() throws Exception {
        TestBed bed = TestBed.get();
        String channel = "#" + bed.uniqueName("adm");
        MatrixTestClient owner = MatrixTestClient.register(bed, bed.uniqueName("own"));
        String room = owner.createRoom(Map.of("preset", "public_chat", "name", "Mapped"));
        Path config = TestBridgeConfig.write(bed, "mapped-kick");
        TestBridgeConfig.mapRoom(config, channel, room);
        try (IrcTestClient creator = IrcTestClient.connect(bed, bed.uniqueName("cre"));
                IrcTestClient erin = IrcTestClient.connect(bed, bed.uniqueName("erin"))) {
            creator.join(channel); // the channel's operator, so nobody from Matrix is
            erin.join(channel);
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                String ghost = "@irc_testnet_" + erin.nick() + ":" + bed.serverName();
                net.ircbridge.testbed.Await.until(WAIT, "erin's ghost is in the room", () -> owner.members(room).contains(ghost));
                // The room's creator has power 100 in Matrix but is no operator on IRC.
                owner.post("rooms/" + java.net.URLEncoder.encode(room, java.nio.charset.StandardCharsets.UTF_8) + "/kick",
                        Map.of("user_id", ghost, "reason", "out")).orThrow("kick");
                JsonNode notice = owner.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                        && "@ircbridge:localhost".equals(e.path("sender").asText())
                        && e.path("content").path("body").asText().contains("still on IRC"), WAIT);
                assertEquals(owner.userId() + ": you are not a channel operator on " + channel + ", so " + erin.nick().toLowerCase()
                        + " is still on IRC.", notice.path("content").path("body").asText());
                org.junit.jupiter.api.Assertions.assertTrue(creator.names(channel).contains(erin.nick()));
            }
        }
    }

    @Test
    void aMatrixUserKickedFromTheRoomPartsTheChannelSayingWhoKickedThem() throws Exception {
        TestBed bed = TestBed.get();
        String channel = "#" + bed.uniqueName("mk");
        MatrixTestClient owner = MatrixTestClient.register(bed, bed.uniqueName("own"));
        String room = owner.createRoom(Map.of("preset", "public_chat", "name", "Mapped"));
        Path config = TestBridgeConfig.write(bed, "mapped-matrix-kick");
        TestBridgeConfig.mapRoom(config, channel, room);
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"));
                BridgeProcess bridge = BridgeProcess.start(config)) {
            watcher.join(channel);
            MatrixTestClient guest = MatrixTestClient.register(bed, bed.uniqueName("gst"));
            guest.join(room);
            String nick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().startsWith(guest.userId().substring(1, 8)), WAIT)
                    .sourceNick();
            owner.post("rooms/" + java.net.URLEncoder.encode(room, java.nio.charset.StandardCharsets.UTF_8) + "/kick",
                    Map.of("user_id", guest.userId(), "reason", "house rules")).orThrow("kick");
            net.ircbridge.testbed.IrcMessage part = watcher.awaitMessage(m -> m.is("PART") && m.sourceNick().equals(nick), WAIT);
            assertEquals("Kicked by " + owner.userId() + ": house rules", part.trailing());
        }
    }

    @Test
    void aBotWithoutThePowerToKickSaysOnceInTheRoomAndToTheAdminsThatTheRoomCannotBeKeptPrivate() throws Exception {
        TestBed bed = TestBed.get();
        String channel = "#" + bed.uniqueName("pow");
        MatrixTestClient owner = MatrixTestClient.register(bed, bed.uniqueName("own"));
        MatrixTestClient admin = MatrixTestClient.register(bed, bed.uniqueName("adm"));
        // The room's admins never gave the bot any power.
        String room = owner.createRoom(Map.of("preset", "public_chat", "name", "Mapped without power"));
        Path config = TestBridgeConfig.write(bed, "mapped-powerless");
        TestBridgeConfig.mapRoom(config, channel, room);
        TestBridgeConfig.admin(config, admin.userId());
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            oper.join(channel);
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                String nick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
                String says = "I cannot keep this room private: " + owner.userId() + " is no longer on " + channel + " on Test IRC";
                oper.send("KILL " + nick + " :testing a powerless bot");
                JsonNode notice = owner.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                        && e.path("content").path("body").asText().startsWith(says), WAIT);
                assertEquals("@ircbridge:" + bed.serverName(), notice.path("sender").asText());

                String adminRoom = admin.awaitInvite(WAIT);
                admin.join(adminRoom);
                admin.awaitEvent(adminRoom, e -> e.path("content").path("body").asText().startsWith(says)
                        && e.path("content").path("body").asText().contains(room), WAIT);

                // Back on IRC, and dropped again: the room was told once, and is not told again.
                net.ircbridge.testbed.Await.until(WAIT, "the owner is back on the channel", () -> oper.names(channel).contains(nick));
                oper.send("KILL " + nick + " :and again");
                oper.awaitMessage(m -> m.is("QUIT") && nick.equals(m.sourceNick()), WAIT);
                net.ircbridge.testbed.Await.until(WAIT, "the owner is back on the channel", () -> oper.names(channel).contains(nick));
                long told = owner.roomMessages(room).stream().filter(e -> e.path("content").path("body").asText().startsWith(says)).count();
                assertEquals(1, told);
            }
        }
    }
}
