-- Rooms a Matrix user was soft-kicked from when their IRC connection dropped: each is owed one invite back once
-- the connection is restored, also after a restart of the bridge.
CREATE TABLE owed_invite (
    user_id  VARCHAR(255) NOT NULL,
    room_id  VARCHAR(255) NOT NULL,
    network  VARCHAR(64)  NOT NULL,
    channel  VARCHAR(255) NOT NULL,
    reason   VARCHAR(1000) NOT NULL,
    PRIMARY KEY (user_id, room_id)
);
