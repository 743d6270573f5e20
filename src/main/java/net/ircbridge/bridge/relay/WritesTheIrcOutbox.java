package net.ircbridge.bridge.relay;

import net.ircbridge.bridge.formatting.IrcText;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.ircbridge.store.IrcOutboxStore;
import net.ircbridge.store.IrcOutboxStore.Batch;
import net.ircbridge.store.IrcOutboxStore.OutboxRow;
import org.jboss.logging.Logger;

/**
 * Writes the IRC → Matrix outbox with group commit: one thread takes everything queued since its last write (new
 * lines and the ids of lines sent) and commits it in one transaction. A busy channel costs a commit per batch, not
 * per line, and the IRC input threads never wait for the database: they only queue. When the database is down the
 * batch is tried again with backoff, in order; meanwhile lines wait here, counted by {@link #unwritten()}, which is
 * what pauses reading from IRC when it is too many.
 */
@ApplicationScoped
public class WritesTheIrcOutbox {

    private static final Logger LOG = Logger.getLogger(WritesTheIrcOutbox.class);
    private static final long MAX_BACKOFF_MS = 30_000;
    /** The longest nick stored (the column's width); KICL takes lines of up to 9001 characters, a server may send more. */
    static final int MAX_NICK = 255;

    private sealed interface Op permits Append, Delete {
    }

    private record Append(OutboxRow row, CompletableFuture<OutboxRow> stored) implements Op {
    }

    private record Delete(long id) implements Op {
    }

    private final IrcOutboxStore store;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Thread writer;
    private volatile boolean stopping;
    /** Set once the writer thread is gone: from then on each append is written at once, on its caller's thread. */
    private volatile boolean stopped;
    /** Held while a batch is written, so that a write after the stop never runs beside the writer thread's. */
    private final Object writing = new Object();
    /** The highest id committed: everything queued before a refused line is stored up to it. */
    private final AtomicLong lastStoredId = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Called after each batch is on disk (so that a pause for the writer can end). */
    private volatile Runnable afterWrite = () -> { };

    public WritesTheIrcOutbox(IrcOutboxStore store) {
        this.store = store;
        this.writer = new Thread(this::run, "irc-outbox-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues a line; completes with it (and its id) once it is committed. Never blocks. */
    public CompletableFuture<OutboxRow> append(OutboxRow row) {
        CompletableFuture<OutboxRow> stored = new CompletableFuture<>();
        unwritten.incrementAndGet();
        queue.add(new Append(cleanNick(row), stored));
        writeNowIfStopped();
        return stored;
    }

    /** Queues the removal of a line the homeserver took. */
    public void delete(long id) {
        queue.add(new Delete(id));
        writeNowIfStopped();
    }

    /**
     * A nick fit for its column: no control characters (PostgreSQL refuses a NUL in text) and at most {@link #MAX_NICK}
     * characters, so that a hostile server's nick cannot make the database refuse the batch it is in.
     */
    static OutboxRow cleanNick(OutboxRow row) {
        String nick = row.nick();
        if (nick == null) {
            return row;
        }
        if (nick.length() <= MAX_NICK && nick.chars().noneMatch(Character::isISOControl)) {
            return row;
        }
        StringBuilder out = new StringBuilder(MAX_NICK);
        nick.codePoints().filter(c -> !Character.isISOControl(c)).forEach(c -> {
            if (out.length() + Character.charCount(c) <= MAX_NICK) {
                out.appendCodePoint(c);
            }
        });
        return new OutboxRow(row.id(), row.roomId(), row.network(), row.kind(), out.toString(), row.payload(), row.createdAt());
    }

    /**
     * After the stop nothing takes the queue any more, yet the bot may still read lines (beans are destroyed in no
     * set order): those are written at once, so that none is queued and never committed.
     */
    private void writeNowIfStopped() {
        // Read after the add: if the stop's last flush ran before the add, this sees stopped and writes it itself.
        if (!stopped) {
            return;
        }
        synchronized (writing) {
            List<Op> ops = new ArrayList<>();
            queue.drainTo(ops);
            if (ops.isEmpty()) {
                return;
            }
            try {
                write(ops);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ops.forEach(op -> {
                    if (op instanceof Append a) {
                        a.stored().completeExceptionally(e);
                    }
                });
            }
        }
    }

    /** Lines the database refused (a value it cannot hold), dropped one by one, since the start. */
    public long refused() {
        return refused.get();
    }

    /** Lines queued and not yet committed. */
    public int unwritten() {
        return unwritten.get();
    }

    void afterWrite(Runnable action) {
        this.afterWrite = action;
    }

    private void run() {
        List<Op> ops = new ArrayList<>();
        while (!stopping || !queue.isEmpty()) {
            try {
                Op first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    // Idle: a pause for the writer that began just as it caught up ends now, not at the next line.
                    afterWrite();
                    continue;
                }
                synchronized (writing) {
                    ops.add(first);
                    // A bound on one transaction, so that a huge backlog is committed in pieces.
                    queue.drainTo(ops, 999);
                    write(ops);
                }
                ops.clear();
            } catch (InterruptedException e) {
                if (!stopping) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void write(List<Op> ops) throws InterruptedException {
        List<OutboxRow> rows = new ArrayList<>();
        List<CompletableFuture<OutboxRow>> futures = new ArrayList<>();
        List<Long> deletes = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof Append a) {
                rows.add(a.row());
                futures.add(a.stored());
            } else if (op instanceof Delete d) {
                deletes.add(d.id());
            }
        }
        if (commit(rows, futures, deletes) != null) {
            // The database refuses a value in the batch: tried again as it is, it would be refused for ever and hold
            // up every line behind it. Each line alone, then; only the ones refused are dropped.
            LOG.warnf("The outbox refused a batch of %d lines from IRC; storing them one by one", rows.size());
            if (!deletes.isEmpty() && commit(List.of(), List.of(), deletes) == null) {
                LOG.errorf("The outbox refused to delete %d lines sent; they are sent again at the next start", deletes.size());
            }
            for (int i = 0; i < rows.size(); i++) {
                RuntimeException refusal = commit(List.of(rows.get(i)), List.of(futures.get(i)), List.of());
                if (refusal != null) {
                    refuse(rows.get(i), futures.get(i), refusal);
                }
            }
        }
        afterWrite();
    }

    /**
     * Commits rows and deletes in one transaction, trying again with backoff while the database is down or slow.
     *
     * @return null once committed (or given up on during the stop), else what the database said in refusing the values
     */
    private RuntimeException commit(List<OutboxRow> rows, List<CompletableFuture<OutboxRow>> futures, List<Long> deletes)
            throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            List<OutboxRow> stored;
            try {
                stored = store.write(new Batch(rows, deletes));
            } catch (RuntimeException e) {
                if (refusesTheValues(e)) {
                    return e;
                }
                long delay = Math.min(MAX_BACKOFF_MS, 200L << Math.min(attempt, 10));
                // Nothing is given up: the lines wait here (and reading from IRC pauses once too many do).
                LOG.errorf("Cannot store %d lines from IRC (and %d sent) in the outbox: %s; trying again in %d ms", rows.size(),
                        deletes.size(), e.getMessage(), delay);
                if (stopping && attempt >= 2) {
                    futures.forEach(f -> f.completeExceptionally(e));
                    return null;
                }
                Thread.sleep(delay);
                continue;
            }
            // Outside the try: a failure past the commit must not be taken for a failed commit (the rows would be
            // inserted twice).
            unwritten.addAndGet(-rows.size());
            for (int i = 0; i < stored.size(); i++) {
                lastStoredId.accumulateAndGet(stored.get(i).id(), Math::max);
                futures.get(i).complete(stored.get(i));
            }
            if (attempt > 0) {
                LOG.infof("Stored %d lines from IRC after %d failed tries", rows.size(), attempt);
            }
            return null;
        }
    }

    private void refuse(OutboxRow row, CompletableFuture<OutboxRow> stored, RuntimeException refusal) {
        unwritten.decrementAndGet();
        long count = refused.incrementAndGet();
        LOG.errorf("Dropping a %s from %s on %s for %s: the outbox refuses it (%s); %d lines refused since the start", row.kind(),
                IrcText.clean(row.nick()), row.network(), row.roomId(), refusal.getMessage(), count);
        stored.completeExceptionally(new NotStored(lastStoredId.get(), refusal));
    }

    /** A bad value (SQLSTATE class 22) or a broken constraint (23): the same batch would be refused however often tried. */
    static boolean refusesTheValues(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state != null && (state.startsWith("22") || state.startsWith("23"));
            }
        }
        return false;
    }

    private void afterWrite() {
        try {
            afterWrite.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "After storing lines from IRC");
        }
    }

    /**
     * A line the outbox refused and dropped; {@code storedUpTo} is an id up to which everything queued before it is
     * stored, so that lines waiting with it still go.
     */
    public static final class NotStored extends RuntimeException {
        private final long storedUpTo;

        NotStored(long storedUpTo, Throwable cause) {
            super("the outbox refused the line: " + cause.getMessage(), cause);
            this.storedUpTo = storedUpTo;
        }

        public long storedUpTo() {
            return storedUpTo;
        }
    }

    @PreDestroy
    void stop() {
        // What was queued is committed before the bridge stops.
        stopping = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // From now on each append is written at once; what came in since the writer thread left is written here.
        stopped = true;
        writeNowIfStopped();
    }
}
