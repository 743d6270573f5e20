package net.ircbridge.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.IrcUserConnections;
import net.ircbridge.irc.IrcUserConnections.UserConnection;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.PortalRoomStore;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * A channel's topic is its room's topic, both ways, and says who changed it.
 *
 * <p>From IRC: the IRC user's ghost sets the room's topic, so Matrix shows who changed it; when the ghost lacks the
 * power (IRC lets anyone set the topic of a channel without +t), the bot sets it and says in the room who changed
 * it on IRC. The topic the bot finds when it joins a channel is set only if the room's differs.
 *
 * <p>From Matrix: a Matrix user who changes the room's topic sets the channel's topic from their own connection, so
 * IRC shows who changed it; if the server refuses (+t without operator status), the room is told why.
 */
@ApplicationScoped
public class RelaysTopicsBothWays implements ReceivesIrcEvents, HandlesMatrixEvent {

    private static final Logger LOG = Logger.getLogger(RelaysTopicsBothWays.class);

    private final PortalRoomStore portals;
    private final DeliversIrcMessagesToRooms delivery;
    private final HomeserverClient homeserver;
    private final RegistersGhosts ghosts;
    private final MatrixUsersNicks matrixUsers;
    private final MatrixNames names;
    private final IrcUserConnections connections;
    private final RoomLanes lanes;
    private final SaysWhyMessagesDidNotReachIrc failures;
    private final Texts texts;

    public RelaysTopicsBothWays(PortalRoomStore portals, DeliversIrcMessagesToRooms delivery, HomeserverClient homeserver,
            RegistersGhosts ghosts, MatrixUsersNicks matrixUsers, MatrixNames names, IrcUserConnections connections,
            RoomLanes lanes, SaysWhyMessagesDidNotReachIrc failures, Texts texts) {
        this.portals = portals;
        this.delivery = delivery;
        this.homeserver = homeserver;
        this.ghosts = ghosts;
        this.matrixUsers = matrixUsers;
        this.names = names;
        this.connections = connections;
        this.lanes = lanes;
        this.failures = failures;
        this.texts = texts;
    }

    // ---- IRC to Matrix ----

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.TopicChanged changed)) {
            return;
        }
        if (changed.setBy() != null && matrixUsers.isMatrixUser(changed.network(), changed.setBy())) {
            return; // a Matrix user's topic, already the room's
        }
        portals.byChannel(changed.network(), MatrixNames.fold(changed.channel())).ifPresent(room -> {
            String topic = IrcText.clean(changed.topic());
            delivery.<Object>deliver(room, () -> changed.setBy() == null ? adopt(room, topic) : setBy(room, changed.setBy(), topic))
                    .exceptionally(failure -> {
                        LOG.errorf("Could not set the topic of %s (%s): %s", room.roomId(), room.channel(), failure.getMessage());
                        return null;
                    });
        });
    }

    /** The channel's topic as the bot found it: set by the bot, unless the room has it already. */
    private CompletableFuture<Object> adopt(PortalRoom room, String topic) {
        return homeserver.getState(null, room.roomId(), "m.room.topic", "")
                .handle((current, failure) -> current == null ? "" : current.path("topic").asText(""))
                .thenCompose(current -> current.equals(topic) ? CompletableFuture.completedFuture(null)
                        : homeserver.putState(null, room.roomId(), "m.room.topic", "", content(topic)).thenApply(id -> (Object) id));
    }

    /** A topic an IRC user set: their ghost sets it, or the bot does and says who changed it. */
    private CompletableFuture<Object> setBy(PortalRoom room, String nick, String topic) {
        return ghosts.ghost(room.network(), nick)
                .thenCompose(ghost -> homeserver.putState(ghost, room.roomId(), "m.room.topic", "", content(topic)))
                .handle((eventId, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.<Object>completedFuture(eventId);
                    }
                    Throwable cause = Failures.cause(failure);
                    if (!(cause instanceof MatrixException m && m.status() == 403)) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    String notice = Texts.fill(texts.templates().topicChangedOnIrc(), "nick", nick, "channel", room.channel());
                    return homeserver.putState(null, room.roomId(), "m.room.topic", "", content(topic))
                            .thenCompose(ignored -> homeserver.sendText(null, room.roomId(), "m.notice", notice))
                            .thenApply(id -> (Object) id);
                })
                .thenCompose(f -> f);
    }

    private static ObjectNode content(String topic) {
        return JsonNodeFactory.instance.objectNode().put("topic", topic);
    }

    // ---- Matrix to IRC ----

    @Override
    public CompletionStage<?> handle(MatrixEvent event) {
        if (!"m.room.topic".equals(event.type()) || !"".equals(event.stateKey())) {
            return done();
        }
        String user = event.sender();
        if (user == null || names.isBridgeUser(user)) {
            return done(); // the bridge's own topic change, from IRC
        }
        Optional<PortalRoom> room = portals.byRoom(event.roomId());
        if (room.isEmpty()) {
            return done();
        }
        String network = room.get().network();
        String channel = room.get().channel();
        String topic = event.content().path("topic").asText("");
        Optional<UserConnection> connection = connections.find(network, user);
        if (connection.isEmpty()) {
            failures.notConnected(network, user, channel, room.get().roomId(), event.eventId(), null);
            return done();
        }
        lanes.submit(RelaysMatrixMessagesToIrc.queueOf(network, user), () -> connection.get().ready()
                .thenCompose(c -> c.whenOn(channel).copy().orTimeout(RelaysMatrixMessagesToIrc.JOIN_WAIT_SECONDS, TimeUnit.SECONDS)
                        .thenAccept(on -> {
                            failures.sent(network, user, channel, room.get().roomId(), event.eventId());
                            c.setTopic(channel, topic);
                        }))
                .exceptionally(failure -> {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof net.ircbridge.irc.IrcLineRefused refused) {
                        failures.cannotName(network, user, refused.value(), room.get().roomId(), event.eventId());
                    } else if (cause instanceof TimeoutException || cause instanceof IrcUserConnections.JoinRefusedException) {
                        failures.notOnChannel(network, user, channel, room.get().roomId(), event.eventId(),
                                cause instanceof TimeoutException ? null : cause.getMessage());
                    } else {
                        failures.notConnected(network, user, channel, room.get().roomId(), event.eventId(),
                                RelaysMatrixMessagesToIrc.reasonOf(cause));
                    }
                    return null;
                }));
        return done();
    }

    private static CompletionStage<?> done() {
        return CompletableFuture.completedFuture(null);
    }
}
