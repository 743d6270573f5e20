package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.ircbridge.config.IrcConfig;
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

    private final RoomLanes lanes;
    private final Texts texts;
    private final Instance<SoftKicksWhenConnectionsDrop> softKicks;
    private final Map<String, Integer> graceSeconds = new ConcurrentHashMap<>();
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    /** A room's absent users and the messages waiting for them; guarded by its own monitor. */
    private static final class Hold {
        final Set<String> absent = new HashSet<>();
        /** Each submits one held message to the room's lane. */
        final List<Runnable> waiting = new ArrayList<>();
    }

    public HoldsIrcMessagesForAbsentUsers(RoomLanes lanes, Texts texts, IrcConfig irc, Instance<SoftKicksWhenConnectionsDrop> softKicks) {
        this.lanes = lanes;
        this.texts = texts;
        this.softKicks = softKicks;
        irc.networks().forEach(n -> {
            graceSeconds.put(n.id(), n.absenceGraceSeconds());
            networkNames.put(n.id(), n.displayName());
        });
    }

    /**
     * Sends an IRC message to its room through the room's lane, or holds it while someone joined is absent.
     *
     * @return completes once {@code send}'s work has, whenever it was let through
     */
    public <T> CompletableFuture<T> deliver(PortalRoom room, Supplier<? extends CompletionStage<T>> send) {
        Hold hold = holds.computeIfAbsent(room.roomId(), k -> new Hold());
        synchronized (hold) {
            if (hold.absent.isEmpty()) {
                return lanes.submit(room.roomId(), send);
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            hold.waiting.add(() -> lanes.submit(room.roomId(), send).whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            }));
            return result;
        }
    }

    /** A Matrix user joined to the room is not on its channel yet: hold its messages until they are (or the grace ends). */
    public void absent(PortalRoom room, String user) {
        Hold hold = holds.computeIfAbsent(room.roomId(), k -> new Hold());
        synchronized (hold) {
            if (!hold.absent.add(user)) {
                return;
            }
        }
        LOG.infof("Holding IRC messages for %s until %s is on %s", room.roomId(), user, room.channel());
        int grace = graceSeconds.getOrDefault(room.network(), 5);
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
            LOG.infof("%s is not on %s after %d s: soft-kicking them, and releasing %d held messages", user, room.channel(),
                    grace, hold.waiting.size());
            // Submitted to the room's lane before the held messages, so the soft kick comes first.
            softKicks.get().softKick(user, room, Texts.fill(texts.templates().notOnChannelYet(), "channel", room.channel(),
                    "network", networkNames.getOrDefault(room.network(), room.network()), "seconds", String.valueOf(grace)), true);
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
            if (!hold.waiting.isEmpty()) {
                LOG.debugf("Releasing %d IRC messages held for %s", hold.waiting.size(), room.roomId());
            }
            hold.waiting.forEach(Runnable::run);
            hold.waiting.clear();
        }
    }
}
