package net.ircbridge.bridge.membership;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.bridge.UserInRoom;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.OwedInviteStore.OwedInvite;
import org.jboss.logging.Logger;

/**
 * Writes owed invites to the store before their soft kicks go out, with group commit: the invites owed while one
 * write is on disk are written together by the next. A server restart ends hundreds of connections within a
 * second; one durable commit each would pace the soft kicks by the disk, one commit for all of them doesn't. Each
 * soft kick still waits for its own invite to be stored, so a crash never leaves a soft-kicked user without one.
 */
@ApplicationScoped
public class RemembersOwedInvites {

    private static final Logger LOG = Logger.getLogger(RemembersOwedInvites.class);

    private record Pending(OwedInvite invite, CompletableFuture<Void> stored) {
    }

    private final OwedInviteStore owed;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "owed-invites");
        t.setDaemon(true);
        return t;
    });

    public RemembersOwedInvites(OwedInviteStore owed) {
        this.owed = owed;
    }

    /**
     * Which soft kick owes each invite (a number counting the invites remembered), per user and room, with the
     * room's network: so that a decision about one soft kick's invite cannot forget a newer one's. The connection can
     * drop again while an invite back is decided (the homeserver answering slowly), and that drop's soft kick owes
     * its invite at once. One entry per invite owed since the start; an entry goes with its invite.
     */
    private final Map<UserInRoom, Owing> owing = new ConcurrentHashMap<>();
    private final AtomicLong remembered = new AtomicLong();

    private record Owing(long which, String network) {
    }

    /** Stores the invite; completes once it is committed, together with those queued meanwhile. */
    public CompletableFuture<Void> remember(OwedInvite invite) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        // Before it is queued: a settle run on the writer after this sees that this invite is the newest.
        owing.put(new UserInRoom(invite.userId(), invite.roomId()), new Owing(remembered.incrementAndGet(), invite.network()));
        queue.add(new Pending(invite, stored));
        writer.execute(this::writeQueued);
        return stored;
    }

    /** Which remembered invite is owed for the user in the room now, to {@link #settle} later; 0 for one from before the start. */
    public long owedNow(String user, String roomId) {
        Owing now = owing.get(new UserInRoom(user, roomId));
        return now == null ? 0 : now.which();
    }

    /**
     * Forgets the invite a decision settled ({@code which}, from {@link #owedNow} when the decision began), unless a
     * newer one is owed since. Done on the writer, after every invite remembered before: the check and the delete
     * cannot fall between a newer soft kick's remembering and its commit, and nothing is held meanwhile.
     *
     * @return completes with whether the invite was forgotten
     */
    public CompletableFuture<Boolean> settle(String user, String roomId, long which) {
        UserInRoom key = new UserInRoom(user, roomId);
        return CompletableFuture.supplyAsync(() -> {
            if (owedNow(user, roomId) != which) {
                LOG.infof("%s was soft-kicked from %s again while their invite back was decided: the newer soft kick's"
                        + " invite stays owed", user, roomId);
                return false;
            }
            owed.remove(user, roomId);
            owing.computeIfPresent(key, (k, now) -> now.which() == which ? null : now);
            return true;
        }, writer);
    }

    /** Forgets the invite owed for the user in the room, whichever soft kick owes it (they left, or were removed). */
    public void forget(String user, String roomId) {
        owing.remove(new UserInRoom(user, roomId));
        owed.remove(user, roomId);
    }

    /**
     * Forgets every invite owed for the user on the network (refused there for good). Deleted from the store on the
     * writer, after the invites remembered before (so none of them is written back after the delete), and off the
     * caller's thread: the caller is a receiver of IRC events, whose thread must not wait for the store.
     */
    public void forgetAll(String user, String network) {
        owing.entrySet().removeIf(e -> e.getKey().user().equals(user) && e.getValue().network().equals(network));
        writer.execute(() -> {
            try {
                owed.removeAll(user, network);
            } catch (RuntimeException e) {
                LOG.errorf("Cannot forget the invites owed to %s on %s: %s", user, network, e.getMessage());
            }
        });
    }

    private void writeQueued() {
        List<Pending> batch = new ArrayList<>();
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        // A database blip must not cost every invite of the batch (their soft kicks go out anyway): the batch is
        // tried again with backoff for up to a minute, taking in the invites owed meanwhile, before it fails.
        long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MS);
        for (long delayMs = FIRST_RETRY_MS;; delayMs = Math.min(delayMs * 2, MAX_RETRY_MS)) {
            try {
                owed.putAll(batch.stream().map(Pending::invite).toList());
            } catch (RuntimeException e) {
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) - giveUpAt > 0 || !pause(delayMs)) {
                    LOG.errorf("Cannot store %d owed invites: %s", batch.size(), e.getMessage());
                    batch.forEach(p -> p.stored().completeExceptionally(e));
                    return;
                }
                LOG.warnf("Cannot store %d owed invites yet (%s): trying again", batch.size(), e.getMessage());
                queue.drainTo(batch);
                continue;
            }
            batch.forEach(p -> p.stored().complete(null));
            return;
        }
    }

    /** How long a batch is tried again before its invites fail, and the backoff between tries. */
    static final long RETRY_FOR_MS = 60_000, FIRST_RETRY_MS = 100, MAX_RETRY_MS = 5_000;

    /** Waits between tries; false when the bridge is stopping (the thread is interrupted). */
    private static boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
    }
}
