package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What IRC said for each room that is not in the room yet (the IRC → Matrix outbox): appended in batches (group
 * commit), read per room in id order a batch at a time, deleted once the homeserver took it. Held rows (a joined
 * Matrix user not on the channel yet) are here too, so a restart during a hold loses nothing.
 */
public class IrcOutboxStore {

    private final Database database;

    public IrcOutboxStore(Database database) {
        this.database = database;
    }

    /**
     * One line (or topic) on its way to a room. {@code id} is 0 until stored; {@code nick} is who said it on IRC (none
     * for the topic the bot found); {@code payload} is what the sender needs to say it, as JSON.
     */
    public record OutboxRow(long id, String roomId, String network, String kind, String nick, String payload, long createdAt) {

        public OutboxRow withId(long newId) {
            return new OutboxRow(newId, roomId, network, kind, nick, payload, createdAt);
        }
    }

    /** What the writer does in one transaction: rows to append (in order) and ids to delete. */
    public record Batch(List<OutboxRow> append, List<Long> delete) {
    }

    /**
     * Appends rows and deletes others in one transaction: one commit (and, on the embedded database, one flush to
     * disk) for everything that came in meanwhile.
     *
     * @return the appended rows with their ids, in the order given (ids grow in that order)
     */
    public List<OutboxRow> write(Batch batch) {
        if (batch.append().isEmpty() && batch.delete().isEmpty()) {
            return List.of();
        }
        return database.inTransaction(c -> {
            List<OutboxRow> stored = new ArrayList<>(batch.append().size());
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO irc_outbox (room_id, network, kind, nick, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    new String[] {"id"})) {
                for (OutboxRow row : batch.append()) {
                    insert.setString(1, row.roomId());
                    insert.setString(2, row.network());
                    insert.setString(3, row.kind());
                    insert.setString(4, row.nick());
                    insert.setString(5, row.payload());
                    insert.setLong(6, row.createdAt());
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        if (!keys.next()) {
                            throw new SQLException("no id for a new outbox row");
                        }
                        stored.add(row.withId(keys.getLong(1)));
                    }
                }
            }
            if (!batch.delete().isEmpty()) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM irc_outbox WHERE id = ?")) {
                    for (long id : batch.delete()) {
                        delete.setLong(1, id);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            return stored;
        });
    }

    /** At most {@code limit} of a room's rows with an id above {@code afterId} and at most {@code upToId}, oldest first. */
    public List<OutboxRow> next(String roomId, long afterId, long upToId, int limit) {
        return database.withConnection(c -> {
            List<OutboxRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, room_id, network, kind, nick, payload, created_at FROM irc_outbox"
                    + " WHERE room_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?")) {
                ps.setString(1, roomId);
                ps.setLong(2, afterId);
                ps.setLong(3, upToId);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getLong(7)));
                    }
                }
            }
            return out;
        });
    }

    /** For each room with rows waiting: how many, and the newest row's id (read at start). */
    public Map<String, Waiting> waiting() {
        return database.withConnection(c -> {
            Map<String, Waiting> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT room_id, network, COUNT(*), MAX(id) FROM irc_outbox GROUP BY room_id, network ORDER BY MIN(id)");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Waiting w = new Waiting(rs.getString(2), rs.getLong(3), rs.getLong(4));
                    out.merge(rs.getString(1), w, (a, b) -> new Waiting(a.network(), a.count() + b.count(), Math.max(a.lastId(), b.lastId())));
                }
            }
            return out;
        });
    }

    /** A room's rows waiting at start. */
    public record Waiting(String network, long count, long lastId) {
    }
}
