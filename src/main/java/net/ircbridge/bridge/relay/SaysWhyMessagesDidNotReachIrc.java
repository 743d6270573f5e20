package net.ircbridge.bridge.relay;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RetriesHandlersThatFailForAMoment;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MessageContent;
import net.ircbridge.store.DirectChatStore;
import net.ircbridge.store.PortalRoomStore;
import org.jboss.logging.Logger;

/**
 * A Matrix message that cannot reach IRC is never lost in silence: the bot (in a direct chat, the IRC user's ghost)
 * answers it in the room, as a reply mentioning its sender, saying why (no IRC connection, not on the channel, or the server's own words when it
 * refused the line: a moderated channel without voice, a nick that is gone, …).
 *
 * <p>IRC does not say which line it refused, only to whom it was sent; the answer goes to the latest message the
 * user sent there, which is the one the refusal follows (the server answers a connection's lines in order). A
 * message cut into several lines is answered once.
 */
@ApplicationScoped
public class SaysWhyMessagesDidNotReachIrc implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(SaysWhyMessagesDidNotReachIrc.class);

    private final HomeserverClient homeserver;
    private final RoomLanes lanes;
    private final Texts texts;
    private final PortalDirectory portals;
    private final DirectChatStore directChats;
    private final MatrixNames names;
    private final Networks networks;
    /** The latest Matrix message each user sent to each IRC target: network, user, folded target. */
    private final Map<SentTo, Sent> latest = new ConcurrentHashMap<>();
    /** Messages already answered, so that a message of several refused lines gets one answer. */
    private final Set<String> answered = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1000;
        }
    }));

    /** A Matrix message on its way to an IRC target. */
    private record Sent(String roomId, String eventId) {
    }

    public SaysWhyMessagesDidNotReachIrc(HomeserverClient homeserver, RoomLanes lanes, Texts texts, PortalDirectory portals,
            DirectChatStore directChats, MatrixNames names, Networks networks) {
        this.directChats = directChats;
        this.names = names;
        this.homeserver = homeserver;
        this.lanes = lanes;
        this.texts = texts;
        this.portals = portals;
        this.networks = networks;
    }

    /** A Matrix user's IRC target (a channel or a nick) on a network, folded as IRC compares names. */
    private record SentTo(String network, String user, String target) {
        SentTo {
            target = MatrixNames.fold(target);
        }
    }

    /** A user's message (or topic) has been handed to their connection for a target. */
    public void sent(String network, String user, String target, String roomId, String eventId) {
        latest.put(new SentTo(network, user, target), new Sent(roomId, eventId));
    }

    /**
     * The user has no IRC connection to the network; {@code reason} is why, when a connection was tried (null
     * otherwise). The answer is queued on the room's lane.
     *
     * @return completes once the homeserver has the answer (see {@link #answer})
     */
    public CompletableFuture<Void> notConnected(String network, String user, String target, String roomId, String eventId, String reason) {
        return answer(roomId, eventId, user, Texts.fill(texts.templates().notConnected(), "user", user, "target", target,
                "network", networkName(network), "reason", reason == null ? "" : IrcText.clean(reason)));
    }

    /**
     * The user's connection is not on the channel: the server refused the join ({@code reason}), or it has not
     * joined in time (no reason). Queued on the room's lane; completes once the homeserver has it.
     */
    public CompletableFuture<Void> notOnChannel(String network, String user, String target, String roomId, String eventId, String reason) {
        return answer(roomId, eventId, user, Texts.fill(texts.templates().notOnChannel(), "user", user, "target", target,
                "network", networkName(network), "reason", reason == null ? "" : IrcText.clean(reason)));
    }

    /**
     * The user's message (or topic) was not sent because its target cannot be named on IRC (a ghost whose user id
     * decodes to a mask, say; see {@link net.ircbridge.irc.BuildsIrcLines}). Queued on the room's lane; completes once
     * the homeserver has it.
     */
    public CompletableFuture<Void> cannotName(String network, String user, String target, String roomId, String eventId) {
        return answer(roomId, eventId, user, Texts.fill(texts.templates().notAnIrcName(), "user", user, "target", IrcText.clean(target),
                "network", networkName(network)));
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.LineRefused refused)) {
            return;
        }
        Sent sent = latest.get(new SentTo(refused.network(), refused.owner(), refused.target()));
        Optional<String> roomId = sent != null ? Optional.of(sent.roomId())
                : portals.byChannel(refused.network(), MatrixNames.fold(refused.target())).map(PortalRoomStore.PortalRoom::roomId);
        if (roomId.isEmpty()) {
            LOG.infof("%s refused a line of %s to %s (%s), and no room is known for it", refused.network(), refused.owner(),
                    refused.target(), refused.reason());
            return;
        }
        answer(roomId.get(), sent == null ? null : sent.eventId(), refused.owner(), Texts.fill(texts.templates().refusedByIrc(),
                "user", refused.owner(), "target", refused.target(), "network", networkName(refused.network()),
                "reason", IrcText.clean(refused.reason())));
    }

    /**
     * Says it in the room, on its lane. The message whose failure this is counts as done once the homeserver has the
     * answer (its client retries what can succeed later) or refused it for good (logged); the stage fails with a
     * {@link java.util.concurrent.RejectedExecutionException} when the bridge stops first, or when the homeserver
     * could not take the answer for a while (5xx, 429, unreachable), so that the message is tried again at the next
     * start.
     */
    private CompletableFuture<Void> answer(String roomId, String eventId, String user, String text) {
        if (eventId != null && !answered.add(eventId)) {
            return CompletableFuture.completedFuture(null);
        }
        MessageContent content = MessageContent.notice(text).mentioning(List.of(user)).replyingTo(eventId);
        LOG.debugf("Telling %s in %s: %s", user, roomId, text);
        // In a direct chat the IRC user's ghost answers: the bot is not in it. Looked up in the store on the room's
        // lane, not here: this may run on an IRC input thread (a refused line), which must not wait for the database.
        return lanes.submit(roomId, () -> homeserver.sendMessage(
                directChats.byRoom(roomId).map(chat -> names.ghostUserId(chat.network(), chat.nick())).orElse(null),
                roomId, content)).handle((sent, failure) -> {
            if (failure == null) {
                return null;
            }
            if (Failures.cause(failure) instanceof java.util.concurrent.RejectedExecutionException stopping) {
                if (eventId != null) {
                    answered.remove(eventId);
                }
                throw stopping;
            }
            if (RetriesHandlersThatFailForAMoment.classify(Failures.cause(failure)) == RetriesHandlersThatFailForAMoment.Kind.TRANSIENT) {
                // The homeserver could not take it for now (5xx, 429, no connection) even after its client's retries:
                // the message is neither done nor said failed, so it stays in the store and is handled again at the
                // next start. Failing as "refused work" is what leaves it there (any other failure is marked done);
                // its room's lane is not held, since this is the event's later effect, not its handling.
                if (eventId != null) {
                    answered.remove(eventId);
                }
                LOG.errorf("Could not tell %s in %s that a message did not reach IRC (%s): %s; the message is handled again at the next start",
                        user, roomId, text, failure.getMessage());
                throw new java.util.concurrent.RejectedExecutionException("the answer could not be posted", Failures.cause(failure));
            }
            // Refused for good (a 4xx): trying again at every start would not mend it.
            LOG.errorf("Could not tell %s in %s that a message did not reach IRC (%s): %s", user, roomId, text, failure.getMessage());
            return null;
        });
    }

    private String networkName(String network) {
        return networks.displayName(network);
    }
}
