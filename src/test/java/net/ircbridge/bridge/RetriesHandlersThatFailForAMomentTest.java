package net.ircbridge.bridge;

import static net.ircbridge.bridge.RetriesHandlersThatFailForAMoment.Kind.PERMANENT;
import static net.ircbridge.bridge.RetriesHandlersThatFailForAMoment.Kind.STOPPING;
import static net.ircbridge.bridge.RetriesHandlersThatFailForAMoment.Kind.TRANSIENT;
import static net.ircbridge.bridge.RetriesHandlersThatFailForAMoment.classify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.StoreException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.matrix.MatrixEvent;
import org.junit.jupiter.api.Test;

class RetriesHandlersThatFailForAMomentTest {

    @Test
    void aDatabaseThatIsGoneLockedOrShuttingDownIsTriedAgain() {
        assertEquals(TRANSIENT, classify(new SQLException("An I/O error occurred while sending to the backend", "08006")));
        assertEquals(TRANSIENT, classify(new StoreException("canceling statement due to lock timeout",
                new SQLException("canceling statement due to lock timeout", "55P03"))));
        assertEquals(TRANSIENT, classify(new CompletionException(new StoreException("terminating connection",
                new SQLException("terminating connection due to administrator command", "57P01")))));
        assertEquals(TRANSIENT, classify(new StoreException("Sorry, acquisition timeout!", new SQLException("Sorry, acquisition timeout!"))));
    }

    @Test
    void aBadStatementOrABrokenConstraintIsNotTriedAgain() {
        assertEquals(PERMANENT, classify(new StoreException("duplicate key", new SQLIntegrityConstraintViolationException("dup", "23505"))));
        assertEquals(PERMANENT, classify(new StoreException("syntax error", new SQLException("syntax error", "42601"))));
        assertEquals(PERMANENT, classify(new StoreException("value too long", new SQLException("value too long", "22001"))));
    }

    @Test
    void homeserverErrorsAreTriedAgainOnlyWhenTheyMayPass() {
        assertEquals(TRANSIENT, classify(new MatrixException(502, "M_UNKNOWN", "bad gateway")));
        assertEquals(TRANSIENT, classify(new MatrixException(429, "M_LIMIT_EXCEEDED", "slow down")));
        assertEquals(TRANSIENT, classify(new MatrixException(400, "M_CONNECTION_FAILED", "AlreadyCalled")));
        assertEquals(PERMANENT, classify(new MatrixException(403, "M_FORBIDDEN", "not in the room")));
        assertEquals(PERMANENT, classify(new CompletionException(new MatrixException(404, "M_NOT_FOUND", "no such room"))));
    }

    @Test
    void connectionFailuresAndTimeoutsAreTriedAgain() {
        assertEquals(TRANSIENT, classify(new CompletionException(new ConnectException("Connection refused"))));
        assertEquals(TRANSIENT, classify(new HttpTimeoutException("request timed out")));
        assertEquals(TRANSIENT, classify(new TimeoutException()));
        assertEquals(TRANSIENT, classify(new UncheckedIOException(new java.io.IOException("reset"))));
    }

    @Test
    void bugsAreNotTriedAgain() {
        assertEquals(PERMANENT, classify(new IllegalArgumentException("bad")));
        assertEquals(PERMANENT, classify(new NullPointerException()));
        assertEquals(PERMANENT, classify(new IllegalStateException("wrapped", new SQLException("gone", "08006"))));
        assertEquals(PERMANENT, classify(new RuntimeException("no cause")));
    }

    @Test
    void aStoppingBridgeStopsTrying() {
        assertEquals(STOPPING, classify(new RejectedExecutionException("pool shut down")));
        assertEquals(STOPPING, classify(new CompletionException(new RejectedExecutionException("pool shut down"))));
    }

    @Test
    void aCauseChainThatLoopsEndsTheSearch() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertEquals(PERMANENT, classify(a));
    }

    @Test
    void pausesDoubleWithJitterUpToTenSeconds() {
        for (int attempt = 0; attempt < 40; attempt++) {
            long base = Math.min(10_000, 250L << Math.min(attempt, 20));
            for (int i = 0; i < 50; i++) {
                long pause = RetriesHandlersThatFailForAMoment.pause(attempt);
                assertTrue(pause >= base / 2 && pause <= base, attempt + ": " + pause);
            }
        }
        assertTrue(RetriesHandlersThatFailForAMoment.pause(0) <= 250);
        assertTrue(RetriesHandlersThatFailForAMoment.pause(100) >= 5_000);
    }

    @Test
    void theSenderIsToldWhatFailedInAFewWordsWithoutInternals() {
        assertEquals("the bridge's database did not answer", RetriesHandlersThatFailForAMoment.reason(
                new StoreException("password authentication failed for user secret", new SQLException("x", "28P01"))));
        assertEquals("the bridge's database refused it", RetriesHandlersThatFailForAMoment.reason(
                new StoreException("permission denied for table portal_room", new SQLException("x", "42501"))));
        assertEquals("the homeserver answered 502", RetriesHandlersThatFailForAMoment.reason(new MatrixException(502, "M_UNKNOWN", "x")));
        assertEquals("a call timed out", RetriesHandlersThatFailForAMoment.reason(new HttpTimeoutException("x")));
        assertEquals("a connection failed", RetriesHandlersThatFailForAMoment.reason(new ConnectException("x")));
        assertEquals("an error in the bridge", RetriesHandlersThatFailForAMoment.reason(new NullPointerException("x")));
    }

    /** A retrier whose events have no sender: giving up tells nobody, so no homeserver is needed. */
    private static RetriesHandlersThatFailForAMoment retrier(Duration retryFor) {
        RelayConfig relay = (RelayConfig) Proxy.newProxyInstance(RelayConfig.class.getClassLoader(), new Class<?>[] {RelayConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("retryFailedEventsFor")) {
                        return retryFor;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new RetriesHandlersThatFailForAMoment(relay, null, null, null, null);
    }

    private static MatrixEvent event(String id) {
        return new net.ircbridge.matrix.MessageSent(new MatrixEvent.Envelope("m.room.message", "!r:example.org", null, id, null, 0),
                net.ircbridge.matrix.MessageBody.EMPTY, net.ircbridge.matrix.Relation.NONE, null);
    }

    /** Fails {@code failures} times with {@code failure}, then succeeds; counts its calls. */
    private static final class FailsAFewTimes implements HandlesMatrixEvent {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final RuntimeException failure;

        FailsAFewTimes(int failures, RuntimeException failure) {
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> handle(MatrixEvent event,
                java.util.Optional<net.ircbridge.store.PortalRoomStore.PortalRoom> portal) {
            if (calls.incrementAndGet() <= failures) {
                if (calls.get() % 2 == 0) {
                    throw failure; // thrown at once, or failing the stage: both are failures
                }
                return CompletableFuture.failedFuture(failure);
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final StoreException BLIP = new StoreException("lock timeout", new SQLException("lock timeout", "55P03"));

    @Test
    void aBehaviourThatFailsForAMomentIsTriedAgainUntilItSucceeds() throws Exception {
        RetriesHandlersThatFailForAMoment retries = retrier(Duration.ofSeconds(30));
        FailsAFewTimes behaviour = new FailsAFewTimes(3, BLIP);
        retries.handle(behaviour, event("$a"), java.util.Optional.empty()).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(4, behaviour.calls.get());
        retries.stop();
    }

    @Test
    void aPermanentFailureIsTriedOnce() throws Exception {
        RetriesHandlersThatFailForAMoment retries = retrier(Duration.ofSeconds(30));
        FailsAFewTimes behaviour = new FailsAFewTimes(100, new IllegalArgumentException("a bug"));
        retries.handle(behaviour, event("$b"), java.util.Optional.empty()).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, behaviour.calls.get());
        retries.stop();
    }

    @Test
    void theBridgeGivesUpOnceTheBoundHasPassedAndTheNextBehaviourOfTheEventIsTriedOnce() throws Exception {
        RetriesHandlersThatFailForAMoment retries = retrier(Duration.ofMillis(600));
        FailsAFewTimes first = new FailsAFewTimes(1000, BLIP);
        long started = System.nanoTime();
        retries.handle(first, event("$c"), java.util.Optional.empty()).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - started >= 600_000_000L, "tried for the whole bound");
        assertTrue(first.calls.get() >= 2, "tried again: " + first.calls.get());
        // The same event's next behaviour shares the bound, which is over: one try.
        FailsAFewTimes second = new FailsAFewTimes(1000, BLIP);
        retries.handle(second, event("$c"), java.util.Optional.empty()).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, second.calls.get());
        retries.stop();
    }

    @Test
    void aStoppingBridgeEndsTheRetriesWithARejection() {
        RetriesHandlersThatFailForAMoment retries = retrier(Duration.ofSeconds(60));
        FailsAFewTimes behaviour = new FailsAFewTimes(1000, BLIP);
        CompletableFuture<Object> result = retries.handle(behaviour, event("$d"), java.util.Optional.empty()).toCompletableFuture();
        retries.stop();
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
    }
}
