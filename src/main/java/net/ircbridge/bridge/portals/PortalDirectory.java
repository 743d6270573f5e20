package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.MatrixNames;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.store.PortalRoomStore;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * Which room each bridged channel is, in memory: loaded from the store once, and kept in step with it by writing
 * through. Every behaviour resolves rooms here, so an event costs no database read to find its room, an IRC input
 * thread never waits for the database, and a line or a join read while the database is down (restarting, say)
 * still finds its room (the outbox then waits for the database to keep it).
 *
 * <p>Bounded by the store: a network's portals are capped by {@code max-portals} (see
 * {@link DecidesWhichChannelsGetPortals}) and by the channels its configuration maps.
 */
@ApplicationScoped
public class PortalDirectory {

    /** A channel of a network, folded as the store keeps it. */
    private record ChannelKey(String network, String channel) {
    }

    private final PortalRoomStore store;
    private final Map<String, PortalRoom> byRoom = new ConcurrentHashMap<>();
    private final Map<ChannelKey, PortalRoom> byChannel = new ConcurrentHashMap<>();
    /** Set once the store's portals are in the maps; until then every read loads them (and fails as the store does). */
    private volatile boolean loaded;

    public PortalDirectory(PortalRoomStore store) {
        this.store = store;
    }

    /** The portal of a channel (folded, as {@link MatrixNames#fold} makes it). */
    public Optional<PortalRoom> byChannel(String network, String channel) {
        load();
        return Optional.ofNullable(byChannel.get(new ChannelKey(network, channel)));
    }

    public Optional<PortalRoom> byRoom(String roomId) {
        load();
        return Optional.ofNullable(byRoom.get(roomId));
    }

    /** Every bridged room, of every network, ordered by network and channel. */
    public List<PortalRoom> all() {
        load();
        List<PortalRoom> out = new ArrayList<>(byRoom.values());
        out.sort(Comparator.comparing(PortalRoom::network).thenComparing(PortalRoom::channel));
        return out;
    }

    /** How many of a network's rooms were made for an alias (portals on demand), not mapped by configuration. */
    public long countMadeFromAliases(String network) {
        load();
        return byRoom.values().stream().filter(r -> r.network().equals(network) && r.alias() != null).count();
    }

    /**
     * Stores a portal, replacing whatever the channel or the room was before, and then knows it. Written to the
     * store first: a portal the store refused is not known either.
     */
    public synchronized void put(PortalRoom room) {
        load();
        store.put(room);
        // The new mapping first, then what it replaced: a reader meanwhile finds the old portal or the new one, never
        // none (as the store's DELETE and INSERT in one transaction), since every start puts each mapped room again
        // while events of the rooms are already being handled.
        ChannelKey channel = keyOf(room);
        PortalRoom oldOfRoom = byRoom.put(room.roomId(), room);
        PortalRoom oldOfChannel = byChannel.put(channel, room);
        if (oldOfChannel != null && !oldOfChannel.roomId().equals(room.roomId())) {
            byRoom.remove(oldOfChannel.roomId(), oldOfChannel);
        }
        if (oldOfRoom != null && !keyOf(oldOfRoom).equals(channel)) {
            byChannel.remove(keyOf(oldOfRoom), oldOfRoom);
        }
    }

    private static ChannelKey keyOf(PortalRoom room) {
        return new ChannelKey(room.network(), room.channel());
    }

    private void know(PortalRoom room) {
        byRoom.put(room.roomId(), room);
        byChannel.put(keyOf(room), room);
    }

    private void load() {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (!loaded) {
                store.all().forEach(this::know);
                loaded = true;
            }
        }
    }
}
