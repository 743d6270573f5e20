package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.ReceivesMatrixEvents;

/** Puts each Matrix event on its room's lane and lets every behaviour see it there. */
@ApplicationScoped
public class RoutesMatrixEventsToRoomLanes implements ReceivesMatrixEvents {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RoutesMatrixEventsToRoomLanes.class);

    private final RoomLanes lanes;
    private final List<HandlesMatrixEvent> behaviours;

    public RoutesMatrixEventsToRoomLanes(RoomLanes lanes, Instance<HandlesMatrixEvent> behaviours) {
        this.lanes = lanes;
        this.behaviours = behaviours.stream().toList();
    }

    @Override
    public CompletionStage<?> receive(MatrixEvent event) {
        return lanes.submit(event.roomId(), () -> {
            CompletableFuture<?> all = CompletableFuture.completedFuture(null);
            for (HandlesMatrixEvent behaviour : behaviours) {
                // Each behaviour runs after the previous one, and a failing one doesn't stop the others.
                all = all.thenCompose(ignored -> behaviour.handle(event).handle((done, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "%s failed on %s in %s", behaviour.getClass().getSimpleName(), event.eventId(),
                                event.roomId());
                    }
                    return null;
                }));
            }
            return all;
        });
    }
}
