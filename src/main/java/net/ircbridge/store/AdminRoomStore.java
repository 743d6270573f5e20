package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The direct chat each Matrix user has with the bridge bot (their admin room). */
public class AdminRoomStore {

    private final Database database;

    public AdminRoomStore(Database database) {
        this.database = database;
    }

    /** Makes {@code roomId} the admin room of {@code userId}, replacing an older one. */
    public void put(String userId, String roomId) {
        database.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM admin_room WHERE user_id = ? OR room_id = ?")) {
                delete.setString(1, userId);
                delete.setString(2, roomId);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO admin_room (user_id, room_id) VALUES (?, ?)")) {
                insert.setString(1, userId);
                insert.setString(2, roomId);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The user whose admin room this is, if it is one. */
    public Optional<String> ownerOf(String roomId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id FROM admin_room WHERE room_id = ?")) {
                ps.setString(1, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** The admin room of a user, if they have one. */
    public Optional<String> roomOf(String userId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT room_id FROM admin_room WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Forgets an admin room (the user left it). */
    public void remove(String roomId) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_room WHERE room_id = ?")) {
                ps.setString(1, roomId);
                return ps.executeUpdate();
            }
        });
    }
}
