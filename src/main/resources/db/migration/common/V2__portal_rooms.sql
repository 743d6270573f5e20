-- Rooms bridged to IRC channels: made on demand from an alias, or mapped by configuration.
CREATE TABLE portal_room (
    network  VARCHAR(64)  NOT NULL,
    channel  VARCHAR(255) NOT NULL,
    room_id  VARCHAR(255) NOT NULL UNIQUE,
    alias    VARCHAR(255),
    PRIMARY KEY (network, channel)
);
