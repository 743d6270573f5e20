package net.ircbridge.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The homeserver's transactions: which events were accepted (so a retried transaction is processed once, also after a
 * restart) and which of them still wait to be processed.
 *
 * <p>A retry is recognised by its events, not by the transaction id alone: a homeserver may use an id again for a new
 * transaction (Synapse on SQLite starts at 1 after a restart once nothing is pending), and that transaction's events
 * must be processed. Each event is remembered by its event id, which is unique; an event without one (not a room event)
 * by a digest of the transaction id, its position in the transaction and its text, so that only the very same
 * transaction sent again counts as seen.
 */
public class InboundTransactionStore {

    /** Longest event id remembered as it is; a longer one (not from a real homeserver) counts as having no id. */
    static final int MAX_EVENT_ID_LENGTH = 255;
    /** Events looked up in one query. */
    private static final int LOOKUP_CHUNK = 100;
    /** Starts every key that is a digest; real event ids start with '$'. */
    private static final String DIGEST_PREFIX = "~";

    private final Database database;

    public InboundTransactionStore(Database database) {
        this.database = database;
    }

    /** One accepted event waiting to be processed. */
    public record PendingEvent(long seq, String roomId, String json) {
    }

    /** An event of a transaction to accept: its room (or null), its JSON text and its event id (or null). */
    public record IncomingEvent(String roomId, String json, String eventId) {

        /** An event without an event id. */
        public IncomingEvent(String roomId, String json) {
            this(roomId, json, null);
        }
    }

    /**
     * Accepts a transaction: remembers its events and keeps those not accepted before, atomically.
     *
     * @return the events not accepted before, as stored (with their sequence numbers) and with their positions in
     *         {@code events}; {@code accepted=false} when the transaction had events and every one of them was accepted
     *         before (a retry: nothing is to be done again)
     */
    public Acceptance accept(String txnId, List<IncomingEvent> events) {
        List<String> keys = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            keys.add(keyOf(txnId, i, events.get(i)));
        }
        return database.inTransaction(c -> {
            Set<String> seen = new HashSet<>();
            for (int from = 0; from < keys.size(); from += LOOKUP_CHUNK) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + LOOKUP_CHUNK));
                String sql = "SELECT event_key FROM processed_event WHERE event_key IN ("
                        + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            seen.add(rs.getString(1));
                        }
                    }
                }
            }
            long now = System.currentTimeMillis();
            List<PendingEvent> stored = new ArrayList<>(events.size());
            List<Integer> positions = new ArrayList<>(events.size());
            try (PreparedStatement remember = c.prepareStatement("INSERT INTO processed_event (event_key, received_at) VALUES (?, ?)");
                    PreparedStatement keep = c.prepareStatement(
                            "INSERT INTO inbound_event (txn_id, room_id, event) VALUES (?, ?, ?)", new String[] {"seq"})) {
                for (int i = 0; i < events.size(); i++) {
                    // seen grows with each new key: an event id twice in one transaction is processed once
                    if (!seen.add(keys.get(i))) {
                        continue;
                    }
                    IncomingEvent event = events.get(i);
                    remember.setString(1, keys.get(i));
                    remember.setLong(2, now);
                    remember.executeUpdate();
                    keep.setString(1, txnId);
                    keep.setString(2, event.roomId());
                    keep.setString(3, event.json());
                    keep.executeUpdate();
                    try (ResultSet generated = keep.getGeneratedKeys()) {
                        generated.next();
                        stored.add(new PendingEvent(generated.getLong(1), event.roomId(), event.json()));
                    }
                    positions.add(i);
                }
            }
            return new Acceptance(events.isEmpty() || !stored.isEmpty(), stored, positions);
        });
    }

    /** The key an event is remembered by: its event id, or a digest of where it came and what it says. */
    static String keyOf(String txnId, int position, IncomingEvent event) {
        String id = event.eventId();
        if (id != null && !id.isEmpty() && id.length() <= MAX_EVENT_ID_LENGTH && !id.startsWith(DIGEST_PREFIX)) {
            return id;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(txnId.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Integer.toString(position).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(event.json().getBytes(StandardCharsets.UTF_8));
            return DIGEST_PREFIX + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * What {@link #accept} did.
     *
     * @param accepted false when every event of the transaction had been accepted before
     * @param events the events not accepted before, in their order
     * @param positions for each of {@code events}, its position in the transaction
     */
    public record Acceptance(boolean accepted, List<PendingEvent> events, List<Integer> positions) {
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

    /**
     * Forgets events accepted longer than {@code keepMillis} before the newest one. Measured from the newest rather
     * than from now, so that time the bridge was stopped does not count: a homeserver retries a transaction it has no
     * answer to within minutes of the bridge answering again, however long it was down.
     *
     * @return how many were forgotten
     */
    public int forgetEventsOlderThanNewestBy(long keepMillis) {
        return database.withConnection(c -> {
            long newest;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(received_at) FROM processed_event");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                newest = rs.getLong(1);
                if (rs.wasNull()) {
                    return 0;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM processed_event WHERE received_at < ?")) {
                ps.setLong(1, newest - keepMillis);
                return ps.executeUpdate();
            }
        });
    }
}
