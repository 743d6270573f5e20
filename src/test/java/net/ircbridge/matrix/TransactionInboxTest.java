package net.ircbridge.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.ircbridge.store.Database;
import net.ircbridge.store.InboundTransactionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox tells a retry from a new transaction by the events' ids, also when the homeserver uses an id again. */
class TransactionInboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDirectory;

    private final List<JsonNode> handedOn = new ArrayList<>();

    /** An inbox on the embedded store, started, whose events go to {@link #handedOn}; secrets are bodies "secret". */
    private TransactionInbox inbox(Database db) {
        ReceivesMatrixEvents receiver = event -> {
            handedOn.add(event.json());
            return CompletableFuture.completedFuture(null);
        };
        RemovesSecretsBeforeStoring rule = event -> "secret".equals(event.content().path("body").asText())
                ? Optional.of(((ObjectNode) event.json().deepCopy()).put("content", "{}"))
                : Optional.empty();
        TransactionInbox inbox = new TransactionInbox(new InboundTransactionStore(db), receiver, JSON, instanceOf(rule));
        inbox.start();
        return inbox;
    }

    private static JsonNode message(String eventId, String body) {
        ObjectNode event = JSON.createObjectNode().put("type", "m.room.message").put("room_id", "!r:hs").put("sender", "@u:hs");
        if (eventId != null) {
            event.put("event_id", eventId);
        }
        event.putObject("content").put("msgtype", "m.text").put("body", body);
        return event;
    }

    private static void awaitAllMarkedProcessed(Database db) {
        InboundTransactionStore store = new InboundTransactionStore(db);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!store.pending().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "events still not marked processed after 30 s");
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    private List<String> bodies() {
        return handedOn.stream().map(e -> e.path("content").path("body").asText()).toList();
    }

    @Test
    void aUsedTransactionIdWithNewEventsHasItsNewEventsHandedOnAsTheyCame() {
        try (Database db = Database.embedded(dataDirectory, 2)) {
            TransactionInbox inbox = inbox(db);
            assertTrue(inbox.accept("1", List.of(message("$a", "one"))));
            // The homeserver restarted and numbers from 1 again: a new event (with a secret) and an old one.
            assertTrue(inbox.accept("1", List.of(message("$a", "one"), message("$b", "secret"), message("$c", "three"))));
            assertEquals(List.of("one", "secret", "three"), bodies(), "each once, and as it came, not as it was stored");
        }
    }

    @Test
    void aRetryIsNotHandedOnAgainAlsoAfterARestartOfTheBridge() {
        try (Database db = Database.embedded(dataDirectory, 2)) {
            TransactionInbox inbox = inbox(db);
            assertTrue(inbox.accept("7", List.of(message("$a", "one"), message("$b", "two"))));
            assertFalse(inbox.accept("7", List.of(message("$a", "one"), message("$b", "two"))));
            // Events are marked processed on a thread of their own; a stop before that would rightly hand them on again.
            awaitAllMarkedProcessed(db);
        }
        try (Database db = Database.embedded(dataDirectory, 2)) {
            TransactionInbox inbox = inbox(db);
            assertFalse(inbox.accept("7", List.of(message("$a", "one"), message("$b", "two"))));
            assertTrue(inbox.accept("7", List.of(message("$c", "three"))));
        }
        assertEquals(List.of("one", "two", "three"), bodies());
    }

    @Test
    void eventsWithoutAnIdAreHandedOnOncePerTransaction() {
        try (Database db = Database.embedded(dataDirectory, 2)) {
            TransactionInbox inbox = inbox(db);
            assertTrue(inbox.accept("1", List.of(message(null, "no id"))));
            assertFalse(inbox.accept("1", List.of(message(null, "no id"))), "the same transaction again");
            assertTrue(inbox.accept("2", List.of(message(null, "no id"))));
            assertTrue(inbox.accept("1", List.of(message(null, "other"))));
            assertEquals(List.of("no id", "no id", "other"), bodies());
        }
    }

    /** A CDI {@code Instance} of one bean, as the inbox gets its secret rules. */
    @SuppressWarnings("unchecked")
    private static Instance<RemovesSecretsBeforeStoring> instanceOf(RemovesSecretsBeforeStoring rule) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("iterator") && method.getParameterCount() == 0) {
                return List.of(rule).iterator();
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (Instance<RemovesSecretsBeforeStoring>) Proxy.newProxyInstance(TransactionInboxTest.class.getClassLoader(),
                new Class<?>[] {Instance.class}, handler);
    }
}
