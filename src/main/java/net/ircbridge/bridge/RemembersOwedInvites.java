package net.ircbridge.bridge;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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

    /** Stores the invite; completes once it is committed, together with those queued meanwhile. */
    public CompletableFuture<Void> remember(OwedInvite invite) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        queue.add(new Pending(invite, stored));
        writer.execute(this::writeQueued);
        return stored;
    }

    private void writeQueued() {
        List<Pending> batch = new ArrayList<>();
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        try {
            owed.putAll(batch.stream().map(Pending::invite).toList());
            batch.forEach(p -> p.stored().complete(null));
        } catch (RuntimeException e) {
            LOG.errorf("Cannot store %d owed invites: %s", batch.size(), e.getMessage());
            batch.forEach(p -> p.stored().completeExceptionally(e));
        }
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
    }
}
