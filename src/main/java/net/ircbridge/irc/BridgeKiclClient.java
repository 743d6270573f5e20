package net.ircbridge.irc;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.kitteh.irc.client.library.defaults.DefaultClient;
import org.kitteh.irc.client.library.util.Listener;

/**
 * KICL's {@link DefaultClient} with a thread-free, logger-backed exception listener.
 *
 * <p>{@code DefaultClient} keeps its exception listener in a private field used directly by its input thread (for
 * exceptions while parsing a line) and reached through {@link #getExceptionListener()} by everything else (Netty
 * connection, event dispatch). The override covers the latter; {@link #installExceptionListener()} also replaces the
 * private field (plain reflection on a class-path class, no {@code --add-opens} needed). If that ever fails (e.g. a
 * KICL update renames the field), parse errors are dropped instead of logged, and a warning says so once.
 *
 * <p>The two threads {@code DefaultClient}'s constructor path starts ({@code InputProcessor}, {@code Immediate}
 * sender) cannot be replaced in KICL 9.0.0; they are the remaining per-connection threads. They end only on
 * {@link #shutdown()}, so the bridge must call {@code shutdown} on every client it drops, also after the connection
 * has ended.
 */
final class BridgeKiclClient extends DefaultClient {
    private static final Logger LOG = Logger.getLogger(BridgeKiclClient.class.getName());
    private static final Field EXCEPTION_LISTENER_FIELD = findField();
    private static volatile boolean warned;

    private LoggingExceptionListener loggingListener;
    /** Set by the factory's sending-queue supplier. */
    volatile ScheduledSendingQueue sendingQueue;

    private static Field findField() {
        try {
            Field f = DefaultClient.class.getDeclaredField("exceptionListener");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
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
        if (!warned) {
            warned = true;
            LOG.log(Level.WARNING, "Could not replace DefaultClient.exceptionListener; exceptions on KICL input threads will not be logged");
        }
    }

    @Override
    public Listener<Exception> getExceptionListener() {
        Listener<Exception> l = this.loggingListener;
        return l != null ? l : super.getExceptionListener();
    }
}
