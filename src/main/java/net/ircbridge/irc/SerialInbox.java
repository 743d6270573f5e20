package net.ircbridge.irc;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's incoming lines, handled strictly in order, one at a time, on a shared executor.
 *
 * <p><b>Why:</b> replaces KICL's per-client {@code InputProcessor} thread. A client's lines are never handled
 * concurrently or out of order (the same guarantee the dedicated thread gave), but idle connections hold no thread:
 * only this object (a lock, a small deque and a flag). After {@link #BATCH} lines in a row the inbox yields its
 * executor thread to other connections and re-submits itself, so one busy channel cannot starve the others.
 */
final class SerialInbox implements Runnable {
    private static final Logger LOG = Logger.getLogger(SerialInbox.class.getName());
    static final int BATCH = 64;

    private final Executor executor;
    private final Consumer<String> handler;
    private final ArrayDeque<String> lines = new ArrayDeque<>(2);
    private boolean scheduled;

    SerialInbox(Executor executor, Consumer<String> handler) {
        this.executor = executor;
        this.handler = handler;
    }

    void submit(String line) {
        synchronized (this) {
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
            }
            LOG.log(Level.FINE, "Input executor shut down; dropping lines");
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
            }
            try {
                this.handler.accept(line);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Unhandled exception while handling an IRC line", e);
            }
        }
        this.schedule();
    }

    synchronized int pending() {
        return this.lines.size();
    }
}
