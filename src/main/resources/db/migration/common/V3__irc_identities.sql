-- The nick each Matrix user has on each network, so that it survives restarts.
CREATE TABLE irc_identity (
    user_id  VARCHAR(255) NOT NULL,
    network  VARCHAR(64)  NOT NULL,
    nick     VARCHAR(255) NOT NULL,
    PRIMARY KEY (user_id, network)
);
