package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/** The direct chat each Matrix user has with the bridge bot (their admin room). */
public class AdminRoomStore {

    private final Database database;

    public AdminRoomStore(Database database) {
        this.database = database;
    }

    /** Makes {@code roomId} the admin room of {@code userId}, replacing an older one. */
    public void put(String userId, String roomId) {
        database.replace("DELETE FROM admin_room WHERE user_id = ? OR room_id = ?", List.of(userId, roomId),
                "INSERT INTO admin_room (user_id, room_id) VALUES (?, ?)", List.of(userId, roomId));
    }

    /** The user whose admin room this is, if it is one. */
    public Optional<String> ownerOf(String roomId) {
        return database.queryString("SELECT user_id FROM admin_room WHERE room_id = ?", roomId);
    }

    /** The admin room of a user, if they have one. */
    public Optional<String> roomOf(String userId) {
        return database.queryString("SELECT room_id FROM admin_room WHERE user_id = ?", userId);
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
