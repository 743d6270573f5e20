package net.ircbridge.irc;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.kitteh.irc.client.library.feature.sending.MessageSendingQueue;

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
 * <p>The consumer KICL installs ({@code beginSending}) is the client's immediate sender's {@code queue} method,
 * which only appends to a queue, so calling it while holding this queue's lock cannot block or call back into us.
 */
public final class ScheduledSendingQueue implements MessageSendingQueue {
    private static final Logger LOG = Logger.getLogger(ScheduledSendingQueue.class.getName());

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
    public synchronized void setSendRate(SendRate newRate) {
        this.rate = Objects.requireNonNull(newRate, "rate");
        this.rescheduleAfterChange();
    }

    public synchronized SendRate getSendRate() {
        return this.rate;
    }

    @Override
    public synchronized void beginSending(Consumer<String> newConsumer) {
        this.consumer = Objects.requireNonNull(newConsumer, "consumer");
        this.sending = true;
        this.rescheduleAfterChange();
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
    public synchronized void queue(String message) {
        Objects.requireNonNull(message, "message");
        if (this.shutDown) {
            LOG.log(Level.FINE, "Dropping a line queued after shutdown");
            return;
        }
        this.lines.addLast(message);
        if (this.sending && this.pendingDrain == null) {
            this.drain();
        }
    }

    @Override
    public synchronized Queue<String> shutdown() {
        this.shutDown = true;
        this.sending = false;
        this.cancelPending();
        Queue<String> remaining = new ArrayDeque<>(this.lines);
        this.lines.clear();
        return remaining;
    }

    /** Number of lines waiting (for metrics and tests). */
    public synchronized int size() {
        return this.lines.size();
    }

    private void rescheduleAfterChange() {
        this.cancelPending();
        if (this.sending && !this.lines.isEmpty()) {
            this.drain();
        }
    }

    private void cancelPending() {
        if (this.pendingDrain != null) {
            this.pendingDrain.cancel(false);
            this.pendingDrain = null;
        }
    }

    private synchronized void drainFromScheduler() {
        this.pendingDrain = null;
        if (this.sending) {
            this.drain();
        }
    }

    /** Sends what the bucket allows; if lines remain, schedules itself for the next token. Caller holds the lock. */
    private void drain() {
        long interval = this.rate.intervalNanos();
        long tolerance = interval * (this.rate.burst() - 1L);
        while (!this.lines.isEmpty()) {
            if (interval == 0) {
                this.handOn(this.lines.pollFirst());
                continue;
            }
            long now = this.nanoClock.getAsLong();
            long tat = (this.theoreticalArrival == Long.MIN_VALUE || this.theoreticalArrival - now < 0) ? now : this.theoreticalArrival;
            long wait = tat - tolerance - now;
            if (wait > 0) {
                this.pendingDrain = this.scheduler.schedule(this::drainFromScheduler, wait, TimeUnit.NANOSECONDS);
                return;
            }
            this.theoreticalArrival = tat + interval;
            this.handOn(this.lines.pollFirst());
        }
    }

    private void handOn(String line) {
        try {
            this.consumer.accept(line);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Sending consumer failed; line dropped", e);
        }
    }

    @Override
    public synchronized String toString() {
        return "ScheduledSendingQueue[" + this.lines.size() + " waiting, " + this.rate + (this.sending ? ", sending" : ", paused") + "]";
    }
}
