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

    private final List<MatrixEvent> handedOn = new ArrayList<>();

    /** An inbox on the embedded store, started, whose events go to {@link #handedOn}; secrets are bodies "secret". */
    private TransactionInbox inbox(Database db) {
        TransactionInbox inbox = unstartedInbox(db);
        inbox.start();
        return inbox;
    }

    private TransactionInbox unstartedInbox(Database db) {
        ReceivesMatrixEvents receiver = event -> {
            handedOn.add(event);
            return CompletableFuture.completedFuture(null);
        };
        RemovesSecretsBeforeStoring rule = event -> event instanceof MessageSent m && "secret".equals(m.message().body())
                ? Optional.of(MessageContent.text("(not kept)"))
                : Optional.empty();
        return new TransactionInbox(new InboundTransactionStore(db), receiver, JSON, instanceOf(rule));
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
        return handedOn.stream().map(e -> ((MessageSent) e).message().body()).toList();
    }

    @Test
    void theStoredCopyOfASecretHasTheRulesContentAndWhatRoutesItButNotItsUnsignedPart() throws Exception {
        try (Database db = Database.embedded(dataDirectory, 2)) {
            ObjectNode secret = (ObjectNode) message("$s", "secret");
            secret.putObject("unsigned").putObject("prev_content").put("body", "secret");
            assertTrue(unstartedInbox(db).accept("1", List.of(secret, message("$o", "open"))));
            List<InboundTransactionStore.PendingEvent> stored = new InboundTransactionStore(db).pending();
            JsonNode scrubbed = JSON.readTree(stored.get(0).json());
            assertFalse(scrubbed.toString().contains("secret"), scrubbed::toString);
            assertEquals("(not kept)", scrubbed.path("content").path("body").asText());
            assertEquals("m.text", scrubbed.path("content").path("msgtype").asText());
            assertEquals("$s", scrubbed.path("event_id").asText());
            assertEquals("!r:hs", scrubbed.path("room_id").asText());
            assertEquals("@u:hs", scrubbed.path("sender").asText());
            assertEquals(message("$o", "open"), JSON.readTree(stored.get(1).json()), "an event without secrets is stored as it came");
        }
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
