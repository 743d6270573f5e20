package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/** Matrix users' logins to IRC networks' accounts, with which the bridge identifies their connections (SASL). */
public class IrcLoginStore {

    private final Database database;
    private final SealsSecrets secrets;

    public IrcLoginStore(Database database, SealsSecrets secrets) {
        this.database = database;
        this.secrets = secrets;
    }

    /** A user's account on a network and its password. */
    public record IrcLogin(String userId, String network, String account, String password) {

        @Override
        public String toString() {
            // Never print the password.
            return "IrcLogin[" + userId + " on " + network + " as " + account + "]";
        }
    }

    /** Keeps a login, replacing the user's earlier one on that network. The password is sealed first. */
    public void put(IrcLogin login) {
        database.replace("DELETE FROM irc_login WHERE user_id = ? AND network = ?", List.of(login.userId(), login.network()),
                "INSERT INTO irc_login (user_id, network, account, sealed_password) VALUES (?, ?, ?, ?)",
                List.of(login.userId(), login.network(), login.account(), secrets.seal(login.password())));
    }

    /** The user's login on a network; empty if there is none, or if it was sealed with a key this bridge no longer has. */
    public Optional<IrcLogin> find(String network, String userId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT account, sealed_password FROM irc_login WHERE user_id = ? AND network = ?")) {
                ps.setString(1, userId);
                ps.setString(2, network);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String account = rs.getString(1);
                    return secrets.open(rs.getString(2)).map(password -> new IrcLogin(userId, network, account, password));
                }
            }
        });
    }

    /** Forgets the user's login on a network; true if there was one. */
    public boolean remove(String network, String userId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM irc_login WHERE user_id = ? AND network = ?")) {
                ps.setString(1, userId);
                ps.setString(2, network);
                return ps.executeUpdate() > 0;
            }
        });
    }
}
