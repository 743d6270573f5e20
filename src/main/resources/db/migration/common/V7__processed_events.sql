-- Events the homeserver sent, remembered by event id so that a retried transaction is processed once, also across
-- restarts. Transaction ids alone cannot tell a retry: a homeserver may use them again (Synapse on SQLite starts at 1
-- after a restart once it has nothing pending), and a new transaction with a used id must still be processed.
-- An event without an id is remembered by a digest of its transaction id, its position there and its text.
CREATE TABLE processed_event (
    event_key   VARCHAR(255) PRIMARY KEY,
    received_at BIGINT NOT NULL
);
-- For forgetting old events.
CREATE INDEX processed_event_received_at ON processed_event (received_at);

-- Replaced by processed_event.
DROP TABLE processed_transaction;
