package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nicks Matrix users have on each network right now. A nick in here is a Matrix user's own connection, so it
 * never gets a ghost: the Matrix user is already in the room as themselves.
 */
@ApplicationScoped
public class MatrixUsersNicks {

    private final Map<String, String> userByNetworkNick = new ConcurrentHashMap<>();

    private static String key(String network, String nick) {
        return network + "\n" + MatrixNames.fold(nick);
    }

    public void set(String network, String nick, String userId) {
        userByNetworkNick.put(key(network, nick), userId);
    }

    public void remove(String network, String nick) {
        userByNetworkNick.remove(key(network, nick));
    }

    /** The Matrix user behind a nick, if it is one of theirs. */
    public Optional<String> userOf(String network, String nick) {
        return Optional.ofNullable(userByNetworkNick.get(key(network, nick)));
    }

    public boolean isMatrixUser(String network, String nick) {
        return userByNetworkNick.containsKey(key(network, nick));
    }
}
