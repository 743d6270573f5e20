-- A Matrix user's login to an IRC network's accounts (services): the bridge identifies each of their connections
-- with SASL PLAIN. The password is sealed (AES-GCM) with the key in the data directory, never kept in clear.
CREATE TABLE irc_login (
    user_id         VARCHAR(255)  NOT NULL,
    network         VARCHAR(64)   NOT NULL,
    account         VARCHAR(255)  NOT NULL,
    sealed_password VARCHAR(1024) NOT NULL,
    PRIMARY KEY (user_id, network)
);
