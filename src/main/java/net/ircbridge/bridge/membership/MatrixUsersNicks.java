package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.NickOnNetwork;

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

    private final Map<NickOnNetwork, String> userByNetworkNick = new ConcurrentHashMap<>();

    public void set(String network, String nick, String userId) {
        userByNetworkNick.put(new NickOnNetwork(network, nick), userId);
    }

    public void remove(String network, String nick) {
        userByNetworkNick.remove(new NickOnNetwork(network, nick));
    }

    /** The Matrix user behind a nick, if it is one of theirs. */
    public Optional<String> userOf(String network, String nick) {
        return Optional.ofNullable(userByNetworkNick.get(new NickOnNetwork(network, nick)));
    }

    public boolean isMatrixUser(String network, String nick) {
        return userByNetworkNick.containsKey(new NickOnNetwork(network, nick));
    }
}
