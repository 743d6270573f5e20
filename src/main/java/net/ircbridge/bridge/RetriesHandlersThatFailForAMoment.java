package net.ircbridge.bridge;

import net.ircbridge.matrix.MessageContent;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.DirectChatStore;
import org.jboss.logging.Logger;

/**
 * A behaviour that fails on a Matrix event for a moment (the database restarting or locked, the homeserver
 * answering 5xx or 429, a connection reset) is tried again, with jittered exponential pauses, for up to
 * {@code relay.retry-failed-events-for} after the event's first failure. Only the behaviour that failed is tried
 * again: those before it have had their effect. The room's lane waits meanwhile, so the room's later events don't
 * overtake this one; other rooms' lanes go on.
 *
 * <p>A failure no retry mends (a bug, a 4xx from the homeserver other than 429) is not tried again. Either way, once
 * the bridge gives up, the event's sender is told in the room, as a reply to the event, what failed in a few words
 * ({@code texts.not-handled}); only a real Matrix user is told, never the bridge's bot or ghosts, and at most once per
 * event. While the bridge stops, nothing is tried again and the event fails with a
 * {@link RejectedExecutionException}: the inbox then leaves it in the store for the next start.
 */
@ApplicationScoped
public class RetriesHandlersThatFailForAMoment {

    private static final Logger LOG = Logger.getLogger(RetriesHandlersThatFailForAMoment.class);

    /** What a failure is, for the retry. */
    public enum Kind {
        /** May succeed when tried again a moment later. */
        TRANSIENT,
        /** Fails the same way however often it is tried. */
        PERMANENT,
        /** The bridge is stopping: leave the event for the next start. */
        STOPPING
    }

    /** The first pause; each later one is twice as long, up to {@link #MAX_PAUSE_MS}. */
    static final long FIRST_PAUSE_MS = 250;
    static final long MAX_PAUSE_MS = 10_000;
    /** Events whose first failure (and whether their sender was told) is remembered; the oldest are forgotten. */
    static final int MAX_REMEMBERED_EVENTS = 1000;
    /** How deep a chain of causes is looked into: a cause chain may be long, or even loop. */
    private static final int MAX_CAUSES = 16;

    private final long retryForMs;
    private final HomeserverClient homeserver;
    private final MatrixNames names;
    private final Texts texts;
    private final DirectChatStore directChats;
    private final ScheduledThreadPoolExecutor timer;
    /** Results whose next try is scheduled: failed at once when the bridge stops. At most one per room. */
    private final Set<CompletableFuture<Object>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    /** Per failed event: when it first failed and whether its sender was told, so both hold for all its behaviours. */
    private final Map<String, FailedEvent> failed = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FailedEvent> eldest) {
            return size() > MAX_REMEMBERED_EVENTS;
        }
    };

    private static final class FailedEvent {
        final long firstFailureAt;
        boolean told;

        FailedEvent(long firstFailureAt) {
            this.firstFailureAt = firstFailureAt;
        }
    }

    public RetriesHandlersThatFailForAMoment(RelayConfig relay, HomeserverClient homeserver, MatrixNames names, Texts texts,
            DirectChatStore directChats) {
        this.retryForMs = relay.retryFailedEventsFor().toMillis();
        this.homeserver = homeserver;
        this.names = names;
        this.texts = texts;
        this.directChats = directChats;
        AtomicInteger n = new AtomicInteger();
        // As many threads as the room lanes have: a retried behaviour may block its thread as it did its lane's.
        this.timer = new ScheduledThreadPoolExecutor(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "handler-retry-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Lets {@code behaviour} handle {@code event}, trying again while it fails for a moment.
     *
     * @return completes with what the behaviour's handling completed with (a {@link HandlesMatrixEvent.Later}, say)
     *         once it has handled the event, or with null once it has failed and the bridge has given up (logged,
     *         and its sender told); fails only with a {@link RejectedExecutionException} when the bridge is stopping
     */
    public CompletionStage<Object> handle(HandlesMatrixEvent behaviour, MatrixEvent event, Optional<PortalRoom> portal) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        attempt(behaviour, event, portal, 0, result);
        return result;
    }

    private void attempt(HandlesMatrixEvent behaviour, MatrixEvent event, Optional<PortalRoom> portal, int attempt,
            CompletableFuture<Object> result) {
        CompletionStage<?> stage;
        try {
            stage = behaviour.handle(event, portal);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        if (stage == null) {
            result.complete(null);
            return;
        }
        stage.whenComplete((done, failure) -> {
            try {
                if (failure == null) {
                    if (attempt > 0) {
                        succeededAgain(event);
                    }
                    result.complete(done);
                } else {
                    failed(behaviour, event, portal, attempt, cause(failure), result);
                }
            } catch (RuntimeException e) {
                // Whatever happens here, the room's lane must not wait for ever.
                LOG.errorf(e, "Handling the failure of %s on %s failed", name(behaviour), event.eventId());
                result.complete(null);
            }
        });
    }

    private void failed(HandlesMatrixEvent behaviour, MatrixEvent event, Optional<PortalRoom> portal, int attempt, Throwable cause,
            CompletableFuture<Object> result) {
        Kind kind = stopping ? Kind.STOPPING : classify(cause);
        if (kind == Kind.STOPPING) {
            LOG.debugf("%s failed on %s in %s while the bridge stops; it is handled again at the next start", name(behaviour),
                    event.eventId(), event.roomId());
            result.completeExceptionally(cause instanceof RejectedExecutionException ? cause
                    : new RejectedExecutionException("the bridge is stopping", cause));
            return;
        }
        if (kind == Kind.PERMANENT) {
            LOG.errorf(cause, "%s failed on %s in %s; not tried again", name(behaviour), event.eventId(), event.roomId());
            giveUp(event, cause);
            result.complete(null);
            return;
        }
        long now = System.currentTimeMillis();
        long remaining = firstFailureAt(event, now) + retryForMs - now;
        if (remaining <= 0) {
            LOG.errorf("%s failed on %s in %s %d times, for longer than %d ms (relay.retry-failed-events-for); giving up: %s",
                    name(behaviour), event.eventId(), event.roomId(), attempt + 1, retryForMs, describe(cause));
            giveUp(event, cause);
            result.complete(null);
            return;
        }
        long pause = Math.min(remaining, pause(attempt));
        if (attempt == 0) {
            LOG.warnf("%s failed on %s in %s (%s); trying again in %d ms, for up to %d ms (relay.retry-failed-events-for)",
                    name(behaviour), event.eventId(), event.roomId(), describe(cause), pause, remaining);
        } else {
            LOG.debugf("%s failed on %s in %s again (%s, try %d); trying again in %d ms", name(behaviour), event.eventId(),
                    event.roomId(), describe(cause), attempt + 1, pause);
        }
        if (waiting.add(result)) {
            result.whenComplete((ignored, failure) -> waiting.remove(result));
        }
        try {
            timer.schedule(() -> {
                if (stopping) {
                    result.completeExceptionally(new RejectedExecutionException("the bridge is stopping"));
                } else {
                    attempt(behaviour, event, portal, attempt + 1, result);
                }
            }, pause, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
    }

    /** When the event first failed (in any behaviour): its retries, all behaviours together, end a bound after it. */
    private long firstFailureAt(MatrixEvent event, long now) {
        String id = event.eventId();
        if (id == null) {
            return now - retryForMs; // nothing to tell it apart by: not tried again
        }
        synchronized (failed) {
            return failed.computeIfAbsent(id, k -> new FailedEvent(now)).firstFailureAt;
        }
    }

    /** A retry mended it: the event's later behaviours get a bound of their own, unless the sender was told already. */
    private void succeededAgain(MatrixEvent event) {
        if (event.eventId() != null) {
            synchronized (failed) {
                FailedEvent f = failed.get(event.eventId());
                if (f != null && !f.told) {
                    failed.remove(event.eventId());
                }
            }
        }
    }

    /** Tells the event's sender, once, that the bridge gave up on it, as a reply to it. Not waited for. */
    private void giveUp(MatrixEvent event, Throwable cause) {
        String sender = event.sender();
        String eventId = event.eventId();
        if (sender == null || eventId == null || names.isBridgeUser(sender) || event.roomId() == null) {
            return;
        }
        synchronized (failed) {
            FailedEvent f = failed.computeIfAbsent(eventId, k -> new FailedEvent(System.currentTimeMillis()));
            if (f.told) {
                return;
            }
            f.told = true;
        }
        String text = Texts.fill(texts.templates().notHandled(), "user", sender, "reason", reason(cause));
        MessageContent content = MessageContent.notice(text).mentioning(List.of(sender)).replyingTo(eventId);
        String speaker;
        try {
            // In a direct chat the IRC user's ghost answers: the bot is not in it.
            speaker = directChats.byRoom(event.roomId()).map(chat -> names.ghostUserId(chat.network(), chat.nick())).orElse(null);
        } catch (RuntimeException e) {
            speaker = null; // the database may be what failed: the bot answers
        }
        homeserver.sendMessage(speaker, event.roomId(), content).exceptionally(failure -> {
            LOG.errorf("Could not tell %s in %s that %s was not handled: %s", sender, event.roomId(), eventId, failure.getMessage());
            return null;
        });
    }

    /** Whether trying again can help. */
    public static Kind classify(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RejectedExecutionException) {
                return Kind.STOPPING;
            }
            if (t instanceof MatrixException m) {
                return m.status() == 429 || m.status() >= 500 || m.errcode() != null && m.errcode().startsWith("M_CONNECTION_")
                        ? Kind.TRANSIENT : Kind.PERMANENT;
            }
            if (t instanceof SQLException sql) {
                return isBug(sql) ? Kind.PERMANENT : Kind.TRANSIENT;
            }
            if (t instanceof IOException || t instanceof TimeoutException) {
                return Kind.TRANSIENT;
            }
            if (t instanceof IllegalArgumentException || t instanceof IllegalStateException || t instanceof NullPointerException
                    || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException || t instanceof Error) {
                return Kind.PERMANENT;
            }
        }
        return Kind.PERMANENT;
    }

    /**
     * A database error that a retry cannot mend: bad data (SQLSTATE class 22), a broken constraint (23) or a bad
     * statement (42). Everything else (a lost connection, a lock or statement timeout, a deadlock, the server
     * shutting down, a full pool) can pass.
     */
    private static boolean isBug(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
    }

    /** The pause before try {@code attempt + 1}: doubling from {@link #FIRST_PAUSE_MS}, between half and all of it. */
    static long pause(int attempt) {
        long base = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(attempt, 20));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /** What failed, in a few words for the sender (no internals: the log has them). */
    static String reason(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MatrixException m) {
                return "the homeserver answered " + m.status();
            }
            if (t instanceof SQLException sql) {
                return isBug(sql) ? "the bridge's database refused it" : "the bridge's database did not answer";
            }
            if (t instanceof TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return "a call timed out";
            }
            if (t instanceof IOException) {
                return "a connection failed";
            }
        }
        return "an error in the bridge";
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String name(HandlesMatrixEvent behaviour) {
        return behaviour.getClass().getSimpleName().replaceAll("_Subclass$|_ClientProxy$", "");
    }

    /** The failure behind a future's wrappers. */
    private static Throwable cause(Throwable failure) {
        Throwable t = Failures.cause(failure);
        while (t instanceof ExecutionException && t.getCause() != null) {
            t = Failures.cause(t.getCause());
        }
        return t;
    }

    @PreDestroy
    void stop() {
        stopping = true;
        timer.shutdownNow();
        for (CompletableFuture<Object> result : waiting) {
            result.completeExceptionally(new RejectedExecutionException("the bridge is stopping"));
        }
    }
}
