package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** Portal rooms listed in the homeserver's room directory when the network says so. */
class PortalRoomDirectoryIT {

    @Test
    void portalRoomsArePublishedWhenTheNetworkSaysSo() throws Exception {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "directory");
        TestBridgeConfig.networkSetting(config, "publish-rooms: true");
        String channel = "#" + bed.uniqueName("pub");
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            Await.until(TestBed.DEFAULT_TIMEOUT, "the room is in the directory", () ->
                    user.get("publicRooms?limit=500").orThrow("publicRooms").body().path("chunk").toString().contains(room));
            assertTrue(user.get("directory/list/room/" + java.net.URLEncoder.encode(room, java.nio.charset.StandardCharsets.UTF_8))
                    .body().path("visibility").asText().equals("public"));
        }
    }
}
