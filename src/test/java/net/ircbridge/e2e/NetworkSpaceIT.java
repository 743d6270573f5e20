package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each network has a space made by the bot, named and described from the network's {@code space} settings, listing
 * every bridged room ({@code m.space.child} with {@code via}); each room points back to it ({@code m.space.parent},
 * canonical). A room no longer bridged leaves the space.
 */
class NetworkSpaceIT extends OneBridgePerClass {

    private static final String SPACE_SETTINGS = "space:\n        name: \"Test IRC channels\"\n        topic: \"Everything on {network}\"";

    @BeforeAll
    static void start() {
        startBridge("space", SPACE_SETTINGS);
    }

    /** Waits for the room's parent event and returns the space's id. */
    private static String awaitParent(MatrixTestClient user, String room) {
        JsonNode parent = user.awaitEvent(room, e -> "m.space.parent".equals(e.path("type").asText())
                && e.path("content").has("via"), WAIT);
        assertEquals(bot, parent.path("sender").asText());
        assertTrue(parent.path("content").path("canonical").asBoolean(), parent::toString);
        assertEquals(bed.serverName(), parent.path("content").path("via").path(0).asText(), parent::toString);
        return parent.path("state_key").asText();
    }

    @Test
    void everyBridgedRoomIsAChildOfTheNetworksSpaceAndPointsBackToIt() {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String first = user.join(alias("#" + bed.uniqueName("spc")));
        String second = user.join(alias("#" + bed.uniqueName("spc")));
        String space = awaitParent(user, first);
        assertEquals(space, awaitParent(user, second), "one space per network");

        user.join(space);
        assertEquals("m.space", user.state(space, "m.room.create", "").path("type").asText());
        assertEquals("Test IRC channels", user.state(space, "m.room.name", "").path("name").asText());
        assertEquals("Everything on Test IRC", user.state(space, "m.room.topic", "").path("topic").asText());
        for (String room : new String[] {first, second}) {
            JsonNode child = user.state(space, "m.space.child", room);
            assertTrue(child != null && bed.serverName().equals(child.path("via").path(0).asText()), room + ": " + child);
        }
    }

    @Test
    void aRoomThatIsNoLongerBridgedLeavesTheSpace() {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String room = user.join(alias("#" + bed.uniqueName("gone")));
        String space = awaitParent(user, room);
        user.join(space);
        assertTrue(user.state(space, "m.space.child", room).has("via"));

        // A bridge with a store of its own (the same bot, so the same space) does not bridge that room: at start it
        // takes it out of the space, and the room's parent event is emptied.
        stopBridge();
        startBridge("space-again", SPACE_SETTINGS);
        user.awaitEvent(space, e -> "m.space.child".equals(e.path("type").asText()) && room.equals(e.path("state_key").asText())
                && !e.path("content").has("via"), WAIT);
        // The old bridge's stop soft-kicked the user; the room is public, so they can look again.
        user.join(room);
        Await.until(WAIT, "the room's parent event emptied", () -> {
            JsonNode parent = user.state(room, "m.space.parent", space);
            return parent == null || !parent.has("via");
        });
    }
}
