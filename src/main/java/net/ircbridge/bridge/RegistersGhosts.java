package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.store.RegisteredUserStore;

/** Makes sure the Matrix user of an IRC nick exists, with the nick as its display name, before it is used. */
@ApplicationScoped
public class RegistersGhosts {

    private final MatrixNames names;
    private final HomeserverClient homeserver;
    private final RegisteredUserStore registered;
    /** Ghosts known to exist with their display name set, so the store isn't asked on every join. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public RegistersGhosts(MatrixNames names, HomeserverClient homeserver, RegisteredUserStore registered) {
        this.names = names;
        this.homeserver = homeserver;
        this.registered = registered;
    }

    /** The ghost of a nick, registered if needed. */
    public CompletableFuture<String> ghost(String network, String nick) {
        String userId = names.ghostUserId(network, nick);
        if (known.contains(userId + "\n" + nick)) {
            return CompletableFuture.completedFuture(userId);
        }
        String localpart = userId.substring(1, userId.indexOf(':'));
        CompletableFuture<Void> exists = registered.contains(userId)
                ? CompletableFuture.completedFuture(null)
                : homeserver.registerUser(localpart).thenRun(() -> registered.add(userId));
        return exists.thenCompose(ignored -> homeserver.setDisplayName(userId, nick)).thenApply(ignored -> {
            known.add(userId + "\n" + nick);
            return userId;
        });
    }
}
