package net.ircbridge.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
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
    private boolean started;

    public TransactionInbox(InboundTransactionStore store, ReceivesMatrixEvents receiver, ObjectMapper json) {
        this.store = store;
        this.receiver = receiver;
        this.json = json;
    }

    /** How long transaction ids are remembered; the homeserver stops retrying a transaction long before. */
    static final java.time.Duration REMEMBER_TRANSACTIONS = java.time.Duration.ofDays(30);

    /**
     * Starts handing events on: first those accepted before the last stop (or since this start, while the
     * start-up checks ran), then new ones as they come. Called once the homeserver is known to accept the bridge,
     * so that no event is spent on calls that cannot succeed.
     */
    public synchronized void start() {
        int forgotten = store.forgetTransactionsBefore(System.currentTimeMillis() - REMEMBER_TRANSACTIONS.toMillis());
        if (forgotten > 0) {
            LOG.debugf("Forgot %d transaction ids older than %s", forgotten, REMEMBER_TRANSACTIONS);
        }
        List<PendingEvent> pending = store.pending();
        if (!pending.isEmpty()) {
            LOG.infof("Processing %d events accepted but not processed before", pending.size());
        }
        pending.forEach(this::handOn);
        started = true;
    }

    /**
     * Accepts a transaction's room events.
     *
     * @return false if this transaction id was accepted before (nothing is done again)
     */
    public synchronized boolean accept(String txnId, List<JsonNode> events) {
        List<IncomingEvent> incoming = events.stream()
                .map(e -> new IncomingEvent(e.path("room_id").asText(null), e.toString()))
                .toList();
        InboundTransactionStore.Acceptance acceptance = store.accept(txnId, incoming);
        if (!acceptance.accepted()) {
            LOG.debugf("Transaction %s was processed before; ignoring the repeat", txnId);
            return false;
        }
        if (started) {
            acceptance.events().forEach(this::handOn);
        }
        return true;
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
            if (failure instanceof java.util.concurrent.RejectedExecutionException
                    || failure != null && failure.getCause() instanceof java.util.concurrent.RejectedExecutionException) {
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
        });
    }
}
