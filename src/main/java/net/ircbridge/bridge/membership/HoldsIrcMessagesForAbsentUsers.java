package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.relay.DeliversIrcMessagesToRooms;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.ircbridge.config.Networks;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * Privacy without loss: while a Matrix user who is joined to a room is not (yet) on its IRC channel — connecting
 * after joining, joining again ahead of an invite, reconnecting after a bridge restart — IRC messages for that room
 * are held, in order, and released once they are on the channel. If they are not there within the network's
 * {@code absence-grace-seconds}, they are soft-kicked (and invited back once they are), and then the held messages
 * go out. So no IRC message reaches a room while one of its joined Matrix users has been absent from the channel
 * for longer than the grace period, and none is lost.
 */
@ApplicationScoped
public class HoldsIrcMessagesForAbsentUsers {

    private static final Logger LOG = Logger.getLogger(HoldsIrcMessagesForAbsentUsers.class);

    private final Texts texts;
    /** Observed by the soft kicks; an event, since they depend on the holds (see {@link AbsentTooLong}). */
    private final Event<AbsentTooLong> absentTooLong;
    private final Networks networks;
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    /** What lets held messages go, once nobody is absent; set by {@link DeliversIrcMessagesToRooms}. */
    private volatile Consumer<PortalRoom> release = room -> { };

    /**
     * A room's absent users, and whether messages wait for them; guarded by its own monitor. The messages themselves
     * wait in the store's outbox (so a restart during a hold loses none), not here.
     */
    private static final class Hold {
        final Set<String> absent = new HashSet<>();
        boolean waiting;
    }

    public HoldsIrcMessagesForAbsentUsers(Texts texts, Networks networks, Event<AbsentTooLong> absentTooLong) {
        this.texts = texts;
        this.absentTooLong = absentTooLong;
        this.networks = networks;
    }

    /**
     * Lets an IRC message go to its room's lane now ({@code toLane} runs at once, in the caller's order), or holds it
     * while someone joined is absent: then, once nobody is, the release action set by {@link #onRelease} runs for the
     * room, after anything the hold's end put on the lane (a soft kick).
     */
    public void deliver(PortalRoom room, Runnable toLane) {
        Hold hold = holds.computeIfAbsent(room.roomId(), k -> new Hold());
        synchronized (hold) {
            if (hold.absent.isEmpty()) {
                toLane.run();
            } else {
                hold.waiting = true;
            }
        }
    }

    /** What lets a room's held messages go. */
    public void onRelease(Consumer<PortalRoom> action) {
        this.release = action;
    }

    /** A Matrix user joined to the room is not on its channel yet: hold its messages until they are (or the grace ends). */
    public void absent(PortalRoom room, String user) {
        // Read first: a room of a network no longer configured fails here, before anyone is held for.
        int grace = networks.get(room.network()).absenceGraceSeconds();
        Hold hold = holds.computeIfAbsent(room.roomId(), k -> new Hold());
        synchronized (hold) {
            if (!hold.absent.add(user)) {
                return;
            }
        }
        LOG.infof("Holding IRC messages for %s until %s is on %s", room.roomId(), user, room.channel());
        CompletableFuture.delayedExecutor(grace, TimeUnit.SECONDS).execute(() -> graceOver(room, user, grace));
    }

    /** The user is on the channel now. */
    public void arrived(PortalRoom room, String user) {
        release(room, user);
    }

    /** The user left the room (or was removed from it): nobody waits for them any more. */
    public void gone(PortalRoom room, String user) {
        release(room, user);
    }

    private void graceOver(PortalRoom room, String user, int grace) {
        Hold hold = holds.get(room.roomId());
        if (hold == null) {
            return;
        }
        synchronized (hold) {
            if (!hold.absent.contains(user)) {
                return;
            }
            LOG.infof("%s is not on %s after %d s: soft-kicking them, and releasing the held messages", user, room.channel(),
                    grace);
            // Soft-kicked by the event's observer now, on this thread: submitted to the room's lane before the held
            // messages, so the soft kick comes first.
            absentTooLong.fire(new AbsentTooLong(room, user, Texts.fill(texts.templates().notOnChannelYet(), "channel",
                    room.channel(), "network", networks.displayName(room.network()), "seconds", String.valueOf(grace))));
        }
        release(room, user);
    }

    private void release(PortalRoom room, String user) {
        Hold hold = holds.get(room.roomId());
        if (hold == null) {
            return;
        }
        synchronized (hold) {
            if (!hold.absent.remove(user) || !hold.absent.isEmpty()) {
                return;
            }
            if (!hold.waiting) {
                return;
            }
            LOG.debugf("Releasing the IRC messages held for %s", room.roomId());
            hold.waiting = false;
            release.accept(room);
        }
    }
}
