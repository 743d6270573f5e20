package net.ircbridge.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.irc.IrcUserConnections;
import net.ircbridge.irc.IrcUserConnections.UserConnection;
import net.ircbridge.irc.MessageKind;
import net.ircbridge.irc.SplitsMessagesIntoIrcLines;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.LinksToMedia;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.store.PortalRoomStore;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * What Matrix users say in a bridged room is said on its channel by their own IRC connection: {@code m.text} as
 * {@code PRIVMSG}, {@code m.notice} as {@code NOTICE}, {@code m.emote} as {@code ACTION}, formatting translated,
 * cut into lines that fit by bytes (counting the prefix the server adds when it relays them). A message longer than
 * {@code relay.max-lines} lines is uploaded to the homeserver's media repository and IRC gets its first line with a
 * link to the whole text.
 *
 * <p>Order: a user's messages leave in the order the room has them (one queue per user and network, so a user
 * waiting for their connection or their token bucket holds up only themselves). A message sent while the
 * user's connection is still connecting or joining waits for it (up to {@link #JOIN_WAIT_SECONDS} seconds);
 * one that cannot be sent is answered in the room with the reason ({@link SaysWhyMessagesDidNotReachIrc}).
 *
 * <p>Messages from ghosts and from the bot are IRC's own lines coming back: they are never sent again.
 */
@ApplicationScoped
public class RelaysMatrixMessagesToIrc implements HandlesMatrixEvent {

    private static final Logger LOG = Logger.getLogger(RelaysMatrixMessagesToIrc.class);
    /** How long a message waits for its sender's connection to be registered and on the channel. */
    static final int JOIN_WAIT_SECONDS = 30;

    private final PortalRoomStore portals;
    private final IrcUserConnections connections;
    private final MatrixNames names;
    private final HomeserverClient homeserver;
    private final RoomLanes lanes;
    private final SaysWhyMessagesDidNotReachIrc failures;
    private final RemembersRecentMessages recent;
    private final RelayConfig relay;
    private final LinksToMedia links;
    private final Texts texts;

    public RelaysMatrixMessagesToIrc(PortalRoomStore portals, IrcUserConnections connections, MatrixNames names,
            HomeserverClient homeserver, RoomLanes lanes, SaysWhyMessagesDidNotReachIrc failures, RemembersRecentMessages recent,
            RelayConfig relay, LinksToMedia links, Texts texts) {
        this.relay = relay;
        this.links = links;
        this.texts = texts;
        this.portals = portals;
        this.connections = connections;
        this.names = names;
        this.homeserver = homeserver;
        this.lanes = lanes;
        this.failures = failures;
        this.recent = recent;
    }

    /**
     * What goes to IRC for one Matrix message: how, the text (lines separated by '\n', IRC formatting), and the
     * plain text that is uploaded when the message is too long for IRC.
     */
    public record Outgoing(MessageKind kind, String text, String plain) {
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event) {
        if (!"m.room.message".equals(event.type()) || isBridged(event.sender())) {
            return done();
        }
        Optional<PortalRoom> room = portals.byRoom(event.roomId());
        if (room.isEmpty()) {
            return done();
        }
        Optional<Outgoing> outgoing = outgoing(room.get().network(), event.content());
        outgoing.ifPresent(o -> relay(room.get(), event.sender(), event.eventId(), o));
        return done();
    }

    /** Whether a user is the bridge's own (the bot or a ghost): their messages came from IRC. */
    public boolean isBridged(String user) {
        return user == null || user.equals(homeserver.botUserId()) || names.parseGhost(user).isPresent();
    }

    /** The IRC form of a message's content, or nothing for contents that don't go to IRC. */
    public Optional<Outgoing> outgoing(String network, JsonNode content) {
        String msgtype = content.path("msgtype").asText("");
        MessageKind kind = switch (msgtype) {
            case "m.emote" -> MessageKind.ACTION;
            case "m.notice" -> MessageKind.NOTICE;
            default -> MessageKind.MESSAGE;
        };
        String text = ircText(network, content);
        return text.isBlank() ? Optional.empty() : Optional.of(new Outgoing(kind, text, content.path("body").asText(text)));
    }

    /** The text of a content: its HTML translated to IRC formatting when it has some, else its body. */
    public String ircText(String network, JsonNode content) {
        String html = content.path("formatted_body").asText("");
        if ("org.matrix.custom.html".equals(content.path("format").asText()) && !html.isEmpty()) {
            return TranslatesHtmlToIrcFormatting.translate(html, (userId, pillText) -> nickOf(network, userId, pillText));
        }
        return content.path("body").asText("");
    }

    /** A mentioned user's IRC nick: a ghost's nick, a Matrix user's own nick, or the pill's text. */
    public String nickOf(String network, String userId, String pillText) {
        Optional<MatrixNames.IrcName> ghost = names.parseGhost(userId).filter(g -> g.network().equals(network));
        if (ghost.isPresent()) {
            // The pill shows the nick as the ghost's display name, in its real case; the id has it folded.
            return MatrixNames.fold(pillText).equals(ghost.get().name()) ? pillText : ghost.get().name();
        }
        Optional<String> nick = connections.find(network, userId).map(UserConnection::nick);
        if (nick.isPresent() && nick.get() != null) {
            return nick.get();
        }
        return pillText.isBlank() ? userId : pillText;
    }

    /**
     * Sends a message to a channel through the user's connection, on the user's queue; answers in the room when it
     * cannot.
     */
    void relay(PortalRoom room, String user, String eventId, Outgoing outgoing) {
        String network = room.network();
        String channel = room.channel();
        Optional<UserConnection> connection = connections.find(network, user);
        if (connection.isEmpty()) {
            failures.notConnected(network, user, channel, room.roomId(), eventId);
            return;
        }
        lanes.submit(queueOf(network, user), () -> connection.get().ready()
                .thenCompose(c -> c.whenOn(channel).copy().orTimeout(JOIN_WAIT_SECONDS, TimeUnit.SECONDS).thenApply(on -> c))
                .thenCompose(c -> send(c, channel, outgoing).thenRun(() -> {
                    failures.sent(network, user, channel, room.roomId(), eventId);
                    recent.remember(eventId, c.nick(), SplitsMessagesIntoIrcLines.clean(
                            net.ircbridge.irc.IrcFormatting.strip(outgoing.text().replace('\n', ' '))));
                }))
                .exceptionally(failure -> {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    LOG.debugf("%s's message %s did not reach %s: %s", user, eventId, channel, cause.toString());
                    if (cause instanceof TimeoutException || cause instanceof IrcUserConnections.JoinRefusedException) {
                        failures.notOnChannel(network, user, channel, room.roomId(), eventId,
                                cause instanceof TimeoutException ? null : cause.getMessage());
                    } else {
                        failures.notConnected(network, user, channel, room.roomId(), eventId);
                    }
                    return null;
                }));
    }

    /** The queue of one user's lines to one network. */
    static String queueOf(String network, String user) {
        return "to-irc\n" + network + "\n" + user;
    }

    /**
     * Cuts the text into lines that fit and hands them to the connection. A message of more than
     * {@code relay.max-lines} lines is uploaded to the media repository as a text file instead, and IRC gets its
     * first line with a link to it; if the upload fails, every line is sent.
     */
    public CompletableFuture<Void> send(UserConnection connection, String target, Outgoing outgoing) {
        int budget = connection.textBytes(target, outgoing.kind());
        List<String> lines = SplitsMessagesIntoIrcLines.split(outgoing.text(), budget);
        if (lines.size() <= relay.maxLines()) {
            connection.send(target, outgoing.kind(), lines);
            return CompletableFuture.completedFuture(null);
        }
        byte[] whole = outgoing.plain().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return homeserver.uploadMedia(whole, "text/plain; charset=utf-8", LONG_MESSAGE_FILE)
                .thenApply(mxc -> links.link(mxc, LONG_MESSAGE_FILE).orElseThrow())
                .handle((url, failure) -> {
                    if (failure != null) {
                        LOG.warnf("Could not upload a long message to %s (%s); sending its %d lines", target, failure.getMessage(),
                                lines.size());
                        connection.send(target, outgoing.kind(), lines);
                        return null;
                    }
                    String template = texts.templates().longMessage();
                    // The template's own words and the link, measured with a one-letter line.
                    int room = budget - (SplitsMessagesIntoIrcLines.bytes(Texts.fill(template, "line", "x", "url", url)) - 1);
                    String first = SplitsMessagesIntoIrcLines.split(outgoing.text(), room).get(0);
                    connection.send(target, outgoing.kind(), List.of(Texts.fill(template, "line", first, "url", url)));
                    return null;
                });
    }

    /** The name long messages are uploaded under. */
    static final String LONG_MESSAGE_FILE = "message.txt";

    private static CompletionStage<?> done() {
        return CompletableFuture.completedFuture(null);
    }
}
