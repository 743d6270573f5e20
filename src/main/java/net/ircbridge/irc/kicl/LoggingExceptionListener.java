package net.ircbridge.irc.kicl;

import java.io.IOException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.exception.KittehConnectionException;
import org.kitteh.irc.client.library.exception.KittehNagException;
import org.kitteh.irc.client.library.exception.KittehServerMessageException;
import org.kitteh.irc.client.library.util.Listener;

/**
 * KICL exception sink that logs synchronously on the calling thread instead of starting a thread per client.
 *
 * <p><b>Why:</b> in KICL 9.0.0 any non-null exception consumer is wrapped in a {@code Listener} that starts a
 * {@code "KICL Listener"} thread per client, and the builder's default consumer is {@code Throwable::printStackTrace}
 * (stderr, including a {@code KittehNagException} "Connection is insecure" for every plain-text connection).
 * This subclass of {@link Listener} is constructed with a {@code null} consumer (so no thread) and overrides
 * {@link #queue(Object)} to log directly.
 *
 * <p>Levels: nags (e.g. "Connection is insecure") at DEBUG; connection-level problems (connect failures,
 * resets, TLS failures) at DEBUG with the message only, because the bridge sees them as
 * {@code ClientConnectionEndedEvent}s and logs its own line; malformed server lines at WARN without a stack
 * trace; anything else (a bug in a handler, wrapped in {@code KittehEventException}) at WARN with the stack trace.
 */
public final class LoggingExceptionListener extends Listener<Exception> {
    static final Logger LOG = Logger.getLogger("net.ircbridge.irc.kicl");

    private final String clientName;
    private volatile Consumer<Exception> extra;

    public LoggingExceptionListener(Client client) {
        super(client, null);
        this.clientName = client.getName();
    }

    @Override
    public void queue(Exception item) {
        if (item == null) {
            return;
        }
        log(this.clientName, item);
        Consumer<Exception> consumer = this.extra;
        if (consumer != null) {
            try {
                consumer.accept(item);
            } catch (RuntimeException ignored) {
                // Same as KICL: a failing exception consumer is ignored.
            }
        }
    }

    static void log(String clientName, Exception item) {
        if (item instanceof KittehNagException) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("[" + clientName + "] KICL: " + item.getMessage());
            }
        } else if (item instanceof KittehConnectionException || item instanceof IOException) {
            if (LOG.isDebugEnabled()) {
                Throwable cause = item.getCause() != null ? item.getCause() : item;
                LOG.debug("[" + clientName + "] connection problem: " + cause);
            }
        } else if (item instanceof KittehServerMessageException) {
            LOG.warn("[" + clientName + "] bad line from server: " + item.getMessage());
        } else {
            LOG.warn("[" + clientName + "] exception in IRC client", item);
        }
    }

    /** Adds a consumer called synchronously after logging (instead of KICL's thread-backed one). */
    @Override
    public void setConsumer(Consumer<Exception> consumer) {
        this.extra = consumer;
    }

    @Override
    public void removeConsumer() {
        this.extra = null;
    }

    @Override
    public void shutdown() {
        // No thread to stop.
    }
}
