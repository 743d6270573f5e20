package net.ircbridge.bridge.relay;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.formatting.TranslatesIrcFormattingToHtml;
import net.ircbridge.bridge.membership.MatrixUsersNicks;
import net.ircbridge.bridge.membership.RegistersGhosts;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import net.ircbridge.bridge.formatting.TranslatesIrcFormattingToHtml.MatrixText;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.MessageKind;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.matrix.MessageContent;
import net.ircbridge.store.IrcOutboxStore.OutboxRow;
import net.ircbridge.store.OutboxPayload;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * What IRC users say on a bridged channel is said in its room by their ghosts: {@code PRIVMSG} as {@code m.text},
 * {@code NOTICE} as {@code m.notice}, {@code ACTION} as {@code m.emote}, with IRC's formatting as HTML and the nicks
 * of Matrix users as mentions of them.
 *
 * <p>Only the bot's view of the channel is relayed (each line once, however many of the bridge's connections are on
 * the channel), and lines from Matrix users' own connections are not: they came from Matrix in the first place.
 * A ghost that is not in the room (a message from outside the channel, or a join that failed) cannot speak there:
 * the bot says the line for it, naming the nick.
 */
@ApplicationScoped
public class RelaysIrcMessagesToRooms implements ReceivesIrcEvents, DeliversIrcMessagesToRooms.SaysStoredIrcLines {

    /** The outbox's kind of a channel message. */
    static final String KIND = "message";

    private final PortalDirectory portals;
    private final DeliversIrcMessagesToRooms delivery;
    private final HomeserverClient homeserver;
    private final RegistersGhosts ghosts;
    private final MatrixUsersNicks matrixUsers;
    private final RemembersRecentMessages recent;

    public RelaysIrcMessagesToRooms(PortalDirectory portals, DeliversIrcMessagesToRooms delivery, HomeserverClient homeserver,
            RegistersGhosts ghosts, MatrixUsersNicks matrixUsers, RemembersRecentMessages recent) {
        this.portals = portals;
        this.delivery = delivery;
        this.homeserver = homeserver;
        this.ghosts = ghosts;
        this.matrixUsers = matrixUsers;
        this.recent = recent;
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.MessageSentToChannel said)) {
            return;
        }
        if (matrixUsers.isMatrixUser(said.network(), said.nick())) {
            return; // a Matrix user's own line, already in the room
        }
        // From memory: a line read while the database is down still finds its room, and the outbox keeps it.
        Optional<PortalRoom> room = portals.byChannel(said.network(), MatrixNames.fold(said.channel()));
        if (room.isEmpty()) {
            return;
        }
        MatrixText text = TranslatesIrcFormattingToHtml.translate(said.text(), word -> matrixUsers.userOf(said.network(), word));
        // Stored as what the send needs (the translation is done once, here, in IRC's order of nicks).
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("kind", said.kind().name());
        texts.put("body", text.body());
        if (text.html() != null) {
            texts.put("html", text.html());
        }
        delivery.deliver(room.get(), KIND, said.nick(), new OutboxPayload(texts, text.mentions()));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CompletableFuture<?> say(PortalRoom room, OutboxRow row, OutboxPayload payload, String txnId) {
        List<String> mentions = new ArrayList<>(payload.mentionsOrNone());
        MatrixText text = new MatrixText(payload.text("body", ""), payload.text("html", null), mentions);
        return send(room, row.nick(), MessageKind.valueOf(payload.text("kind", MessageKind.MESSAGE.name())), text, txnId);
    }

    private CompletableFuture<String> send(PortalRoom room, String nick, MessageKind kind, MatrixText text, String txnId) {
        return ghosts.ghost(room.network(), nick)
                .thenCompose(ghost -> homeserver.sendMessage(ghost, room.roomId(), content(kind, text, null), txnId))
                .handle((eventId, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(eventId);
                    }
                    Throwable cause = Failures.cause(failure);
                    if (cause instanceof MatrixException m && m.status() == 403) {
                        return homeserver.sendMessage(null, room.roomId(), content(kind, text, nick), txnId + ".bot");
                    }
                    return CompletableFuture.<String>failedFuture(cause);
                })
                .thenCompose(f -> f)
                .thenApply(eventId -> {
                    recent.remember(eventId, nick, text.body());
                    return eventId;
                });
    }

    /**
     * The message content for a line; {@code saidFor} is the nick when the bot says it for a ghost that is not in the
     * room ("<nick> text", or "* nick text" for an action).
     */
    static MessageContent content(MessageKind kind, MatrixText text, String saidFor) {
        String msgtype = switch (kind) {
            case NOTICE -> "m.notice";
            case ACTION -> saidFor == null ? "m.emote" : "m.text";
            default -> "m.text";
        };
        String plainPrefix = "";
        String htmlPrefix = "";
        if (saidFor != null) {
            plainPrefix = kind == MessageKind.ACTION ? "* " + saidFor + " " : "<" + saidFor + "> ";
            htmlPrefix = TranslatesIrcFormattingToHtml.escape(plainPrefix);
        }
        MessageContent content = MessageContent.of(msgtype, plainPrefix + text.body());
        if (text.html() != null) {
            content = content.withHtml(htmlPrefix + text.html());
        }
        // Always present: without it, clients would guess mentions from display names in the body.
        return content.mentioning(text.mentions());
    }
}
