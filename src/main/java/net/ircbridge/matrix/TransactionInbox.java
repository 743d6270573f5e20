package net.ircbridge.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.ircbridge.store.InboundTransactionStore;
import net.ircbridge.store.InboundTransactionStore.IncomingEvent;
import net.ircbridge.store.InboundTransactionStore.PendingEvent;
import org.jboss.logging.Logger;

/**
 * Accepts the homeserver's transactions exactly once and hands their events on in order. Events are stored
 * before the homeserver gets its answer, so an event is never lost to a crash: what was accepted but not yet
 * processed is handed on again at the next start. A retry is recognised by its events (their ids), not by the
 * transaction id alone, which a restarted homeserver may use again for new events. Secrets in events (a password in
 * a command) are removed from the stored copy by the {@link RemovesSecretsBeforeStoring} rules; the event itself is
 * handed on from memory.
 */
@ApplicationScoped
public class TransactionInbox {

    private static final Logger LOG = Logger.getLogger(TransactionInbox.class);

    private final InboundTransactionStore store;
    private final ReceivesMatrixEvents receiver;
    private final ObjectMapper json;
    private final List<RemovesSecretsBeforeStoring> secretRules;
    private boolean started;
    /**
     * Events accepted before {@link #start()} whose stored copy had secrets removed, as they came (by sequence
     * number), so that start hands them on whole. Bounded: past the bound the stored copy is handed on, and the
     * rule's owner handles it as after a crash.
     */
    private final Map<Long, String> wholeUntilStart = new HashMap<>();
    static final int MAX_WHOLE_UNTIL_START = 1000;

    public TransactionInbox(InboundTransactionStore store, ReceivesMatrixEvents receiver, ObjectMapper json,
            Instance<RemovesSecretsBeforeStoring> secretRules) {
        this.store = store;
        this.receiver = receiver;
        this.json = json;
        this.secretRules = secretRules.stream().toList();
    }

    /**
     * How long accepted events are remembered (counted back from the newest, so downtime does not count). The homeserver
     * retries a transaction it got no answer to within minutes of the bridge answering again (Synapse backs off to at
     * most about 8.5 minutes); a day keeps a wide margin while the table holds one day of traffic at most, one small row
     * per event.
     */
    static final java.time.Duration REMEMBER_EVENTS = java.time.Duration.ofDays(1);
    /** How often old events are forgotten while the bridge runs (and once at start). */
    static final java.time.Duration FORGET_EVERY = java.time.Duration.ofHours(1);
    private long nextForget;

    /**
     * Starts handing events on: first those accepted before the last stop (or since this start, while the
     * start-up checks ran), then new ones as they come. Called once the homeserver is known to accept the bridge,
     * so that no event is spent on calls that cannot succeed.
     */
    public synchronized void start() {
        forgetOldEvents();
        List<PendingEvent> pending = store.pending();
        if (!pending.isEmpty()) {
            LOG.infof("Processing %d events accepted but not processed before", pending.size());
        }
        pending.forEach(p -> handOn(Optional.ofNullable(wholeUntilStart.remove(p.seq()))
                .map(whole -> new PendingEvent(p.seq(), p.roomId(), whole)).orElse(p)));
        wholeUntilStart.clear();
        started = true;
    }

    /**
     * Accepts a transaction's room events.
     *
     * @return false if every event of this transaction was accepted before (a retry: nothing is done again)
     */
    public synchronized boolean accept(String txnId, List<JsonNode> events) {
        if (System.currentTimeMillis() >= nextForget) {
            forgetOldEvents();
        }
        List<IncomingEvent> incoming = new ArrayList<>(events.size());
        List<String> whole = new ArrayList<>(events.size());
        for (JsonNode e : events) {
            String text = e.toString();
            whole.add(text);
            JsonNode eventId = e.get("event_id");
            incoming.add(new IncomingEvent(e.path("room_id").asText(null), storable(e, text),
                    eventId != null && eventId.isTextual() ? eventId.asText() : null));
        }
        InboundTransactionStore.Acceptance acceptance = store.accept(txnId, incoming);
        if (!acceptance.accepted()) {
            LOG.debugf("Transaction %s was processed before; ignoring the repeat", txnId);
            return false;
        }
        if (acceptance.events().size() < events.size()) {
            LOG.debugf("Transaction %s: %d of its %d events were accepted before; processing the others", txnId,
                    events.size() - acceptance.events().size(), events.size());
        }
        for (int i = 0; i < acceptance.events().size(); i++) {
            PendingEvent stored = acceptance.events().get(i);
            // Handed on as it came: the stored copy may lack what a rule kept off the disk.
            PendingEvent asItCame = new PendingEvent(stored.seq(), stored.roomId(), whole.get(acceptance.positions().get(i)));
            if (started) {
                handOn(asItCame);
            } else if (!stored.json().equals(asItCame.json()) && wholeUntilStart.size() < MAX_WHOLE_UNTIL_START) {
                wholeUntilStart.put(stored.seq(), asItCame.json());
            }
        }
        return true;
    }

    private void forgetOldEvents() {
        nextForget = System.currentTimeMillis() + FORGET_EVERY.toMillis();
        try {
            int forgotten = store.forgetEventsOlderThanNewestBy(REMEMBER_EVENTS.toMillis());
            if (forgotten > 0) {
                LOG.debugf("Forgot %d accepted events older than %s", forgotten, REMEMBER_EVENTS);
            }
        } catch (RuntimeException e) {
            // Only the table's size depends on it: try again at the next round.
            LOG.warnf("Could not forget old accepted events (%s)", e.getMessage());
        }
    }

    /** The text of an event as it may be stored: without what a rule says is secret. */
    private String storable(JsonNode event, String text) {
        JsonNode stored = event;
        for (RemovesSecretsBeforeStoring rule : secretRules) {
            try {
                JsonNode before = stored;
                stored = rule.contentToStore(ReadsMatrixEvents.read(before)).<JsonNode>map(content -> withContent(before, content))
                        .orElse(before);
            } catch (RuntimeException e) {
                // A rule that cannot judge the event must not let a secret through: keep only what routes it.
                LOG.warnf("Storing event %s without its content: a secret rule failed (%s)", event.path("event_id").asText(),
                        e.getMessage());
                com.fasterxml.jackson.databind.node.ObjectNode bare = json.createObjectNode();
                for (String field : List.of("type", "room_id", "sender", "event_id", "state_key")) {
                    if (event.hasNonNull(field)) {
                        bare.set(field, event.get(field));
                    }
                }
                return bare.toString();
            }
        }
        return stored == event ? text : stored.toString();
    }

    /** The event with another content, and without its {@code unsigned} part (which may quote the content). */
    private static JsonNode withContent(JsonNode event, MessageContent content) {
        JsonNode copy = event.deepCopy();
        if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            object.set("content", WritesMatrixJson.message(content));
            object.remove("unsigned");
        }
        return copy;
    }

    /**
     * Where events are marked processed: a database write, so never on the thread that finished the event (an IRC
     * connection's sending or input thread, say). One thread; marks are small and their order does not matter.
     */
    private static final java.util.concurrent.ExecutorService MARKS = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "inbox-marks");
        t.setDaemon(true);
        return t;
    });

    /**
     * Whether an event failed because the bridge is stopping (work refused by a pool, a connection ended by the
     * stop), however the futures between wrapped it (a few causes deep at most, so a cycle cannot hold it).
     */
    static boolean stopping(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof java.util.concurrent.RejectedExecutionException) {
                return true;
            }
        }
        return false;
    }

    private void handOn(PendingEvent pending) {
        MatrixEvent event;
        try {
            event = ReadsMatrixEvents.read(json.readTree(pending.json()));
        } catch (JsonProcessingException e) {
            LOG.errorf("Dropping stored event %d: not JSON (%s)", pending.seq(), e.getOriginalMessage());
            store.processed(pending.seq());
            return;
        }
        // Done only once the event has had its effect (its lines left for IRC, or its failure was said in the room):
        // until then it stays in the store, and a crash hands it on again at the next start.
        receiver.receive(event).whenCompleteAsync((ignored, failure) -> {
            if (stopping(failure)) {
                // The bridge is stopping: the event stays in the store and is processed at the next start.
                return;
            }
            if (failure != null) {
                LOG.errorf(failure, "Event %s in %s could not be processed", event.eventId(), event.roomId());
            }
            try {
                store.processed(pending.seq());
            } catch (RuntimeException e) {
                LOG.errorf("Event %s was processed but could not be marked so (%s); it will be processed again at the next start",
                        event.eventId(), e.getMessage());
            }
        }, MARKS);
    }
}
