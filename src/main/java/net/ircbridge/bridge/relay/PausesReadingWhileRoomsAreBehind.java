package net.ircbridge.bridge.relay;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * Back-pressure from Matrix to IRC: when one of a network's rooms has more than {@code relay.max-room-backlog} lines
 * waiting (the homeserver slow or down), or the outbox's writer has too many lines not yet stored (the database slow
 * or down), the bridge stops reading from the network's bot connection, so that the lines wait on the IRC server
 * rather than grow the bridge. Reading resumes once every room that paused it is down to half, and the writer
 * to half of its limit. Both are said in the log, with the network and the room, and counted.
 */
@ApplicationScoped
public class PausesReadingWhileRoomsAreBehind {

    private static final Logger LOG = Logger.getLogger(PausesReadingWhileRoomsAreBehind.class);
    /** Lines queued for the outbox's writer, not yet stored, past which reading pauses. */
    static final int MAX_UNWRITTEN = 10_000;
    /** What pauses a network when it is the store that is behind, not a room. */
    private static final String STORE = "the store";

    private final PerformsIrcIntents irc;
    private final int maxBacklog;
    /** Per network: the rooms (and the store) behind, which keep its reading paused. */
    private final Map<String, Set<String>> behind = new ConcurrentHashMap<>();
    private final AtomicLong pauses = new AtomicLong();

    public PausesReadingWhileRoomsAreBehind(PerformsIrcIntents irc, RelayConfig relay) {
        this.irc = irc;
        this.maxBacklog = RelayConfig.roomBacklog(relay);
    }

    /**
     * A room of the network has {@code waitingNow} lines waiting for it. Read here, not passed: calls from different
     * threads can come in any order, and a count read before the last change must not pause reading for good.
     */
    void roomAt(PortalRoom room, IntSupplier waitingNow) {
        int waiting = waitingNow.getAsInt();
        if (waiting >= maxBacklog) {
            pause(room.network(), room.roomId(), waiting + " lines from " + room.channel() + " wait for " + room.roomId()
                    + " (relay.max-room-backlog " + maxBacklog + ")");
            // Sent meanwhile down to half, with its call to resume before this pause: resumed here.
            waiting = waitingNow.getAsInt();
            if (waiting <= maxBacklog / 2) {
                resume(room.network(), room.roomId(), room.roomId() + " is down to " + waiting + " lines waiting");
            }
        } else if (waiting <= maxBacklog / 2) {
            resume(room.network(), room.roomId(), room.roomId() + " is down to " + waiting + " lines waiting");
        }
    }

    /**
     * Whether a line from the network may be queued for the writer, which has {@code unwritten} lines not yet stored:
     * past {@link #MAX_UNWRITTEN} reading pauses; past twice that (what was on its way when it paused) lines are dropped.
     */
    boolean mayStore(String network, IntSupplier unwrittenNow) {
        int unwritten = unwrittenNow.getAsInt();
        if (unwritten >= MAX_UNWRITTEN) {
            pause(network, STORE, unwritten + " lines from IRC wait to be stored");
            // The writer may have caught up (and called writerAt) between the read and the pause: then nothing else
            // would resume reading until more lines came, and none come while reading is paused.
            writerAt(unwrittenNow.getAsInt());
        }
        return unwritten < 2 * MAX_UNWRITTEN;
    }

    /** The writer has stored a batch; {@code unwritten} lines are still queued for it. */
    void writerAt(int unwritten) {
        if (unwritten <= MAX_UNWRITTEN / 2) {
            behind.forEach((network, keys) -> resume(network, STORE, "the store has caught up"));
        }
    }

    private void pause(String network, String key, String why) {
        Set<String> keys = behind.computeIfAbsent(network, k -> ConcurrentHashMap.newKeySet());
        if (keys.contains(key)) {
            return;
        }
        synchronized (keys) {
            if (!keys.add(key)) {
                return;
            }
            if (keys.size() == 1) {
                pauses.incrementAndGet();
                LOG.warnf("Pausing reading from %s: %s", network, why);
                bots(network, true);
            } else {
                LOG.warnf("Reading from %s stays paused: %s", network, why);
            }
        }
    }

    private void resume(String network, String key, String why) {
        Set<String> keys = behind.get(network);
        if (keys == null || !keys.contains(key)) {
            return;
        }
        synchronized (keys) {
            if (!keys.remove(key) || !keys.isEmpty()) {
                return;
            }
            LOG.infof("Reading from %s again: %s", network, why);
            bots(network, false);
        }
    }

    private void bots(String network, boolean pause) {
        try {
            if (pause) {
                irc.perform(new IrcIntent.PauseReading(network));
            } else {
                irc.perform(new IrcIntent.ResumeReading(network));
            }
        } catch (IllegalArgumentException e) {
            LOG.debugf("No bot on %s: %s", network, e.getMessage()); // lines stored for a network no longer configured
        }
    }

    /** How often reading from a network was paused since the start (for the metrics to come). */
    public long pauses() {
        return pauses.get();
    }
}
