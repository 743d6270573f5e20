package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The homeserver's transactions: which ids were accepted (so a retry is processed once, also after a restart)
 * and which of their events still wait to be processed.
 */
public class InboundTransactionStore {

    private final Database database;

    public InboundTransactionStore(Database database) {
        this.database = database;
    }

    /** One accepted event waiting to be processed. */
    public record PendingEvent(long seq, String roomId, String json) {
    }

    /** An event of a transaction to accept: its room (or null) and its JSON text. */
    public record IncomingEvent(String roomId, String json) {
    }

    /**
     * Accepts a transaction: remembers its id and keeps its events, atomically.
     *
     * @return the events as stored (with their sequence numbers), or an empty list with {@code accepted=false}
     *         when this transaction id was accepted before
     */
    public Acceptance accept(String txnId, List<IncomingEvent> events) {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO processed_transaction (txn_id, received_at) VALUES (?, ?)")) {
                ps.setString(1, txnId);
                ps.setLong(2, System.currentTimeMillis());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (Database.isDuplicateKey(e)) {
                    return new Acceptance(false, List.of());
                }
                throw e;
            }
            List<PendingEvent> stored = new ArrayList<>(events.size());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO inbound_event (txn_id, room_id, event) VALUES (?, ?, ?)", new String[] {"seq"})) {
                for (IncomingEvent event : events) {
                    ps.setString(1, txnId);
                    ps.setString(2, event.roomId());
                    ps.setString(3, event.json());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        stored.add(new PendingEvent(keys.getLong(1), event.roomId(), event.json()));
                    }
                }
            }
            return new Acceptance(true, stored);
        });
    }

    /** What {@link #accept} did. */
    public record Acceptance(boolean accepted, List<PendingEvent> events) {
    }

    /** Forgets an event once it has been processed. */
    public void processed(long seq) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM inbound_event WHERE seq = ?")) {
                ps.setLong(1, seq);
                return ps.executeUpdate();
            }
        });
    }

    /** Events accepted but not processed (a crash or a restart came between), oldest first. */
    public List<PendingEvent> pending() {
        return database.withConnection(c -> {
            List<PendingEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, room_id, event FROM inbound_event ORDER BY seq");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PendingEvent(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    /** Forgets transaction ids older than a time; the homeserver doesn't retry that long. */
    public int forgetTransactionsBefore(long epochMillis) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM processed_transaction WHERE received_at < ?")) {
                ps.setLong(1, epochMillis);
                return ps.executeUpdate();
            }
        });
    }
}
