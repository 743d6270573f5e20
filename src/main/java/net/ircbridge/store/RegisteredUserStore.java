package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Users of the bridge's namespace that the bridge has registered on the homeserver. */
public class RegisteredUserStore {

    private final Database database;

    public RegisteredUserStore(Database database) {
        this.database = database;
    }

    /** Remembers a registered user; remembering one twice is harmless. */
    public void add(String userId) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO registered_user (user_id) VALUES (?)")) {
                ps.setString(1, userId);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!Database.isDuplicateKey(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    public boolean contains(String userId) {
        return database.queryString("SELECT user_id FROM registered_user WHERE user_id = ?", userId).isPresent();
    }
}
