package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.MatrixNames;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.store.RegisteredUserStore;

/**
 * Makes sure the Matrix user of an IRC nick exists before it is used.
 *
 * <p>Ghosts get their nick as a display name in each room they join ({@link HomeserverClient#joinNamed}), not
 * as a global profile name: mirroring a big channel then costs one request per ghost less, and the homeserver
 * doesn't rewrite the member event of every room a ghost is in when its profile changes. Only a ghost looked up
 * on its own (someone opening a direct chat with it) gets a profile name too.
 */
@ApplicationScoped
public class RegistersGhosts {

    private final MatrixNames names;
    private final HomeserverClient homeserver;
    private final RegisteredUserStore registered;
    /** Ghosts known to be registered, so the store isn't asked on every join. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /**
     * How many {@link #known} holds at most. It is only a shortcut past the store, so when a server has shown the
     * bridge more nicks than this (a hostile one can invent them without end) it starts again empty.
     */
    static final int MAX_KNOWN = 50_000;

    public RegistersGhosts(MatrixNames names, HomeserverClient homeserver, RegisteredUserStore registered) {
        this.names = names;
        this.homeserver = homeserver;
        this.registered = registered;
    }

    /** The ghost of a nick, registered if needed. */
    public CompletableFuture<String> ghost(String network, String nick) {
        String userId = names.ghostUserId(network, nick);
        if (known.contains(userId) || registered.contains(userId)) {
            remember(userId);
            return CompletableFuture.completedFuture(userId);
        }
        String localpart = userId.substring(1, userId.indexOf(':'));
        return homeserver.registerUser(localpart).thenApply(ignored -> {
            registered.add(userId);
            remember(userId);
            return userId;
        });
    }

    private void remember(String userId) {
        if (known.size() >= MAX_KNOWN) {
            known.clear();
        }
        known.add(userId);
    }

    /** The ghost of a nick, registered if needed, with the nick as its profile's display name. */
    public CompletableFuture<String> namedGhost(String network, String nick) {
        return ghost(network, nick).thenCompose(userId -> homeserver.setDisplayName(userId, nick).thenApply(ignored -> userId));
    }
}
