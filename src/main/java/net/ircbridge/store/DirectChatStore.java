package net.ircbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The direct chats between Matrix users and IRC users' ghosts, one per user, network and (folded) nick. */
public class DirectChatStore {

    private final Database database;

    public DirectChatStore(Database database) {
        this.database = database;
    }

    /** A direct chat: the room, and whose private messages it carries. */
    public record DirectChat(String roomId, String network, String nick, String userId) {
    }

    /** Keeps a direct chat, replacing an older one of the same room or of the same user, network and nick. */
    public void put(DirectChat chat) {
        database.replace("DELETE FROM direct_chat WHERE room_id = ? OR (network = ? AND nick = ? AND user_id = ?)",
                List.of(chat.roomId(), chat.network(), chat.nick(), chat.userId()),
                "INSERT INTO direct_chat (room_id, network, nick, user_id) VALUES (?, ?, ?, ?)",
                List.of(chat.roomId(), chat.network(), chat.nick(), chat.userId()));
    }

    public Optional<DirectChat> byRoom(String roomId) {
        return one("SELECT room_id, network, nick, user_id FROM direct_chat WHERE room_id = ?", roomId);
    }

    /** The direct chat of a user with a (folded) nick on a network. */
    public Optional<DirectChat> find(String network, String nick, String userId) {
        return one("SELECT room_id, network, nick, user_id FROM direct_chat WHERE network = ? AND nick = ? AND user_id = ?",
                network, nick, userId);
    }

    /** Every direct chat of a user on a network. */
    public List<DirectChat> ofUser(String network, String userId) {
        return list("SELECT room_id, network, nick, user_id FROM direct_chat WHERE network = ? AND user_id = ? ORDER BY nick",
                network, userId);
    }

    /** Every direct chat, of every user and network. */
    public List<DirectChat> all() {
        return list("SELECT room_id, network, nick, user_id FROM direct_chat ORDER BY network, user_id");
    }

    /** Forgets a direct chat; true if it was there. */
    public boolean remove(String roomId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM direct_chat WHERE room_id = ?")) {
                ps.setString(1, roomId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private Optional<DirectChat> one(String sql, String... params) {
        List<DirectChat> chats = list(sql, params);
        return chats.isEmpty() ? Optional.empty() : Optional.of(chats.get(0));
    }

    private List<DirectChat> list(String sql, String... params) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                List<DirectChat> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DirectChat(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return out;
            }
        });
    }
}
