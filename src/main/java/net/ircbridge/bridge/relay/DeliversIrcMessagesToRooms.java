package net.ircbridge.bridge.relay;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.PostsNoticesInRooms;
import net.ircbridge.bridge.RetriesHandlersThatFailForAMoment;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.membership.HoldsIrcMessagesForAbsentUsers;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.IrcOutboxStore;
import net.ircbridge.store.IrcOutboxStore.OutboxRow;
import net.ircbridge.store.OutboxPayload;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * The one way what is said on a channel (messages, notices, actions, topic changes) reaches its room: through the
 * store's outbox and then the room's lane, after the membership changes IRC made before it, so Matrix sees the
 * conversation in IRC's order. Kept as one place so that a rule about when a room may hear its channel applies to
 * everything said there.
 *
 * <p><b>Durable.</b> A line is appended to the outbox ({@link WritesTheIrcOutbox}, group commit) and takes its place on
 * the room's lane at once, from the IRC input thread, which never waits for the database. When its turn comes the
 * lane waits for it to be stored, then sends the room's stored lines in order, a batch at a time, each with a
 * transaction id made from its row (so one sent again after a crash is the same event to the homeserver), and
 * deletes each once the homeserver took it. Lines that follow one another with nothing else on the lane between
 * them share one piece of lane work, so memory per room stays small however far behind it is. Transient failures
 * (connection refused, 5xx, 429) are tried again with backoff, in order; a refusal (4xx) drops that one line, with
 * a log line, and the next goes. At start, what is still in the outbox is sent before anything new for its room.
 * Held lines ({@link HoldsIrcMessagesForAbsentUsers}) are in the outbox too, and wait there.
 *
 * <p><b>Bounded.</b> A room more than {@code relay.max-room-backlog} lines behind pauses reading from the network
 * ({@link PausesReadingWhileRoomsAreBehind}). At most {@code relay.max-queued-irc-lines} lines wait for one room; a line
 * past it is dropped and counted; once the room has caught up the bot says how many were dropped
 * ({@code texts.irc-lines-dropped}), so that the gap is visible, not silent.
 */
@ApplicationScoped
public class DeliversIrcMessagesToRooms {

    private static final Logger LOG = Logger.getLogger(DeliversIrcMessagesToRooms.class);
    /** Rows read from the store at once for one room. */
    static final int BATCH = 50;
    /** The longest payload stored; an IRC line is far shorter, so only a hostile value is this long. */
    static final int MAX_PAYLOAD = 30_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final HoldsIrcMessagesForAbsentUsers holds;
    private final RoomLanes lanes;
    private final WritesTheIrcOutbox writer;
    private final IrcOutboxStore store;
    private final PortalDirectory portals;
    private final PostsNoticesInRooms notices;
    private final Texts texts;
    private final PausesReadingWhileRoomsAreBehind reading;
    private final Instance<SaysStoredIrcLines> sayers;
    private final int maxQueued;
    private volatile Map<String, SaysStoredIrcLines> byKind;
    private final Map<String, Outbox> rooms = new ConcurrentHashMap<>();
    /** Reads of the store for the lanes: JDBC blocks, and must not hold up the homeserver client's threads. */
    private final ExecutorService reads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "irc-outbox-reader");
        t.setDaemon(true);
        return t;
    });

    /** One room's outbox in memory: counts and the lane work queued for it, never the lines; guarded by its monitor. */
    private static final class Outbox {
        final String roomId;
        /** Lines appended and not yet sent (or given up). */
        int waiting;
        /** Lines dropped since the room last caught up. */
        int dropped;
        /** The newest line appended, once stored. */
        CompletableFuture<OutboxRow> last;
        /** The lane work queued for this room that has not started yet, if it is still the lane's last. */
        Drain open;
        /** The id of the last row sent or given up; touched only by the room's lane. */
        volatile long doneUpTo;

        Outbox(String roomId) {
            this.roomId = roomId;
        }
    }

    /** Lane work: send the room's stored lines up to (and with) {@code upTo}. */
    private final class Drain implements Supplier<CompletionStage<Void>> {
        final Outbox box;
        final PortalRoom room;
        CompletableFuture<OutboxRow> upTo;
        boolean started;

        Drain(Outbox box, PortalRoom room, CompletableFuture<OutboxRow> upTo) {
            this.box = box;
            this.room = room;
            this.upTo = upTo;
        }

        @Override
        public CompletionStage<Void> get() {
            CompletableFuture<OutboxRow> target;
            synchronized (box) {
                started = true;
                if (box.open == this) {
                    box.open = null;
                }
                target = upTo;
            }
            // A line the outbox refused is not stored, but the lines queued with it before it are: they still go.
            return target.handle((row, failure) -> {
                if (failure == null) {
                    return CompletableFuture.completedFuture(row.id());
                }
                return Failures.cause(failure) instanceof WritesTheIrcOutbox.NotStored n ? CompletableFuture.completedFuture(n.storedUpTo())
                        : CompletableFuture.<Long>failedFuture(failure);
            }).thenCompose(f -> f).thenComposeAsync(id -> drain(box, room, id), reads);
        }
    }

    public DeliversIrcMessagesToRooms(HoldsIrcMessagesForAbsentUsers holds, RoomLanes lanes, WritesTheIrcOutbox writer,
            IrcOutboxStore store, PortalDirectory portals, PostsNoticesInRooms notices, Texts texts,
            PausesReadingWhileRoomsAreBehind reading, Instance<SaysStoredIrcLines> sayers, RelayConfig relay) {
        this.holds = holds;
        this.lanes = lanes;
        this.writer = writer;
        this.store = store;
        this.portals = portals;
        this.notices = notices;
        this.texts = texts;
        this.reading = reading;
        this.sayers = sayers;
        this.maxQueued = relay.maxQueuedIrcLines();
        holds.onRelease(room -> schedule(outbox(room.roomId()), room));
        writer.afterWrite(() -> reading.writerAt(writer.unwritten()));
    }

    /**
     * Delivers a line to a room: stored, then said there on the room's lane, once no Matrix user joined to the room is
     * waiting to get on the channel (see {@link HoldsIrcMessagesForAbsentUsers}). Call on the IRC input thread, in
     * IRC's order; never blocks.
     *
     * @param kind    which {@link SaysStoredIrcLines} says it
     * @param nick    who said it on IRC, if anyone
     * @param payload what that sayer needs to say it
     */
    public void deliver(PortalRoom room, String kind, String nick, OutboxPayload payload) {
        String json = payload.toJson();
        if (json.length() > MAX_PAYLOAD) {
            LOG.warnf("Not relaying a %s of %d characters from %s on %s to %s", kind, json.length(), IrcText.clean(nick),
                    room.channel(), room.roomId());
            return;
        }
        if (!reading.mayStore(room.network(), writer::unwritten)) {
            dropped(outbox(room.roomId()), room, "the store is not keeping up");
            return;
        }
        Outbox box = outbox(room.roomId());
        int waiting;
        synchronized (box) {
            if (box.waiting >= maxQueued) {
                waiting = -1;
            } else {
                waiting = ++box.waiting;
                box.last = writer.append(new OutboxRow(0, room.roomId(), room.network(), kind, nick, json, System.currentTimeMillis()));
                box.last.whenComplete((row, failure) -> {
                    if (failure == null) {
                        LOG.debugf("Stored line %d for %s", row.id(), row.roomId());
                    } else if (Failures.cause(failure) instanceof WritesTheIrcOutbox.NotStored) {
                        // Refused by the outbox and dropped there: it no longer waits.
                        synchronized (box) {
                            box.waiting--;
                        }
                        reading.roomAt(room, () -> waiting(room.roomId()));
                    }
                });
            }
        }
        if (waiting < 0) {
            dropped(box, room, "relay.max-queued-irc-lines");
            return;
        }
        reading.roomAt(room, () -> waiting(room.roomId()));
        holds.deliver(room, () -> schedule(box, room));
    }

    private Outbox outbox(String roomId) {
        return rooms.computeIfAbsent(roomId, Outbox::new);
    }

    private void dropped(Outbox box, PortalRoom room, String why) {
        synchronized (box) {
            if (box.dropped++ == 0) {
                LOG.warnf("%d lines from %s on %s wait for %s already: dropping lines until it has caught up (%s)", box.waiting,
                        room.channel(), room.network(), room.roomId(), why);
            }
        }
    }

    /** Puts the room's newest stored line on its lane: with the work already queued there, if that is still the last. */
    private void schedule(Outbox box, PortalRoom room) {
        synchronized (box) {
            if (box.last == null) {
                return;
            }
            if (box.open != null && !box.open.started && lanes.isLast(box.roomId, box.open)) {
                box.open.upTo = box.last;
                return;
            }
            Drain drain = new Drain(box, room, box.last);
            box.open = drain;
            lanes.submit(box.roomId, drain).exceptionally(failure -> {
                LOG.errorf("Could not relay lines from %s to %s: %s", room.channel(), room.roomId(), Failures.cause(failure));
                return null;
            });
        }
    }

    /** Sends the room's stored lines up to {@code upTo}, a batch at a time, in order. */
    private CompletableFuture<Void> drain(Outbox box, PortalRoom room, long upTo) {
        if (box.doneUpTo >= upTo) {
            return CompletableFuture.completedFuture(null);
        }
        List<OutboxRow> rows;
        try {
            rows = store.next(box.roomId, box.doneUpTo, upTo, BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("Cannot read the outbox of %s: %s; trying again", box.roomId, e.getMessage());
            return later(1000).thenComposeAsync(ignored -> drain(box, room, upTo), reads);
        }
        if (rows.isEmpty()) {
            box.doneUpTo = upTo;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (OutboxRow row : rows) {
            chain = chain.thenCompose(ignored -> sendWithRetries(room, row, 0)).thenRun(() -> done(box, room, row));
        }
        return chain.thenComposeAsync(ignored -> drain(box, room, upTo), reads);
    }

    private CompletableFuture<Void> sendWithRetries(PortalRoom room, OutboxRow row, int attempt) {
        Optional<SaysStoredIrcLines> sayer = Optional.ofNullable(sayersByKind().get(row.kind()));
        if (sayer.isEmpty()) {
            LOG.errorf("Dropping line %d for %s: nothing says a '%s'", row.id(), row.roomId(), row.kind());
            return CompletableFuture.completedFuture(null);
        }
        return sendWithRetries(sayer.get(), room, row, attempt, DeliversIrcMessagesToRooms::later);
    }

    /**
     * Says one stored line, trying again after {@code later} while it fails for a moment; completes once it was said
     * or given up (the row is then done), fails only when the bridge stops (the row stays for the next start).
     */
    static CompletableFuture<Void> sendWithRetries(SaysStoredIrcLines sayer, PortalRoom room, OutboxRow row, int attempt,
            LongFunction<CompletableFuture<Void>> later) {
        OutboxPayload payload;
        try {
            payload = OutboxPayload.fromJson(row.payload());
        } catch (IOException e) {
            LOG.errorf("Dropping line %d for %s: %s", row.id(), row.roomId(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?> sent;
        try {
            sent = sayer.say(room, row, payload, txnId(row));
        } catch (RuntimeException e) {
            // Thrown before anything was sent, such as the database down while the ghost is looked up: judged as a
            // failure of the sending, so that a blip is tried again rather than taken for a bad line.
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((ok, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = Failures.cause(failure);
            RetriesHandlersThatFailForAMoment.Kind kind = RetriesHandlersThatFailForAMoment.classify(cause);
            if (kind == RetriesHandlersThatFailForAMoment.Kind.STOPPING) {
                // Left in the outbox, not done: sent at the next start.
                return CompletableFuture.<Void>failedFuture(cause);
            }
            if (kind == RetriesHandlersThatFailForAMoment.Kind.PERMANENT) {
                // The homeserver refuses this one (a ghost that may not talk, a bad value), or a bug fails it: it never
                // will go, and held here it would hold up the room's lane and, at its limit, reading from the network.
                if (cause instanceof MatrixException) {
                    LOG.warnf("Dropping %s's line for %s (%s on %s): the homeserver refused it: %s", IrcText.clean(row.nick()),
                            room.roomId(), room.channel(), room.network(), cause.getMessage());
                } else {
                    LOG.errorf(cause, "Dropping %s's line for %s (%s on %s): it cannot be sent", IrcText.clean(row.nick()),
                            room.roomId(), room.channel(), room.network());
                }
                return CompletableFuture.<Void>completedFuture(null);
            }
            long delay = Math.min(MAX_BACKOFF_MS, 500L << Math.min(attempt, 10));
            LOG.warnf("Could not relay a line to %s (%s): %s; trying again in %d ms", room.roomId(), room.channel(), cause, delay);
            return later.apply(delay).thenCompose(ignored -> sendWithRetries(sayer, room, row, attempt + 1, later));
        }).thenCompose(f -> f);
    }

    private Map<String, SaysStoredIrcLines> sayersByKind() {
        Map<String, SaysStoredIrcLines> known = byKind;
        if (known == null) {
            known = new java.util.HashMap<>();
            for (SaysStoredIrcLines sayer : sayers) {
                known.put(sayer.kind(), sayer);
            }
            byKind = known;
        }
        return known;
    }

    /**
     * The transaction id of a row: unique among everything the bridge sends (the row's id with its time, so that a
     * database made anew does not repeat one), the same each time the row is sent.
     */
    static String txnId(OutboxRow row) {
        return "irc." + Long.toString(row.id(), 36) + "." + Long.toString(row.createdAt(), 36);
    }

    private static CompletableFuture<Void> later(long delayMs) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
    }

    private void done(Outbox box, PortalRoom room, OutboxRow row) {
        box.doneUpTo = row.id();
        writer.delete(row.id());
        int waiting;
        int dropped = 0;
        synchronized (box) {
            waiting = --box.waiting;
            if (waiting <= 0 && box.dropped > 0) {
                dropped = box.dropped;
                box.dropped = 0;
            }
        }
        reading.roomAt(room, () -> Math.max(0, waiting(room.roomId())));
        if (dropped > 0) {
            LOG.warnf("Dropped %d lines from %s on %s that came faster than %s could take them", dropped, room.channel(),
                    room.network(), room.roomId());
            String notice = Texts.fill(texts.templates().ircLinesDropped(), "count", String.valueOf(dropped), "channel", room.channel());
            notices.post(room.roomId(), notice, "that lines were dropped");
        }
    }

    /**
     * At start: what the outbox still holds for each room goes out before anything new for it, on its lane (after
     * the work the start put there before, such as reading its members, so that holds are known), unless the room
     * holds its messages for someone absent.
     */
    public void resumeAtStart() {
        Map<String, IrcOutboxStore.Waiting> waiting = store.waiting();
        waiting.forEach((roomId, w) -> {
            Optional<PortalRoom> room = portals.byRoom(roomId);
            Outbox box = outbox(roomId);
            if (room.isEmpty()) {
                LOG.warnf("Dropping %d lines from IRC for %s: it is no longer a portal", w.count(), roomId);
                store.next(roomId, 0, w.lastId(), Integer.MAX_VALUE).forEach(r -> writer.delete(r.id()));
                return;
            }
            LOG.infof("%d lines from %s wait for %s since before the restart: sending them first", w.count(), room.get().channel(),
                    roomId);
            synchronized (box) {
                box.waiting += (int) Math.min(Integer.MAX_VALUE, w.count());
                box.last = CompletableFuture.completedFuture(new OutboxRow(w.lastId(), roomId, w.network(), "", null, "", 0));
            }
            reading.roomAt(room.get(), () -> waiting(roomId));
            lanes.submit(roomId, () -> {
                holds.deliver(room.get(), () -> schedule(box, room.get()));
                return CompletableFuture.completedFuture(null);
            });
        });
    }

    @PreDestroy
    void stop() {
        reads.shutdownNow();
    }

    /** How many lines wait for a room (for tests and the metrics to come). */
    int waiting(String roomId) {
        Outbox box = rooms.get(roomId);
        if (box == null) {
            return 0;
        }
        synchronized (box) {
            return box.waiting;
        }
    }

    /** Says one kind of stored line in its room; the classes that relay from IRC are these. */
    public interface SaysStoredIrcLines {

        /** The kind of line this says ({@link #deliver}'s {@code kind}). */
        String kind();

        /**
         * Says a stored line in its room; {@code txnId} makes a message event the same if it is sent again (a second
         * event of the same line, the bot's, adds to it). Ensuring the ghost is registered must be idempotent.
         */
        CompletableFuture<?> say(PortalRoom room, OutboxRow row, OutboxPayload payload, String txnId);
    }
}
