package net.ircbridge.bridge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
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
    private final PortalRoomStore portals;
    private final DirectChatStore directChats;
    private final MatrixNames names;
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    /** The latest Matrix message each user sent to each IRC target: network, user, folded target. */
    private final Map<String, Sent> latest = new ConcurrentHashMap<>();
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

    public SaysWhyMessagesDidNotReachIrc(HomeserverClient homeserver, RoomLanes lanes, Texts texts, PortalRoomStore portals,
            DirectChatStore directChats, MatrixNames names, IrcConfig irc) {
        this.directChats = directChats;
        this.names = names;
        this.homeserver = homeserver;
        this.lanes = lanes;
        this.texts = texts;
        this.portals = portals;
        irc.networks().forEach(n -> networkNames.put(n.id(), n.displayName()));
    }

    private static String key(String network, String user, String target) {
        return network + "\n" + user + "\n" + MatrixNames.fold(target);
    }

    /** A user's message (or topic) has been handed to their connection for a target. */
    public void sent(String network, String user, String target, String roomId, String eventId) {
        latest.put(key(network, user, target), new Sent(roomId, eventId));
    }

    /**
     * The user has no IRC connection to the network; {@code reason} is why, when a connection was tried (null
     * otherwise). The answer is queued on the room's lane, not waited for.
     */
    public void notConnected(String network, String user, String target, String roomId, String eventId, String reason) {
        answer(roomId, eventId, user, Texts.fill(texts.templates().notConnected(), "user", user, "target", target,
                "network", networkName(network), "reason", reason == null ? "" : IrcText.clean(reason)));
    }

    /**
     * The user's connection is not on the channel: the server refused the join ({@code reason}), or it has not
     * joined in time (no reason). Queued, not waited for.
     */
    public void notOnChannel(String network, String user, String target, String roomId, String eventId, String reason) {
        answer(roomId, eventId, user, Texts.fill(texts.templates().notOnChannel(), "user", user, "target", target,
                "network", networkName(network), "reason", reason == null ? "" : IrcText.clean(reason)));
    }

    /**
     * The user's message (or topic) was not sent because its target cannot be named on IRC (a ghost whose user id
     * decodes to a mask, say; see {@link net.ircbridge.irc.BuildsIrcLines}). Queued, not waited for.
     */
    public void cannotName(String network, String user, String target, String roomId, String eventId) {
        answer(roomId, eventId, user, Texts.fill(texts.templates().notAnIrcName(), "user", user, "target", IrcText.clean(target),
                "network", networkName(network)));
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.LineRefused refused)) {
            return;
        }
        Sent sent = latest.get(key(refused.network(), refused.owner(), refused.target()));
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

    private void answer(String roomId, String eventId, String user, String text) {
        if (eventId != null && !answered.add(eventId)) {
            return;
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("msgtype", "m.notice").put("body", text);
        content.putObject("m.mentions").putArray("user_ids").add(user);
        if (eventId != null) {
            content.putObject("m.relates_to").putObject("m.in_reply_to").put("event_id", eventId);
        }
        LOG.debugf("Telling %s in %s: %s", user, roomId, text);
        // In a direct chat the IRC user's ghost answers: the bot is not in it.
        String speaker = directChats.byRoom(roomId).map(chat -> names.ghostUserId(chat.network(), chat.nick())).orElse(null);
        lanes.submit(roomId, () -> homeserver.sendMessage(speaker, roomId, "m.room.message", content)).exceptionally(failure -> {
            LOG.errorf("Could not tell %s in %s that a message did not reach IRC (%s): %s", user, roomId, text, failure.getMessage());
            return null;
        });
    }

    private String networkName(String network) {
        return networkNames.getOrDefault(network, network);
    }
}
