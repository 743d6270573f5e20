package net.ircbridge.bridge.portals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.ircbridge.store.Database;
import net.ircbridge.store.PortalRoomStore;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import net.ircbridge.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortalDirectoryTest {

    @TempDir
    Path data;

    @Test
    void knowsThePortalsTheStoreHadAtStartAndThoseAddedSince() {
        try (Database db = Database.embedded(data, 2)) {
            PortalRoomStore store = new PortalRoomStore(db);
            store.put(new PortalRoom("net", "#old", "!old:hs", null));
            PortalDirectory portals = new PortalDirectory(store);
            assertEquals(Optional.of(new PortalRoom("net", "#old", "!old:hs", null)), portals.byChannel("net", "#old"));
            portals.put(new PortalRoom("net", "#new", "!new:hs", "#irc_new:hs"));
            assertEquals(Optional.of(new PortalRoom("net", "#new", "!new:hs", "#irc_new:hs")), portals.byRoom("!new:hs"));
            assertEquals(Optional.empty(), portals.byChannel("other", "#new"));
            assertEquals(1, portals.countMadeFromAliases("net"));
            // What it knows is what the store has: a directory opened afresh sees the same.
            assertEquals(portals.all(), new PortalDirectory(store).all());
            assertEquals(store.all(), portals.all());
        }
    }

    @Test
    void aChannelGivenAnotherRoomOrARoomAnotherChannelForgetsTheOldMapping() {
        try (Database db = Database.embedded(data, 2)) {
            PortalRoomStore store = new PortalRoomStore(db);
            PortalDirectory portals = new PortalDirectory(store);
            portals.put(new PortalRoom("net", "#a", "!1:hs", null));
            portals.put(new PortalRoom("net", "#a", "!2:hs", null));
            assertEquals(Optional.empty(), portals.byRoom("!1:hs"));
            assertEquals("!2:hs", portals.byChannel("net", "#a").orElseThrow().roomId());
            portals.put(new PortalRoom("net", "#b", "!2:hs", null));
            assertEquals(Optional.empty(), portals.byChannel("net", "#a"));
            assertEquals(List.of(new PortalRoom("net", "#b", "!2:hs", null)), portals.all());
            assertEquals(store.all(), portals.all());
        }
    }

    @Test
    void answersFromMemoryWhileTheDatabaseIsGone() {
        Database db = Database.embedded(data, 2);
        PortalRoomStore store = new PortalRoomStore(db);
        PortalDirectory portals = new PortalDirectory(store);
        portals.put(new PortalRoom("net", "#a", "!1:hs", null));
        db.close();
        assertEquals("!1:hs", portals.byChannel("net", "#a").orElseThrow().roomId());
        // A portal the store cannot take is not known either.
        assertThrows(StoreException.class, () -> portals.put(new PortalRoom("net", "#c", "!3:hs", null)));
        assertEquals(Optional.empty(), portals.byRoom("!3:hs"));
    }
}
