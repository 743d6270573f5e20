package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/** The nick each Matrix user has on each network, kept across restarts. */
public class IrcIdentityStore {

    private final Database database;

    public IrcIdentityStore(Database database) {
        this.database = database;
    }

    public Optional<String> nick(String userId, String network) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT nick FROM irc_identity WHERE user_id = ? AND network = ?")) {
                ps.setString(1, userId);
                ps.setString(2, network);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    public void put(String userId, String network, String nick) {
        database.replace("DELETE FROM irc_identity WHERE user_id = ? AND network = ?", List.of(userId, network),
                "INSERT INTO irc_identity (user_id, network, nick) VALUES (?, ?, ?)", List.of(userId, network, nick));
    }
}
