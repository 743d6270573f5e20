package net.ircbridge.irc.kicl;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.kitteh.irc.client.library.feature.sending.MessageSendingQueue;
import org.jboss.logging.Logger;

/**
 * KICL's scheduled ("not immediate") sending queue for one connection, driven by a {@link ScheduledExecutorService}
 * shared by all connections instead of a thread per connection.
 *
 * <p><b>Why:</b> KICL 9.0.0's default ({@code SingleDelaySender}) is a {@code Thread} per client that sleeps between
 * lines. With thousands of idle connections that is thousands of parked platform threads (stack, native thread
 * structures, a {@code Thread} object each). This queue holds only an {@link ArrayDeque}, a few fields and, while
 * lines wait for tokens, one pending {@link ScheduledFuture} on the shared executor.
 *
 * <p>Rate: a token bucket ({@link SendRate}), implemented as a GCRA "theoretical arrival time" so it needs one
 * {@code long} of state. Lines leave in the order they were queued. When a token is available, {@link #queue(String)}
 * hands the line on directly on the caller's thread (no hop through the executor); otherwise the drain is scheduled
 * for the moment the next token is earned.
 *
 * <p>The consumer is called without holding this queue's lock, by one thread at a time (see {@link #drainIfIdle()}).
 * The factory also uses this class, at {@link SendRate#UNLIMITED}, as the client's "immediate" queue, whose consumer
 * is Netty's {@code writeAndFlush}.
 *
 * <p>{@link #whenSent()} tells when the lines queued so far have been handed to the consumer, so that a caller can
 * count a message as done only once its lines have left (and not lose it, silently, to a crash while it waited for
 * tokens). Its futures are completed on the thread that hands the lines on, outside this queue's lock.
 */
public final class ScheduledSendingQueue implements MessageSendingQueue {
    private static final Logger LOG = Logger.getLogger(ScheduledSendingQueue.class);

    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final ArrayDeque<String> lines = new ArrayDeque<>(4);
    private SendRate rate;
    private Consumer<String> consumer;
    private boolean sending;
    private boolean shutDown;
    /** GCRA theoretical arrival time, in nanoClock units; {@code Long.MIN_VALUE} means "bucket full". */
    private long theoreticalArrival = Long.MIN_VALUE;
    private ScheduledFuture<?> pendingDrain;
    /** A thread is handing lines to the consumer (outside the lock). */
    private boolean draining;
    /** Lines ever queued, and ever handed to the consumer (or dropped by it): the barriers compare the two. */
    private long queuedCount;
    private long handedCount;
    /**
     * What waits for lines to leave, oldest first, each for a distinct count of lines queued: at most one per line
     * waiting, so bounded by {@link #lines}.
     */
    private final ArrayDeque<Barrier> barriers = new ArrayDeque<>(2);

    /** Completes once {@code handedCount} reaches {@code upTo}. */
    private record Barrier(long upTo, CompletableFuture<Void> sent) {
    }

    /**
     * @param scheduler shared executor that drains queues whose bucket is empty
     * @param rate      the token bucket
     */
    public ScheduledSendingQueue(ScheduledExecutorService scheduler, SendRate rate) {
        this(scheduler, rate, System::nanoTime);
    }

    /** For tests: a clock in nanoseconds. */
    ScheduledSendingQueue(ScheduledExecutorService scheduler, SendRate rate, LongSupplier nanoClock) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.rate = Objects.requireNonNull(rate, "rate");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Changes the rate from now on (e.g. after the network grants the bot a higher flood limit). */
    public void setSendRate(SendRate newRate) {
        Objects.requireNonNull(newRate, "rate");
        synchronized (this) {
            this.rate = newRate;
            this.cancelPending();
        }
        this.drainIfIdle();
    }

    public synchronized SendRate getSendRate() {
        return this.rate;
    }

    @Override
    public void beginSending(Consumer<String> newConsumer) {
        Objects.requireNonNull(newConsumer, "consumer");
        synchronized (this) {
            this.consumer = newConsumer;
            this.sending = true;
            this.cancelPending();
        }
        this.drainIfIdle();
    }

    @Override
    public synchronized boolean contains(String message) {
        return this.lines.contains(message);
    }

    @Override
    public synchronized Optional<Consumer<String>> getConsumer() {
        return Optional.ofNullable(this.consumer);
    }

    @Override
    public synchronized void pause() {
        this.sending = false;
        this.cancelPending();
    }

    @Override
    public void queue(String message) {
        Objects.requireNonNull(message, "message");
        synchronized (this) {
            if (this.shutDown) {
                LOG.debug("Dropping a line queued after shutdown");
                return;
            }
            this.lines.addLast(message);
            this.queuedCount++;
        }
        this.drainIfIdle();
    }

    @Override
    public Queue<String> shutdown() {
        Queue<String> remaining;
        List<Barrier> failed;
        synchronized (this) {
            this.shutDown = true;
            this.sending = false;
            this.cancelPending();
            remaining = new ArrayDeque<>(this.lines);
            this.lines.clear();
            failed = List.copyOf(this.barriers);
            this.barriers.clear();
        }
        // Those lines never leave: whoever waits for them learns it (outside the lock, as all completions here).
        failed.forEach(b -> b.sent().completeExceptionally(new QueueShutDown()));
        return remaining;
    }

    /**
     * Completes once every line queued so far has been handed to the consumer (at once if none waits); fails with
     * {@link QueueShutDown} if the queue is shut down first (the connection ended, or the client was shut down), since
     * those lines are then dropped, and at once if it is already shut down (whatever was queued may have been dropped).
     */
    public synchronized CompletableFuture<Void> whenSent() {
        // Shut down first: lines queued after the shutdown were dropped without being counted, so the counts alone
        // would say "all sent". The caller's lines may have left before; failing then only costs a duplicate.
        if (this.shutDown) {
            return CompletableFuture.failedFuture(new QueueShutDown());
        }
        if (this.handedCount >= this.queuedCount) {
            return CompletableFuture.completedFuture(null);
        }
        Barrier last = this.barriers.peekLast();
        if (last != null && last.upTo() == this.queuedCount) {
            return last.sent();
        }
        Barrier barrier = new Barrier(this.queuedCount, new CompletableFuture<>());
        this.barriers.addLast(barrier);
        return barrier.sent();
    }

    /** The queue was shut down before the lines waited for left it: they were dropped. */
    public static final class QueueShutDown extends IllegalStateException {
        QueueShutDown() {
            super("the connection's sending queue was shut down before the lines left it");
        }
    }

    /** Number of lines waiting (for metrics and tests). */
    public synchronized int size() {
        return this.lines.size();
    }

    private void cancelPending() {
        if (this.pendingDrain != null) {
            this.pendingDrain.cancel(false);
            this.pendingDrain = null;
        }
    }

    private void drainFromScheduler() {
        synchronized (this) {
            this.pendingDrain = null;
        }
        this.drainIfIdle();
    }

    /**
     * Sends what the bucket allows; if lines remain, schedules the next drain for when a token is earned.
     *
     * <p>Only one thread drains at a time (so lines keep their order), and the consumer is called <em>without</em>
     * holding this queue's lock: the consumer may be Netty's {@code writeAndFlush}, which on the event loop can run
     * the pipeline inline and, on a write error, call back into KICL ({@code pauseMessageSending}) and so into this
     * or the client's other queue. Holding no lock while calling out rules out lock-order deadlocks.
     */
    private void drainIfIdle() {
        synchronized (this) {
            if (this.draining || !this.sending || this.pendingDrain != null || this.lines.isEmpty()) {
                return;
            }
            this.draining = true;
        }
        boolean done = false;
        try {
            while (true) {
                String line;
                Consumer<String> target;
                synchronized (this) {
                    if (!this.sending || this.lines.isEmpty()) {
                        this.draining = false;
                        done = true;
                        return;
                    }
                    long interval = this.rate.intervalNanos();
                    if (interval > 0) {
                        long tolerance = interval * (this.rate.burst() - 1L);
                        long now = this.nanoClock.getAsLong();
                        long tat = (this.theoreticalArrival == Long.MIN_VALUE || this.theoreticalArrival - now < 0) ? now : this.theoreticalArrival;
                        long wait = tat - tolerance - now;
                        if (wait > 0) {
                            this.pendingDrain = this.scheduler.schedule(this::drainFromScheduler, wait, TimeUnit.NANOSECONDS);
                            this.draining = false;
                            done = true;
                            return;
                        }
                        this.theoreticalArrival = tat + interval;
                    }
                    line = this.lines.pollFirst();
                    target = this.consumer;
                }
                try {
                    target.accept(line);
                } catch (RuntimeException e) {
                    LOG.warn("Sending consumer failed; line dropped", e);
                }
                this.handedOn();
            }
        } finally {
            if (!done) {
                synchronized (this) {
                    this.draining = false;
                }
            }
        }
    }

    /**
     * Counts a line handed on, and completes the barrier it reaches, if any (outside the lock): the barriers wait for
     * distinct, rising counts, so one line reaches at most one.
     */
    private void handedOn() {
        Barrier reached = null;
        synchronized (this) {
            this.handedCount++;
            Barrier first = this.barriers.peekFirst();
            if (first != null && first.upTo() <= this.handedCount) {
                reached = this.barriers.pollFirst();
            }
        }
        if (reached != null) {
            reached.sent().complete(null);
        }
    }

    @Override
    public synchronized String toString() {
        return "ScheduledSendingQueue[" + this.lines.size() + " waiting, " + this.rate + (this.sending ? ", sending" : ", paused") + "]";
    }
}
