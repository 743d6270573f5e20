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
        Files.writeString(config, Files.readString(config).replace("      channels: []\n",
                "      channels:\n        - channel: \"" + channel + "\"\n          room: \"" + room + "\"\n")
                // The bridge's own texts are templates in the configuration.
                + "texts:\n  bridging: \"Now bridging {channel} from {network}\"\n");
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
}
