package net.ircbridge.bridge.admin;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.bridge.UserLanes;
import net.ircbridge.config.BridgeConfig;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.RoomCreation;
import net.ircbridge.store.AdminRoomStore;
import org.jboss.logging.Logger;

/**
 * Tells a Matrix user something the bridge cannot say in a bridged room (their connection was refused for good,
 * a room cannot be kept private): in their admin room, the direct chat with the bot, which is opened for them if
 * they have none. The bridge's admins ({@code bridge.admins}) are told this way too.
 */
@ApplicationScoped
public class TellsUsersInTheirAdminRoom {

    private static final Logger LOG = Logger.getLogger(TellsUsersInTheirAdminRoom.class);

    private final HomeserverClient homeserver;
    private final AdminRoomStore adminRooms;
    private final BridgeConfig bridge;
    private final UserLanes lanes;
    /** Admin rooms being opened, so that two messages at once don't open two rooms. */
    private final Map<String, CompletableFuture<String>> opening = new ConcurrentHashMap<>();

    public TellsUsersInTheirAdminRoom(HomeserverClient homeserver, AdminRoomStore adminRooms, BridgeConfig bridge, UserLanes lanes) {
        this.lanes = lanes;
        this.homeserver = homeserver;
        this.adminRooms = adminRooms;
        this.bridge = bridge;
    }

    /**
     * Sends {@code text} as a notice to the user's admin room, after what they were told before. Never waits on the
     * caller's thread: the admin room is looked up in the store on the user's lane for it, since callers include
     * receivers of IRC events, on IRC input threads.
     */
    public CompletableFuture<Void> tell(String userId, String text) {
        return lanes.submitToAdminRoom(userId, () -> adminRoom(userId)
                .thenCompose(room -> homeserver.sendText(null, room, "m.notice", text))).<Void>thenApply(id -> null)
                .exceptionally(failure -> {
                    LOG.errorf("Cannot tell %s: %s (%s)", userId, text, failure.getMessage());
                    return null;
                });
    }

    /** Tells every admin of the bridge. */
    public void tellAdmins(String text) {
        bridge.admins().orElse(java.util.List.of()).forEach(admin -> tell(admin, text));
        if (bridge.admins().map(java.util.List::isEmpty).orElse(true)) {
            LOG.warn(text);
        }
    }

    private CompletableFuture<String> adminRoom(String userId) {
        Optional<String> known = adminRooms.roomOf(userId);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        return opening.computeIfAbsent(userId, u -> {
            RoomCreation request = RoomCreation.preset("trusted_private_chat").named("IRC bridge").direct(List.of(userId));
            return homeserver.createRoom(null, request).thenApply(room -> {
                adminRooms.put(userId, room);
                return room;
            }).whenComplete((room, failure) -> opening.remove(userId));
        });
    }
}
