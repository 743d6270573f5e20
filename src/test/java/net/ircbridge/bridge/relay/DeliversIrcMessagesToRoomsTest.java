package net.ircbridge.bridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.IrcOutboxStore.OutboxRow;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import net.ircbridge.store.StoreException;
import org.junit.jupiter.api.Test;

class DeliversIrcMessagesToRoomsTest {

    private static OutboxRow row(long id, long createdAt) {
        return new OutboxRow(id, "!r:hs", "net", "message", "nick", "{}", createdAt);
    }

    @Test
    void aRowSentAgainHasTheSameTransactionId() {
        assertEquals(DeliversIrcMessagesToRooms.txnId(row(42, 1_700_000_000_000L)), DeliversIrcMessagesToRooms.txnId(row(42, 1_700_000_000_000L)));
    }

    @Test
    void rowsOfADatabaseMadeAnewDoNotRepeatTransactionIds() {
        assertNotEquals(DeliversIrcMessagesToRooms.txnId(row(1, 1_700_000_000_000L)), DeliversIrcMessagesToRooms.txnId(row(1, 1_700_000_100_000L)));
        assertNotEquals(DeliversIrcMessagesToRooms.txnId(row(1, 1_700_000_000_000L)), DeliversIrcMessagesToRooms.txnId(row(2, 1_700_000_000_000L)));
    }

    private static final PortalRoom ROOM = new PortalRoom("net", "#c", "!r:hs", null);

    /** A sayer that answers with the given outcomes in turn (a supplier that throws fails synchronously), then succeeds. */
    private static final class Sayer implements DeliversIrcMessagesToRooms.SaysStoredIrcLines {
        final AtomicInteger calls = new AtomicInteger();
        final java.util.List<Supplier<CompletableFuture<?>>> outcomes;

        @SafeVarargs
        Sayer(Supplier<CompletableFuture<?>>... outcomes) {
            this.outcomes = java.util.List.of(outcomes);
        }

        @Override
        public String kind() {
            return "message";
        }

        @Override
        public CompletableFuture<?> say(PortalRoom room, OutboxRow row, net.ircbridge.store.OutboxPayload payload, String txnId) {
            int call = calls.getAndIncrement();
            return call < outcomes.size() ? outcomes.get(call).get() : CompletableFuture.completedFuture("$sent");
        }
    }

    /** No waiting between tries; past ten the test gives up (a line tried for ever). */
    private static LongFunction<CompletableFuture<Void>> now() {
        AtomicInteger tries = new AtomicInteger();
        return delayMs -> tries.incrementAndGet() > 10 ? CompletableFuture.failedFuture(new AssertionError("tried for ever"))
                : CompletableFuture.completedFuture(null);
    }

    private static void send(Sayer sayer) throws Exception {
        DeliversIrcMessagesToRooms.sendWithRetries(sayer, ROOM, row(7, 1), 0, now()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aDatabaseBlipThrownWhileALineIsSentIsTriedAgainNotDropped() throws Exception {
        Sayer sayer = new Sayer(() -> {
            throw new StoreException("connection refused", new SQLException("connection refused", "08001"));
        });
        send(sayer);
        assertEquals(2, sayer.calls.get(), "said again once the database is back");
    }

    @Test
    void anOutageOfTheHomeserverIsTriedAgain() throws Exception {
        Sayer sayer = new Sayer(() -> CompletableFuture.failedFuture(new MatrixException(503, null, "down")),
                () -> CompletableFuture.failedFuture(new MatrixException(429, "M_LIMIT_EXCEEDED", "slow down")));
        send(sayer);
        assertEquals(3, sayer.calls.get());
    }

    @Test
    void aBugInASayerDropsTheLineRatherThanHoldTheRoomForEver() throws Exception {
        Sayer sayer = new Sayer(() -> CompletableFuture.failedFuture(new NullPointerException("a bug")),
                () -> CompletableFuture.failedFuture(new NullPointerException("a bug")));
        send(sayer);
        assertEquals(1, sayer.calls.get(), "not tried again");
    }

    @Test
    void aRefusalOfTheHomeserverDropsTheLine() throws Exception {
        Sayer sayer = new Sayer(() -> CompletableFuture.failedFuture(new MatrixException(403, "M_FORBIDDEN", "no")));
        send(sayer);
        assertEquals(1, sayer.calls.get());
    }

    @Test
    void aLineCutShortByTheStopStaysForTheNextStart() {
        Sayer sayer = new Sayer(() -> CompletableFuture.failedFuture(new RejectedExecutionException("stopping")));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> send(sayer));
        assertInstanceOf(RejectedExecutionException.class, failure.getCause());
    }
}
