package net.ircbridge.bridge;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Ordered lanes per Matrix user, apart from the rooms' lanes so that waiting for a user (their connection, their
 * token bucket) never holds up a room:
 * <ul>
 * <li>what the user says to IRC (on channels, in private), in the order they said it: {@link #submit};</li>
 * <li>what one IRC nick says to the user in private, in the order it was said: {@link #submitFromNick}. Each nick
 * has its own lane, so that one nick's chat being made does not hold up another's;</li>
 * <li>what the bridge reads and writes in the store about the user on a network, for what happened on IRC (their
 * nick, a reconnect's channels and login), in the order it happened: {@link #submitBookkeeping}. Off the IRC input
 * threads, which must never wait for the database, and never behind what the user says (which may wait for a
 * connection);</li>
 * <li>what the bridge tells the user in their admin room, found in the store or made: {@link #submitToAdminRoom}.</li>
 * </ul>
 * Each lane behaves as a room's lane does (see {@link OrderedLanes}): work starts when the lane's previous work has
 * finished, and a failure fails only its own work.
 */
@ApplicationScoped
public class UserLanes {

    private static final Logger LOG = Logger.getLogger(UserLanes.class);

    /** What one IRC nick says to one user on a network; the nick folded as IRC compares nicks. */
    private record FromNick(UserOnNetwork user, String nick) {

        FromNick {
            nick = MatrixNames.fold(nick);
        }
    }

    /** One pool for what users say and are told, as many threads as the rooms' lanes have. */
    private final ExecutorService pool = OrderedLanes.pool("user-lane");
    /**
     * A pool of its own for the work that blocks on the database, so that a stalled database during a reconnect
     * storm holds up bookkeeping and admin rooms, not every user's messages.
     */
    private final ExecutorService storePool = OrderedLanes.pool("user-store-lane");
    private final OrderedLanes<UserOnNetwork> toIrc = new OrderedLanes<>(pool);
    private final OrderedLanes<FromNick> fromNicks = new OrderedLanes<>(pool);
    private final OrderedLanes<UserOnNetwork> bookkeeping = new OrderedLanes<>(storePool);
    /** Keyed by the Matrix user id: an admin room is the user's, whatever the network. */
    private final OrderedLanes<String> adminRooms = new OrderedLanes<>(storePool);

    /**
     * Queues what a user says to IRC on their lane to that network.
     *
     * @return completes with the work's result once it has run; a failure of the work fails this stage but never
     *         stops the lane
     */
    public <T> CompletableFuture<T> submit(UserOnNetwork user, Supplier<? extends CompletionStage<T>> work) {
        return toIrc.submit(user, work);
    }

    /**
     * Queues what an IRC nick says in private to a user, on the lane of that nick and user.
     *
     * @return as {@link #submit}
     */
    public <T> CompletableFuture<T> submitFromNick(UserOnNetwork user, String nick,
            Supplier<? extends CompletionStage<T>> work) {
        return fromNicks.submit(new FromNick(user, nick), work);
    }

    /**
     * Queues what the bridge reads or writes in the store about a user on a network, on the lane for that; the work
     * may block on the database (it has a thread of the pool while it runs).
     *
     * @return as {@link #submit}
     */
    public <T> CompletableFuture<T> submitBookkeeping(UserOnNetwork user, Supplier<? extends CompletionStage<T>> work) {
        return bookkeeping.submit(user, work);
    }

    /**
     * Queues what is said to a Matrix user in their admin room, on their lane for it; the work may read the store.
     *
     * @return as {@link #submit}
     */
    public <T> CompletableFuture<T> submitToAdminRoom(String user, Supplier<? extends CompletionStage<T>> work) {
        return adminRooms.submit(user, work);
    }

    @PreDestroy
    void stop() {
        pool.shutdown();
        storePool.shutdown();
        LOG.debugf("User lanes stopped with %d busy", toIrc.busy() + fromNicks.busy() + bookkeeping.busy() + adminRooms.busy());
    }
}
