package net.ircbridge.bridge;

import net.ircbridge.store.PortalRoomStore.PortalRoom;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.ReceivesMatrixEvents;

/**
 * Puts each Matrix event on its room's lane and lets every behaviour see it there. The event is done when the
 * lane's work is, and every effect a behaviour said comes {@link HandlesMatrixEvent#later later} (a message's
 * lines leaving its sender's token bucket): the lane goes on meanwhile, so one user's flood control never holds up
 * the room, but the event is marked processed only once it has had its effect.
 */
@ApplicationScoped
public class RoutesMatrixEventsToRoomLanes implements ReceivesMatrixEvents {


    private final RoomLanes lanes;
    private final List<HandlesMatrixEvent> behaviours;
    @jakarta.inject.Inject
    RetriesHandlersThatFailForAMoment retries;

    private final net.ircbridge.bridge.portals.PortalDirectory portals;

    public RoutesMatrixEventsToRoomLanes(RoomLanes lanes, Instance<HandlesMatrixEvent> behaviours,
            net.ircbridge.bridge.portals.PortalDirectory portals) {
        this.lanes = lanes;
        this.portals = portals;
        this.behaviours = behaviours.stream().toList();
    }

    @Override
    public CompletionStage<?> receive(MatrixEvent event) {
        // At most one per behaviour.
        Queue<CompletableFuture<?>> effects = new ConcurrentLinkedQueue<>();
        CompletableFuture<?> lane = lanes.submit(event.roomId(), () -> {
            // Found once for every behaviour, from memory, as the room is when the lane comes to the event.
            Optional<PortalRoom> portal = portals.byRoom(event.roomId());
            CompletableFuture<?> all = CompletableFuture.completedFuture(null);
            for (HandlesMatrixEvent behaviour : behaviours) {
                // Each behaviour runs after the previous one, and a failing one doesn't stop the others.
                // A failure for a moment is tried again first (the lane waits); the rest is logged and said in the room.
                all = all.thenCompose(ignored -> retries.handle(behaviour, event, portal).thenAccept(done -> {
                    if (done instanceof HandlesMatrixEvent.Later later) {
                        effects.add(later.effect().toCompletableFuture());
                    }
                }));
            }
            return all;
        });
        // A failed effect (the bridge stopping) fails the event, so that it stays to be handled at the next start.
        return lane.thenCompose(ignored -> CompletableFuture.allOf(effects.toArray(CompletableFuture[]::new)));
    }
}
