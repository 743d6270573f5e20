package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** A bridge that serves only some homeservers keeps other users off IRC, saying why. */
class AllowedHomeserversIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aUserOfAHomeserverTheBridgeDoesNotServeIsRemovedWithAReasonAndNeverReachesIrc() throws Exception {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "allowed");
        Files.writeString(config, Files.readString(config).replace("  admins: []\n", "  admins: []\n  allowed-homeservers: [elsewhere.example]\n"));
        String channel = "#" + bed.uniqueName("al");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"));
                BridgeProcess bridge = BridgeProcess.start(config)) {
            watcher.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            JsonNode kicked = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals("This bridge serves only users of its allowed homeservers.", kicked.path("content").path("reason").asText());
            assertFalse(watcher.names(channel).stream().anyMatch(n -> n.endsWith("[m]")), "nobody from Matrix on the channel");
        }
    }
}
