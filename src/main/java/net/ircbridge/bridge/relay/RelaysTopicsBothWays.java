package net.ircbridge.bridge.relay;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.membership.MatrixUsersNicks;
import net.ircbridge.bridge.membership.RegistersGhosts;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.matrix.MessageContent;
import net.ircbridge.matrix.TopicChanged;
import net.ircbridge.matrix.TopicContent;
import net.ircbridge.store.IrcOutboxStore.OutboxRow;
import net.ircbridge.store.OutboxPayload;
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
 * IRC shows who changed it; if the server refuses (+t without operator status), the room is told why. Like a
 * message, it waits for the user's connection when that is still being made (at a start, a reconnect), and its event
 * is done (not handed on again after a crash) only once the TOPIC line has left, or the room was told why not.
 */
@ApplicationScoped
public class RelaysTopicsBothWays implements ReceivesIrcEvents, HandlesMatrixEvent, DeliversIrcMessagesToRooms.SaysStoredIrcLines {

    /** The outbox's kind of a topic from IRC. */
    static final String KIND = "topic";

    private static final Logger LOG = Logger.getLogger(RelaysTopicsBothWays.class);

    private final PortalDirectory portals;
    private final DeliversIrcMessagesToRooms delivery;
    private final HomeserverClient homeserver;
    private final RegistersGhosts ghosts;
    private final MatrixUsersNicks matrixUsers;
    private final MatrixNames names;
    private final SpeaksOnChannelsAsTheUser speaker;
    private final Texts texts;

    public RelaysTopicsBothWays(PortalDirectory portals, DeliversIrcMessagesToRooms delivery, HomeserverClient homeserver,
            RegistersGhosts ghosts, MatrixUsersNicks matrixUsers, MatrixNames names, SpeaksOnChannelsAsTheUser speaker, Texts texts) {
        this.portals = portals;
        this.delivery = delivery;
        this.homeserver = homeserver;
        this.ghosts = ghosts;
        this.matrixUsers = matrixUsers;
        this.names = names;
        this.speaker = speaker;
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
            // No nick: the topic the bot found when it joined.
            delivery.deliver(room, KIND, changed.setBy(), new OutboxPayload(Map.of("topic", topic), null));
        });
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CompletableFuture<?> say(PortalRoom room, OutboxRow row, OutboxPayload payload, String txnId) {
        String topic = payload.text("topic", "");
        return row.nick() == null ? adopt(room, topic) : setBy(room, row.nick(), topic, txnId);
    }

    /** The channel's topic as the bot found it: set by the bot, unless the room has it already. */
    private CompletableFuture<Object> adopt(PortalRoom room, String topic) {
        return homeserver.topic(room.roomId())
                .handle((current, failure) -> current == null ? "" : current)
                .thenCompose(current -> current.equals(topic) ? CompletableFuture.completedFuture(null)
                        : homeserver.putState(null, room.roomId(), "", content(topic)).thenApply(id -> (Object) id));
    }

    /** A topic an IRC user set: their ghost sets it, or the bot does and says who changed it. */
    private CompletableFuture<Object> setBy(PortalRoom room, String nick, String topic, String txnId) {
        return ghosts.ghost(room.network(), nick)
                .thenCompose(ghost -> homeserver.putState(ghost, room.roomId(), "", content(topic)))
                .handle((eventId, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.<Object>completedFuture(eventId);
                    }
                    Throwable cause = Failures.cause(failure);
                    if (!(cause instanceof MatrixException m && m.status() == 403)) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    String notice = Texts.fill(texts.templates().topicChangedOnIrc(), "nick", nick, "channel", room.channel());
                    return homeserver.putState(null, room.roomId(), "", content(topic))
                            .thenCompose(ignored -> homeserver.sendMessage(null, room.roomId(), MessageContent.notice(notice),
                                    txnId))
                            .thenApply(id -> (Object) id);
                })
                .thenCompose(f -> f);
    }

    private static TopicContent content(String topic) {
        return new TopicContent(topic);
    }

    // ---- Matrix to IRC ----

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        if (!(event instanceof TopicChanged changed) || !"".equals(event.stateKey())) {
            return HandlesMatrixEvent.done();
        }
        String user = event.sender();
        if (user == null || names.isBridgeUser(user)) {
            return HandlesMatrixEvent.done(); // the bridge's own topic change, from IRC
        }
        Optional<PortalRoom> room = portal;
        if (room.isEmpty()) {
            return HandlesMatrixEvent.done();
        }
        String topic = changed.topic();
        // The room's lane goes on at once (the user's connection may still be made); the event is done when this is.
        return HandlesMatrixEvent.later(setTopic(room.get(), user, event.eventId(), topic));
    }

    /**
     * Sets the channel's topic from the user's connection, on the user's queue (after their messages sent before
     * it). A user without a connection yet (the bridge is starting, or reconnecting them) is waited for, as their
     * messages are, up to {@link SpeaksOnChannelsAsTheUser#WAIT_SECONDS} seconds; the room is told when it
     * cannot be set.
     *
     * @return completes once the TOPIC line has left the user's token bucket for the socket, or the reason it did
     *         not go was sent to the room; fails with a {@link RejectedExecutionException} when the bridge stops
     *         first (the topic is then set after the next start)
     */
    private CompletableFuture<Void> setTopic(PortalRoom room, String user, String eventId, String topic) {
        return speaker.perform(room, user, eventId, "topic", c -> new IrcIntent.SetTopic(c, room.channel(), topic));
    }
}
