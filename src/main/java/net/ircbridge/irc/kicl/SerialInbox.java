package net.ircbridge.irc.kicl;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One connection's incoming lines, handled strictly in order, one at a time, on a shared executor.
 *
 * <p><b>Why:</b> replaces KICL's per-client {@code InputProcessor} thread. A client's lines are never handled
 * concurrently or out of order (the same guarantee the dedicated thread gave), but idle connections hold no thread:
 * only this object (a lock, a small deque and a flag). After {@link #BATCH} lines in a row the inbox yields its
 * executor thread to other connections and re-submits itself, so one busy channel cannot starve the others.
 *
 * <p>Bounded: at most {@value #MAX_PENDING_CHARS} characters wait (about 4 MB; a 20,000-nick NAMES is a tenth of
 * it). A server that sends faster than the shared pool can handle, for longer than that, loses the lines past it:
 * dropped, counted and logged once per overflow (with the count when it is over), never an unbounded queue.
 */
final class SerialInbox implements Runnable {
    private static final Logger LOG = Logger.getLogger(SerialInbox.class);
    static final int BATCH = 64;
    static final int MAX_PENDING_CHARS = 2 * 1024 * 1024;

    private final Executor executor;
    private final Consumer<String> handler;
    private final ArrayDeque<String> lines = new ArrayDeque<>(2);
    private boolean scheduled;
    private long pendingChars;
    /** Lines dropped in the current overflow; logged when it is over. */
    private long dropped;

    SerialInbox(Executor executor, Consumer<String> handler) {
        this.executor = executor;
        this.handler = handler;
    }

    void submit(String line) {
        synchronized (this) {
            if (this.pendingChars + line.length() > MAX_PENDING_CHARS) {
                if (this.dropped++ == 0) {
                    LOG.warn("IRC lines arrive faster than they can be handled: " + this.lines.size()
                            + " waiting; dropping lines until they have been");
                }
                return;
            }
            this.pendingChars += line.length();
            this.lines.addLast(line);
            if (this.scheduled) {
                return;
            }
            this.scheduled = true;
        }
        this.schedule();
    }

    private void schedule() {
        try {
            this.executor.execute(this);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                this.scheduled = false;
                this.lines.clear();
                this.pendingChars = 0;
            }
            LOG.debug("Input executor shut down; dropping lines");
        }
    }

    @Override
    public void run() {
        for (int handled = 0; ; handled++) {
            String line;
            synchronized (this) {
                if (handled == BATCH && !this.lines.isEmpty()) {
                    break; // still scheduled: re-submit below, behind other connections' work
                }
                line = this.lines.pollFirst();
                if (line == null) {
                    this.scheduled = false;
                    return;
                }
                this.pendingChars -= line.length();
                if (this.dropped > 0 && this.lines.isEmpty()) {
                    LOG.warn("Dropped " + this.dropped + " IRC lines that arrived while the inbox was full");
                    this.dropped = 0;
                }
            }
            try {
                this.handler.accept(line);
            } catch (RuntimeException e) {
                LOG.warn("Unhandled exception while handling an IRC line", e);
            }
        }
        this.schedule();
    }

    synchronized int pending() {
        return this.lines.size();
    }
}
