-- Transactions the homeserver sent, kept so that a retried transaction is processed once, also across restarts.
CREATE TABLE processed_transaction (
    txn_id      VARCHAR(255) PRIMARY KEY,
    received_at BIGINT NOT NULL
);

-- Events accepted but not yet processed: the bridge answers the homeserver before it acts, so these
-- survive a crash and are processed at the next start.
CREATE TABLE inbound_event (
    seq      BIGSERIAL PRIMARY KEY,
    txn_id   VARCHAR(255) NOT NULL,
    room_id  VARCHAR(255),
    event    TEXT NOT NULL
);

-- The direct chat each Matrix user has with the bridge bot.
CREATE TABLE admin_room (
    user_id VARCHAR(255) PRIMARY KEY,
    room_id VARCHAR(255) NOT NULL UNIQUE
);

-- Users of the bridge's namespace that are registered on the homeserver.
CREATE TABLE registered_user (
    user_id VARCHAR(255) PRIMARY KEY
);
