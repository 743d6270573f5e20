package net.ircbridge.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import net.ircbridge.store.InboundTransactionStore;
import net.ircbridge.store.InboundTransactionStore.IncomingEvent;
import net.ircbridge.store.InboundTransactionStore.PendingEvent;
import org.jboss.logging.Logger;

/**
 * Accepts the homeserver's transactions exactly once and hands their events on in order. Events are stored
 * before the homeserver gets its answer, so an event is never lost to a crash: what was accepted but not yet
 * processed is handed on again at the next start.
 */
@ApplicationScoped
public class TransactionInbox {

    private static final Logger LOG = Logger.getLogger(TransactionInbox.class);

    private final InboundTransactionStore store;
    private final ReceivesMatrixEvents receiver;
    private final ObjectMapper json;
    private boolean replayed;

    public TransactionInbox(InboundTransactionStore store, ReceivesMatrixEvents receiver, ObjectMapper json) {
        this.store = store;
        this.receiver = receiver;
        this.json = json;
    }

    /** How long transaction ids are remembered; the homeserver stops retrying a transaction long before. */
    static final java.time.Duration REMEMBER_TRANSACTIONS = java.time.Duration.ofDays(30);

    void onStart(@Observes StartupEvent start) {
        int forgotten = store.forgetTransactionsBefore(System.currentTimeMillis() - REMEMBER_TRANSACTIONS.toMillis());
        if (forgotten > 0) {
            LOG.debugf("Forgot %d transaction ids older than %s", forgotten, REMEMBER_TRANSACTIONS);
        }
        replayPendingOnce();
    }

    /**
     * Accepts a transaction's room events.
     *
     * @return false if this transaction id was accepted before (nothing is done again)
     */
    public synchronized boolean accept(String txnId, List<JsonNode> events) {
        replayPendingOnce();
        List<IncomingEvent> incoming = events.stream()
                .map(e -> new IncomingEvent(e.path("room_id").asText(null), e.toString()))
                .toList();
        InboundTransactionStore.Acceptance acceptance = store.accept(txnId, incoming);
        if (!acceptance.accepted()) {
            LOG.debugf("Transaction %s was processed before; ignoring the repeat", txnId);
            return false;
        }
        acceptance.events().forEach(this::handOn);
        return true;
    }

    private synchronized void replayPendingOnce() {
        if (replayed) {
            return;
        }
        replayed = true;
        List<PendingEvent> pending = store.pending();
        if (!pending.isEmpty()) {
            LOG.infof("Processing %d events accepted before the last stop", pending.size());
        }
        pending.forEach(this::handOn);
    }

    private void handOn(PendingEvent pending) {
        MatrixEvent event;
        try {
            event = new MatrixEvent(json.readTree(pending.json()));
        } catch (JsonProcessingException e) {
            LOG.errorf("Dropping stored event %d: not JSON (%s)", pending.seq(), e.getOriginalMessage());
            store.processed(pending.seq());
            return;
        }
        receiver.receive(event).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "Event %s in %s could not be processed", event.eventId(), event.roomId());
            }
            store.processed(pending.seq());
        });
    }
}
