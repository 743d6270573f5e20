package net.ircbridge.irc;

import java.util.function.LongUnaryOperator;

/**
 * The life of one IRC connection the bridge keeps up (the bot's on a network, or a Matrix user's), as the states of
 * DESIGN.md: {@code connecting → connected → lost → reconnecting → connected}, or {@code failed} when the server
 * refused for good, and {@code closed} once the bridge let it go. The socket of each attempt comes and goes; this
 * is what lasts across them: the state, the failures in a row that set the backoff, and whether the loss has been
 * told.
 *
 * <p>Pure logic, no clock and no thread: each input returns the {@link Transition} it made, and the caller acts on
 * it (schedules the retry after {@link Transition#retryInMillis()}, tells the rooms). Not thread-safe: one
 * connection's inputs come one at a time (from its KICL handler or its reconnect timer), so the caller
 * synchronises.
 *
 * <table>
 * <caption>Transitions</caption>
 * <tr><th>from</th><th>input</th><th>to</th></tr>
 * <tr><td>CONNECTING, RECONNECTING</td><td>{@link #registered()}</td><td>CONNECTED (failures reset)</td></tr>
 * <tr><td>CONNECTING, CONNECTED, RECONNECTING</td><td>{@link #ended(End)} DROPPED</td><td>LOST, retry after the
 *     backoff</td></tr>
 * <tr><td>CONNECTING, CONNECTED, RECONNECTING</td><td>{@link #ended(End)} REFUSED</td><td>FAILED; or LOST with a
 *     retry for a connection that {@link Policy#retriesRefusals() retries refusals} (the bot's)</td></tr>
 * <tr><td>LOST</td><td>{@link #retryDue()}</td><td>RECONNECTING</td></tr>
 * <tr><td>FAILED, CLOSED</td><td>{@link #connectAgain()}</td><td>CONNECTING (failures reset)</td></tr>
 * <tr><td>any but CLOSED</td><td>{@link #close()}</td><td>CLOSED</td></tr>
 * </table>
 * Any other input leaves the state as it is ({@link Transition#changed()} is false): a late event of a connection
 * already given up (an end after the close, a second registration) changes nothing.
 */
public final class ConnectionLifecycle {

    /** Where a connection is. */
    public enum State {
        /** The first attempt, not registered yet. */
        CONNECTING,
        /** Registered with the server: the connection can join and speak. */
        CONNECTED,
        /** Dropped (or an attempt failed); a retry is scheduled. */
        LOST,
        /** A retry's attempt, not registered yet. */
        RECONNECTING,
        /** Refused for good (banned, K-lined, bad credentials): no retry until asked to connect again. */
        FAILED,
        /** Let go by the bridge (stopping, or nobody needs it): nothing more happens. */
        CLOSED
    }

    /** How an attempt or a connection ended, as far as retrying goes. */
    public enum End {
        /** A passing cause (a reset, a timeout, the server restarting): worth another try. */
        DROPPED,
        /** The server refused for good (a ban, a K-line, wrong credentials) or is not who it should be. */
        REFUSED
    }

    /**
     * How a connection retries.
     *
     * @param firstDelayMillis the backoff after the first failure; it doubles with each failure in a row
     * @param maxDelayMillis   the longest backoff
     * @param retriesRefusals  whether a refusal is retried too (with the same backoff) rather than failing: the bot's
     *                         connection is the bridge's only way onto the network, and an operator may lift a ban
     */
    public record Policy(long firstDelayMillis, long maxDelayMillis, boolean retriesRefusals) {

        /** The bot's: 1 s doubling to 5 minutes, refusals retried. */
        public static final Policy BOT = new Policy(1_000, 300_000, true);

        /** A Matrix user's: the network's reconnect delay doubling to 5 minutes; a refusal fails the connection. */
        public static Policy user(int reconnectDelaySeconds) {
            return new Policy(reconnectDelaySeconds * 1000L, 300_000, false);
        }

        /**
         * The wait after {@code failures} failures in a row before it: the first delay doubled that many times, at
         * most the longest, with random jitter (half of it, plus up to the other half) so that connections dropped
         * together don't come back together. The same rule serves other retries of a connection's user (the bridge
         * deciding an invite back again), so that there is one backoff.
         */
        public long delayAfter(int failures) {
            return JITTER.applyAsLong(base(failures));
        }

        long base(int failures) {
            long base = firstDelayMillis << Math.min(failures, 20);
            return base <= 0 || base > maxDelayMillis ? maxDelayMillis : base;
        }
    }

    /** Half the base plus a random part up to the other half. */
    private static final LongUnaryOperator JITTER = base -> base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 2 + 1);

    /**
     * What an input did.
     *
     * @param from          the state before
     * @param to            the state after
     * @param retryInMillis when {@code to} is LOST, how long until the retry is due ({@code -1} otherwise)
     * @param outage        when {@code to} is LOST: whether this loss begins an outage (the connection had been up
     *                      and the loss was not told yet), so the rooms hear of it once, not once per attempt. When
     *                      {@code to} is CONNECTED: whether it ends an outage that was told, so word that it is back
     *                      is owed
     */
    public record Transition(State from, State to, long retryInMillis, boolean outage) {

        public boolean changed() {
            return from != to;
        }
    }

    private final Policy policy;
    /** Jitter: from a backoff's base to the delay used (half the base plus a random part up to the other half). */
    private final LongUnaryOperator jitter;
    private State state = State.CONNECTING;
    private int failures;
    /** Whether a loss was told since the connection was last up (and word of its return is owed). */
    private boolean lossTold;
    /** Whether the connection was ever registered since it last connected afresh. */
    private boolean wasUp;

    /** A connection's life from its first attempt, with random jitter. */
    public ConnectionLifecycle(Policy policy) {
        this(policy, JITTER);
    }

    /** As {@link #ConnectionLifecycle(Policy)} with a jitter of one's own (tests use none). */
    public ConnectionLifecycle(Policy policy, LongUnaryOperator jitter) {
        this.policy = policy;
        this.jitter = jitter;
    }

    public State state() {
        return state;
    }

    /** Failures in a row since the connection was last registered. */
    public int failures() {
        return failures;
    }

    /** The server accepted the connection (its registration completed). */
    public Transition registered() {
        if (state != State.CONNECTING && state != State.RECONNECTING) {
            return stay();
        }
        State from = state;
        boolean backAfterTold = lossTold;
        failures = 0;
        lossTold = false;
        wasUp = true;
        state = State.CONNECTED;
        return new Transition(from, state, -1, backAfterTold);
    }

    /** The connection (or an attempt at it) ended without the bridge asking. */
    public Transition ended(End end) {
        if (state != State.CONNECTING && state != State.CONNECTED && state != State.RECONNECTING) {
            return stay();
        }
        State from = state;
        if (end == End.REFUSED && !policy.retriesRefusals()) {
            state = State.FAILED;
            return new Transition(from, state, -1, false);
        }
        long delay = jitter.applyAsLong(policy.base(failures++));
        boolean outage = wasUp && !lossTold;
        if (outage) {
            lossTold = true;
        }
        state = State.LOST;
        return new Transition(from, state, delay, outage);
    }

    /** The retry scheduled by the loss is due: the next attempt begins. */
    public Transition retryDue() {
        if (state != State.LOST) {
            return stay();
        }
        state = State.RECONNECTING;
        return new Transition(State.LOST, state, -1, false);
    }

    /** Someone needs the connection again after it failed or was let go (a user joins a room again, say). */
    public Transition connectAgain() {
        if (state != State.FAILED && state != State.CLOSED) {
            return stay();
        }
        State from = state;
        failures = 0;
        lossTold = false;
        wasUp = false;
        state = State.CONNECTING;
        return new Transition(from, state, -1, false);
    }

    /** The bridge lets the connection go: a retry that comes due afterwards does nothing. */
    public Transition close() {
        if (state == State.CLOSED) {
            return stay();
        }
        State from = state;
        state = State.CLOSED;
        return new Transition(from, state, -1, false);
    }

    private Transition stay() {
        return new Transition(state, state, -1, false);
    }

}
