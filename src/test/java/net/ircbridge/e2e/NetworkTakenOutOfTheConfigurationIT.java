package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.store.Database;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.PortalRoomStore;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * An operator takes a network out of the configuration while a user is owed an invite back to one of its rooms:
 * the bridge still starts (it cannot reconnect anyone there, and says so), and the invite stays owed in the store
 * for the day the network is configured again.
 */
class NetworkTakenOutOfTheConfigurationIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theBridgeStartsAndKeepsWhatIsOwedOnANetworkNoLongerConfigured() throws Exception {
        TestBed bed = TestBed.get();
        Path data = bed.workDir().resolve("bridges").resolve("gonenetwork").resolve("data");
        Path config = TestBridgeConfig.write(bed, "gonenetwork", TestBridgeConfig.embeddedDatabase(data), bed.uniqueName("Ng"));
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String room = user.createRoom(Map.of("preset", "private_chat"));
        // What a bridge that had the network "gone" left: a portal there, and a user soft-kicked from it.
        try (Database db = Database.embedded(data, 1)) {
            new PortalRoomStore(db).put(new PortalRoomStore.PortalRoom("gone", "#old", room, null));
            new OwedInviteStore(db).putAll(java.util.List.of(new OwedInviteStore.OwedInvite(user.userId(), room, "gone", "#old",
                    "lost the connection")));
        }
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            bridge.awaitLog(l -> l.contains("Not reconnecting " + user.userId() + " to gone: the network is not configured any more"),
                    WAIT);
        }
        try (Database db = Database.embedded(data, 1)) {
            assertTrue(new OwedInviteStore(db).has(user.userId(), room), "the invite back stays owed");
        }
    }
}
