-- Direct chats between a Matrix user and an IRC user's ghost: private messages between the Matrix user's own IRC
-- connection and that nick go through this room. The nick is folded (RFC 1459), as in ghosts' user ids.
CREATE TABLE direct_chat (
    room_id  VARCHAR(255) NOT NULL PRIMARY KEY,
    network  VARCHAR(64)  NOT NULL,
    nick     VARCHAR(255) NOT NULL,
    user_id  VARCHAR(255) NOT NULL,
    UNIQUE (network, nick, user_id)
);
