package net.ircbridge.irc.kicl;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.kitteh.irc.client.library.defaults.DefaultClient;
import org.kitteh.irc.client.library.feature.sending.MessageSendingQueue;
import org.kitteh.irc.client.library.util.Listener;
import org.jboss.logging.Logger;

/**
 * KICL 9.0.0's {@link DefaultClient} with a logger-backed exception listener and, optionally, without its two
 * per-client threads.
 *
 * <p><b>Exception listener.</b> {@code DefaultClient} keeps it in a private field used directly by its input
 * processing and reached through {@link #getExceptionListener()} by everything else. Both are pointed at a
 * {@link LoggingExceptionListener} (no thread).
 *
 * <p><b>Threads.</b> {@code DefaultClient.initialize} always starts two threads per client, an {@code InputProcessor}
 * (parses lines and fires events) and an {@code Immediate} sender; KICL's API offers no way to replace them.
 * Measured with 1,000 idle connections, the pair costs about 145 KB of resident memory per connection, almost all
 * of it stack pages HotSpot touched (the input thread runs deep event-dispatch code), which alone uses most of the
 * bridge's 200 KB per-connection budget; see docs/benchmarks.md.
 * {@link #detachThreads} therefore, right after {@code initialize}:
 * <ul>
 *   <li>replaces the private {@code messageSendingImmediate} queue (typed by KICL's own {@link MessageSendingQueue}
 *       interface) with a thread-free {@link ScheduledSendingQueue} at {@link SendRate#UNLIMITED}, which hands lines
 *       straight to Netty's thread-safe {@code writeAndFlush} once the connection is up and buffers them before;
 *       the old queue's thread is shut down;</li>
 *   <li>stops the {@code InputProcessor} thread and overrides {@link #processLine(String)} to hand lines to a
 *       {@link SerialInbox} on a shared executor, which calls the private {@code handleLine} in order, one at a time
 *       (the same guarantee the dedicated thread gave). {@code PING} is still answered at once, as KICL does.
 *       {@link #connect()} queues the per-connection state reset ({@code handleLine("")}) that KICL queues to its
 *       input thread.</li>
 * </ul>
 * This uses reflection on private members of {@code DefaultClient} 9.0.0 (class path, no {@code --add-opens}
 * needed). If any member is missing (another KICL version), the client keeps KICL's two threads and a warning is
 * logged once; tests cover both the thread-free path and that behaviour.
 *
 * <p>Either way the bridge must call {@link #shutdown()} on every client it gives up on.
 */
final class BridgeKiclClient extends DefaultClient {
    private static final Logger LOG = Logger.getLogger(BridgeKiclClient.class);
    private static final Field EXCEPTION_LISTENER_FIELD = field("exceptionListener");
    private static final Field IMMEDIATE_FIELD = field("messageSendingImmediate");
    private static final Field PROCESSOR_FIELD = field("processor");
    private static final MethodHandle HANDLE_LINE = handleLine();
    /** {@code DefaultClient.connection} and {@code NettyConnection.channel}: how reading is paused (see {@link #setReading}). */
    private static final Field CONNECTION_FIELD = field("connection");
    private static final Field CHANNEL_FIELD = nettyChannelField();
    private static volatile boolean warnedListener;
    private static volatile boolean warnedThreads;

    private LoggingExceptionListener loggingListener;
    /** Set by the factory's sending-queue supplier. */
    volatile ScheduledSendingQueue sendingQueue;
    /** Non-null once the client runs without its own threads. */
    private volatile SerialInbox inbox;
    /** Receive side: lines no server may send never reach KICL's parser. */
    private final RefusesMalformedLines malformed = new RefusesMalformedLines();
    /** Receive side: a huge NAMES reply is not all tracked (set by the factory from the spec). */
    volatile LimitsNamesReplies names = new LimitsNamesReplies(Integer.MAX_VALUE);

    private static Field field(String name) {
        try {
            Field f = DefaultClient.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field nettyChannelField() {
        try {
            Field f = org.kitteh.irc.client.library.defaults.feature.network.NettyConnection.class.getDeclaredField("channel");
            f.setAccessible(true);
            return io.netty.channel.Channel.class.isAssignableFrom(f.getType()) ? f : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Stops or starts reading from the server (Netty's {@code autoRead}): while off, lines wait in the socket and the
     * server's own buffers instead of the bridge's memory. KICL 9.0.0 keeps its Netty channel in private fields
     * ({@code DefaultClient.connection}, {@code NettyConnection.channel}).
     *
     * @return whether the connection's reading was set (false: not connected, or another KICL version)
     */
    boolean setReading(boolean on) {
        if (CONNECTION_FIELD == null || CHANNEL_FIELD == null) {
            return false;
        }
        try {
            Object connection = CONNECTION_FIELD.get(this);
            if (!(connection instanceof org.kitteh.irc.client.library.defaults.feature.network.NettyConnection)) {
                return false;
            }
            io.netty.channel.Channel channel = (io.netty.channel.Channel) CHANNEL_FIELD.get(connection);
            if (channel == null) {
                return false;
            }
            // Thread-safe: turning it back on schedules a read on the channel's event loop.
            channel.config().setAutoRead(on);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static MethodHandle handleLine() {
        try {
            Method m = DefaultClient.class.getDeclaredMethod("handleLine", String.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether this KICL version allows {@link #detachThreads}. */
    static boolean canDetachThreads() {
        return IMMEDIATE_FIELD != null && PROCESSOR_FIELD != null && HANDLE_LINE != null
                && MessageSendingQueue.class.isAssignableFrom(IMMEDIATE_FIELD.getType())
                && Thread.class.isAssignableFrom(PROCESSOR_FIELD.getType());
    }

    /** Call right after {@code initialize}. */
    void installExceptionListener() {
        this.loggingListener = new LoggingExceptionListener(this);
        if (EXCEPTION_LISTENER_FIELD != null) {
            try {
                EXCEPTION_LISTENER_FIELD.set(this, this.loggingListener);
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through
            }
        }
        if (!warnedListener) {
            warnedListener = true;
            LOG.warn("Could not replace DefaultClient.exceptionListener; exceptions on KICL input threads will not be logged");
        }
    }

    /**
     * Replaces the client's two threads by a shared input executor and a thread-free immediate queue (see class
     * comment). Call right after {@code initialize}, before {@code connect}.
     *
     * @return {@code true} if the client now runs without threads of its own
     */
    boolean detachThreads(Executor inputExecutor, ScheduledExecutorService scheduler) {
        if (!canDetachThreads()) {
            if (!warnedThreads) {
                warnedThreads = true;
                LOG.warn("This KICL version's DefaultClient does not match 9.0.0; keeping its two threads per connection");
            }
            return false;
        }
        try {
            ScheduledSendingQueue immediate = new ScheduledSendingQueue(scheduler, SendRate.UNLIMITED);
            MessageSendingQueue old = (MessageSendingQueue) IMMEDIATE_FIELD.get(this);
            Queue<String> waiting = old.shutdown(); // interrupts KICL's "Immediate" thread
            waiting.forEach(immediate::queue);
            IMMEDIATE_FIELD.set(this, immediate);
            this.inbox = new SerialInbox(inputExecutor, this::handle);
            ((Thread) PROCESSOR_FIELD.get(this)).interrupt(); // KICL's InputProcessor ends its loop
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Could not detach KICL's per-client threads", e);
        }
    }

    private void handle(String line) {
        try {
            HANDLE_LINE.invokeExact((DefaultClient) this, line);
        } catch (Exception e) {
            this.getExceptionListener().queue(e);
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            this.getExceptionListener().queue(new RuntimeException(t));
        }
    }

    @Override
    public void processLine(String line) {
        if (!this.malformed.accepts(this.getName(), line)) {
            return; // before PING too: its text goes back to the server in the PONG
        }
        line = this.names.limit(this.getName(), this.getNick(), line);
        if (line == null) {
            return;
        }
        SerialInbox in = this.inbox;
        if (in == null) {
            super.processLine(line);
        } else if (line.startsWith("PING ")) {
            this.sendRawLineImmediately("PONG " + line.substring(5));
        } else if (!line.isEmpty()) {
            in.submit(line);
        }
    }

    @Override
    public void connect() {
        SerialInbox in = this.inbox;
        if (in != null && !this.isConnectionAlive()) {
            // KICL queues "" to its input thread to reset actor tracking, capabilities and server info for the new
            // connection; its thread is gone, so queue the reset here, ahead of any line of the new connection.
            in.submit("");
        }
        super.connect();
    }

    /**
     * Shuts the scheduled queue down before KICL's {@code shutdownInternal} shuts the immediate one (KICL does it the
     * other way round): a drain of the scheduled queue in between would hand its lines to the dead immediate queue,
     * which drops them, and they would count as sent. Shut down first, the scheduled queue fails whoever waits for
     * those lines instead.
     */
    @Override
    public void shutdown() {
        this.shutDownScheduledQueue();
        super.shutdown();
    }

    @Override
    public void shutdown(String reason) {
        this.shutDownScheduledQueue();
        super.shutdown(reason);
    }

    private void shutDownScheduledQueue() {
        ScheduledSendingQueue q = this.sendingQueue;
        if (q != null) {
            q.shutdown(); // idempotent: KICL's own call later finds it empty
        }
    }

    boolean isThreadFree() {
        return this.inbox != null;
    }

    @Override
    public Listener<Exception> getExceptionListener() {
        Listener<Exception> l = this.loggingListener;
        return l != null ? l : super.getExceptionListener();
    }
}
