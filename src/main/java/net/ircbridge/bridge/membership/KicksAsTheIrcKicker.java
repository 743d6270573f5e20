package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.Texts;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * Mirrors an IRC KICK in Matrix: the kicker's ghost kicks with the IRC reason; if the ghost lacks the power, the
 * bot kicks and says who did it on IRC. Call it on the room's lane.
 */
@ApplicationScoped
public class KicksAsTheIrcKicker {

    private final HomeserverClient homeserver;
    private final MatrixNames names;
    private final Texts texts;

    public KicksAsTheIrcKicker(HomeserverClient homeserver, MatrixNames names, Texts texts) {
        this.homeserver = homeserver;
        this.names = names;
        this.texts = texts;
    }

    public CompletableFuture<Void> kick(PortalRoom room, String kicker, String target, String reason) {
        String kickerGhost = names.ghostUserId(room.network(), kicker);
        return homeserver.kick(kickerGhost, room.roomId(), target, reason).handle((ok, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = Failures.cause(failure);
            if (cause instanceof MatrixException m && m.status() == 403) {
                return homeserver.kick(null, room.roomId(), target,
                        Texts.fill(texts.templates().kickedOnIrc(), "kicker", kicker, "reason", reason));
            }
            return CompletableFuture.<Void>failedFuture(cause);
        }).thenCompose(f -> f);
    }
}
