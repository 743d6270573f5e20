package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which Matrix room each bridged IRC channel is. Channels are stored case-folded. */
public class PortalRoomStore {

    private final Database database;

    public PortalRoomStore(Database database) {
        this.database = database;
    }

    /** A bridged channel and its room. */
    public record PortalRoom(String network, String channel, String roomId, String alias) {
    }

    public void put(PortalRoom room) {
        database.replace("DELETE FROM portal_room WHERE (network = ? AND channel = ?) OR room_id = ?",
                List.of(room.network(), room.channel(), room.roomId()),
                "INSERT INTO portal_room (network, channel, room_id, alias) VALUES (?, ?, ?, ?)",
                java.util.Arrays.asList(room.network(), room.channel(), room.roomId(), room.alias()));
    }

    public Optional<PortalRoom> byChannel(String network, String channel) {
        return one("SELECT network, channel, room_id, alias FROM portal_room WHERE network = ? AND channel = ?", network, channel);
    }

    public Optional<PortalRoom> byRoom(String roomId) {
        return one("SELECT network, channel, room_id, alias FROM portal_room WHERE room_id = ?", roomId);
    }

    /** How many of a network's rooms were made for an alias (portals on demand), not mapped by configuration. */
    public long countMadeFromAliases(String network) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM portal_room WHERE network = ? AND alias IS NOT NULL")) {
                ps.setString(1, network);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Every bridged room, of every network. */
    public List<PortalRoom> all() {
        return list("SELECT network, channel, room_id, alias FROM portal_room ORDER BY network, channel");
    }

    private Optional<PortalRoom> one(String sql, String... params) {
        List<PortalRoom> rooms = list(sql, params);
        return rooms.isEmpty() ? Optional.empty() : Optional.of(rooms.get(0));
    }

    private List<PortalRoom> list(String sql, String... params) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                List<PortalRoom> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PortalRoom(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return out;
            }
        });
    }
}
