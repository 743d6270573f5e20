package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Invites owed to Matrix users who were soft-kicked when their IRC connection dropped. */
public class OwedInviteStore {

    private final Database database;

    public OwedInviteStore(Database database) {
        this.database = database;
    }

    /** One soft kick waiting for its invite back. */
    public record OwedInvite(String userId, String roomId, String network, String channel, String reason) {
    }

    /**
     * Remembers many owed invites in one transaction: one commit (and, on the embedded database, one flush to disk)
     * for a whole storm of soft kicks instead of one each.
     */
    public void putAll(List<OwedInvite> all) {
        if (all.isEmpty()) {
            return;
        }
        database.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM owed_invite WHERE user_id = ? AND room_id = ?");
                    PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO owed_invite (user_id, room_id, network, channel, reason) VALUES (?, ?, ?, ?, ?)")) {
                for (OwedInvite owed : all) {
                    delete.setString(1, owed.userId());
                    delete.setString(2, owed.roomId());
                    delete.executeUpdate();
                    insert.setString(1, owed.userId());
                    insert.setString(2, owed.roomId());
                    insert.setString(3, owed.network());
                    insert.setString(4, owed.channel());
                    insert.setString(5, owed.reason());
                    insert.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Forgets an owed invite; true if it was there (so that only one caller sends it). */
    public boolean remove(String userId, String roomId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM owed_invite WHERE user_id = ? AND room_id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, roomId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Forgets every invite owed to the user on a network (their connection there was refused for good). */
    public void removeAll(String userId, String network) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM owed_invite WHERE user_id = ? AND network = ?")) {
                ps.setString(1, userId);
                ps.setString(2, network);
                return ps.executeUpdate();
            }
        });
    }

    /** Whether the user is owed an invite back to the room. */
    public boolean has(String userId, String roomId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM owed_invite WHERE user_id = ? AND room_id = ?")) {
                ps.setString(1, userId);
                ps.setString(2, roomId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Every owed invite, oldest user first. */
    public List<OwedInvite> all() {
        return database.withConnection(c -> {
            List<OwedInvite> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT user_id, room_id, network, channel, reason FROM owed_invite ORDER BY user_id, room_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OwedInvite(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        });
    }
}
