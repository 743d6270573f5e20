package net.ircbridge.bridge;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs many homeserver calls for one room with a few in flight. The homeserver serialises a room's events anyway,
 * but with a few waiting it always has the next one at hand, and the round trips overlap. For work whose order
 * within the batch doesn't matter (the members of a NAMES list, the soft kicks of one server restart).
 */
public final class AFewAtATime {

    private static final Logger LOG = Logger.getLogger(AFewAtATime.class);

    private AFewAtATime() {
    }

    /** Runs every piece of work, {@code inFlight} at a time; one that fails is logged and doesn't stop the others. */
    public static CompletableFuture<Void> run(List<? extends Supplier<? extends CompletionStage<?>>> work, int inFlight) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] done = new CompletableFuture[work.size()];
        for (int i = 0; i < work.size(); i++) {
            Supplier<? extends CompletionStage<?>> piece = work.get(i);
            CompletableFuture<?> turn = i < inFlight ? CompletableFuture.completedFuture(null) : done[i - inFlight];
            done[i] = turn.thenCompose(ignored -> piece.get().<Void>thenApply(result -> null)).exceptionally(failure -> {
                LOG.errorf("A room's call failed: %s", failure.getMessage());
                return null;
            });
        }
        return CompletableFuture.allOf(done);
    }
}
