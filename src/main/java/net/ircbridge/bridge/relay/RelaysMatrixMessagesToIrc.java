package net.ircbridge.bridge.relay;

import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.formatting.TranslatesHtmlToIrcFormatting;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.irc.IrcFormatting;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.irc.MessageKind;
import net.ircbridge.irc.SplitsMessagesIntoIrcLines;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.LinksToMedia;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MessageBody;
import net.ircbridge.matrix.MessageSent;
import net.ircbridge.matrix.Reacted;
import net.ircbridge.matrix.Relation;
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
 * user's connection is still connecting or joining, or before it is made (again) at a start or a reconnect, waits
 * for it (up to {@link SpeaksOnChannelsAsTheUser#WAIT_SECONDS} seconds); one that cannot be sent is answered in the room with the reason
 * ({@link SaysWhyMessagesDidNotReachIrc}). The message's event is done (not handed on again after a crash) only
 * once its lines have left the token bucket, or the answer is in the room.
 *
 * <p>Messages from ghosts and from the bot are IRC's own lines coming back: they are never sent again.
 */
@ApplicationScoped
public class RelaysMatrixMessagesToIrc implements HandlesMatrixEvent {

    private static final Logger LOG = Logger.getLogger(RelaysMatrixMessagesToIrc.class);

    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final MatrixNames names;
    private final HomeserverClient homeserver;
    private final SpeaksOnChannelsAsTheUser speaker;
    private final RemembersRecentMessages recent;
    private final RelayConfig relay;
    private final LinksToMedia links;
    private final Texts texts;

    public RelaysMatrixMessagesToIrc(ShowsIrcState connections, PerformsIrcIntents irc, MatrixNames names,
            HomeserverClient homeserver, SpeaksOnChannelsAsTheUser speaker, RemembersRecentMessages recent,
            RelayConfig relay, LinksToMedia links, Texts texts) {
        this.relay = relay;
        this.links = links;
        this.texts = texts;
        this.connections = connections;
        this.irc = irc;
        this.names = names;
        this.homeserver = homeserver;
        this.speaker = speaker;
        this.recent = recent;
    }

    /**
     * What goes to IRC for one Matrix message: how, the text (lines separated by '\n', IRC formatting), the plain
     * text that is uploaded when the message is too long for IRC, and the message it quotes (a reply or a
     * reaction), if any.
     */
    public record Outgoing(MessageKind kind, String text, String plain, Quote quote, boolean cut) {

        /** A message whose text is whole. */
        public Outgoing(MessageKind kind, String text, String plain, Quote quote) {
            this(kind, text, plain, quote, false);
        }
    }

    /**
     * A message quoted on IRC: the text becomes {@code template} filled with the original's {nick} and {quote} and
     * this message's {text}. {@code readAs} may read the original from the homeserver (null: the bot).
     */
    public record Quote(String roomId, String eventId, String readAs, String template) {
    }

    /** Whether a Matrix event carries conversation to IRC (a message, a sticker, a reaction). */
    static boolean isConversation(MatrixEvent event) {
        return event instanceof MessageSent || event instanceof Reacted;
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        if (!isConversation(event) || isBridged(event.sender())) {
            return HandlesMatrixEvent.done();
        }
        Optional<PortalRoom> room = portal;
        if (room.isEmpty()) {
            return HandlesMatrixEvent.done();
        }
        Optional<Outgoing> outgoing = outgoing(room.get().network(), event, null);
        if (outgoing.isEmpty()) {
            return HandlesMatrixEvent.done();
        }
        // The room's lane goes on at once (the user's token bucket holds up only them); the event is done when this is.
        return HandlesMatrixEvent.later(relay(room.get(), event.sender(), event.eventId(), outgoing.get()));
    }

    /** Whether a user is the bridge's own (the bot or a ghost): their messages came from IRC. */
    public boolean isBridged(String user) {
        return user == null || names.isBridgeUser(user);
    }

    /**
     * The IRC form of a message (text, notice, emote, edit, reply, file, sticker) or a reaction, or nothing for
     * events that don't go to IRC (a reaction when {@code relay.reactions} is off, an empty message).
     *
     * @param readAs who may read the messages it quotes (null: the bot)
     */
    public Optional<Outgoing> outgoing(String network, MatrixEvent event, String readAs) {
        if (event instanceof Reacted reaction) {
            Relation relation = reaction.relation();
            String key = relation.key();
            if (!relay.reactions() || !"m.annotation".equals(relation.relType()) || key.isBlank()) {
                return Optional.empty();
            }
            String template = Texts.fillAsIs(texts.templates().reaction(), "reaction", key);
            return Optional.of(new Outgoing(MessageKind.ACTION, "", "", new Quote(event.roomId(),
                    relation.eventId(), readAs, template)));
        }
        if (!(event instanceof MessageSent message)) {
            return Optional.empty();
        }
        MessageBody content = message.message();
        Relation relation = message.relation();
        if (message.isEdit()) {
            // An edit: IRC can't change a line, so the corrected message is said again, marked as such.
            MessageBody edited = message.replacement();
            TranslatesHtmlToIrcFormatting.Translated body = bodyText(network, edited, false);
            String text = Texts.fillAsIs(texts.templates().edit(), "text", body.text());
            String plain = Texts.fillAsIs(texts.templates().edit(), "text", edited.bodyOr(""));
            return text.isBlank() ? Optional.empty() : Optional.of(new Outgoing(kindOf(edited), text, plain, null, body.cut()));
        }
        boolean reply = relation.isReply();
        TranslatesHtmlToIrcFormatting.Translated body = message.isSticker()
                ? new TranslatesHtmlToIrcFormatting.Translated(media(content), false) : bodyText(network, content, reply);
        String text = body.text();
        if (text.isBlank()) {
            return Optional.empty();
        }
        String plain = reply ? withoutReplyFallback(content.bodyOr(text)) : content.bodyOr(text);
        Quote quote = reply ? new Quote(event.roomId(), relation.inReplyTo(), readAs, texts.templates().reply()) : null;
        return Optional.of(new Outgoing(kindOf(content), text, plain, quote, body.cut()));
    }

    private static MessageKind kindOf(MessageBody content) {
        return switch (content.msgtype()) {
            case "m.emote" -> MessageKind.ACTION;
            case "m.notice" -> MessageKind.NOTICE;
            default -> MessageKind.MESSAGE;
        };
    }

    /**
     * The IRC text of a message's content: a file's link, or its text (without a reply's fallback quote), cut if
     * its HTML translates to more than IRC could be sent.
     */
    private TranslatesHtmlToIrcFormatting.Translated bodyText(String network, MessageBody content, boolean reply) {
        String msgtype = content.msgtype();
        if (java.util.Set.of("m.image", "m.file", "m.audio", "m.video").contains(msgtype)) {
            return new TranslatesHtmlToIrcFormatting.Translated(media(content), false);
        }
        TranslatesHtmlToIrcFormatting.Translated text = translated(network, content);
        return reply && !content.isHtml() ? new TranslatesHtmlToIrcFormatting.Translated(withoutReplyFallback(text.text()), false) : text;
    }

    /**
     * A file as IRC sees it: its caption (or name) and a link to it, served by the bridge (homeservers serve media
     * to their own users only).
     */
    private String media(MessageBody content) {
        String body = content.bodyOr("");
        String filename = content.filename() == null ? body : content.filename();
        String caption = !filename.isEmpty() && !filename.equals(body) ? body : filename;
        Optional<String> link = links.link(content.url(), filename.isBlank() ? "file" : filename);
        return link.map(l -> (caption.isBlank() ? "" : caption.replace('\n', ' ') + " ") + l).orElse(body);
    }

    /** A reply's body without the fallback quote clients put before it ("> <@user> original" lines, a blank line). */
    static String withoutReplyFallback(String body) {
        if (!body.startsWith(">")) {
            return body;
        }
        String[] lines = body.split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].startsWith(">")) {
            i++;
        }
        if (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        return String.join("\n", java.util.Arrays.copyOfRange(lines, i, lines.length));
    }

    /** The text an outgoing message has on IRC once the message it quotes is known. */
    CompletableFuture<Outgoing> withQuote(String network, Outgoing outgoing) {
        Quote quote = outgoing.quote();
        if (quote == null) {
            return CompletableFuture.completedFuture(outgoing);
        }
        return original(network, quote).handle((said, failure) -> {
            RemembersRecentMessages.Said original = failure == null ? said : new RemembersRecentMessages.Said("", "");
            String cut = cut(original.text(), relay.replyQuoteLength());
            String text = fill(quote.template(), original.nick(), cut, outgoing.text());
            String plain = fill(quote.template(), original.nick(), cut, outgoing.plain());
            return new Outgoing(outgoing.kind(), text, plain, null, outgoing.cut());
        });
    }

    private static String fill(String template, String nick, String quote, String text) {
        return Texts.fillAsIs(template, "nick", nick, "quote", quote, "text", text);
    }

    /** Who said the quoted message and what: from the recent messages, or from the homeserver. */
    private CompletableFuture<RemembersRecentMessages.Said> original(String network, Quote quote) {
        Optional<RemembersRecentMessages.Said> known = recent.recall(quote.eventId());
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        return homeserver.event(quote.readAs(), quote.roomId(), quote.eventId()).thenApply(event -> {
            String sender = event.sender() == null ? "" : event.sender();
            String nick = nickOf(network, sender, sender.startsWith("@") ? sender.substring(1, sender.indexOf(':') > 0
                    ? sender.indexOf(':') : sender.length()) : sender);
            String text = !(event instanceof MessageSent message) ? ""
                    : message.replacement() != null ? message.replacement().bodyOr("")
                    : withoutReplyFallback(message.message().bodyOr(""));
            return new RemembersRecentMessages.Said(nick, text);
        });
    }

    /** The start of a text, on one line, at most {@code length} characters (with "…" when cut). */
    static String cut(String text, int length) {
        String line = IrcFormatting.strip(text).replaceAll("\\s+", " ").strip();
        if (line.codePointCount(0, line.length()) <= length) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, Math.max(0, length))).stripTrailing() + "…";
    }

    /** The text of a content: its HTML translated to IRC formatting when it has some, else its body. */
    public String ircText(String network, MessageBody content) {
        return translated(network, content).text();
    }

    /**
     * {@link #ircText}, and whether the translation was cut: it stops past what {@code relay.max-lines} lines can
     * hold (512 characters a line, one line more), since IRC never gets more; a cut message is linked to in full.
     */
    private TranslatesHtmlToIrcFormatting.Translated translated(String network, MessageBody content) {
        String html = content.formattedBody();
        if (content.isHtml()) {
            int maxLength = (int) Math.min(Integer.MAX_VALUE, (Math.max(1, relay.maxLines()) + 1L) * 512);
            return TranslatesHtmlToIrcFormatting.translate(html, (userId, pillText) -> nickOf(network, userId, pillText), maxLength);
        }
        return new TranslatesHtmlToIrcFormatting.Translated(content.bodyOr(""), false);
    }

    /** A mentioned user's IRC nick: a ghost's nick, a Matrix user's own nick, or the pill's text. */
    public String nickOf(String network, String userId, String pillText) {
        Optional<MatrixNames.IrcName> ghost = names.parseGhost(userId).filter(g -> g.network().equals(network));
        if (ghost.isPresent()) {
            // The pill shows the nick as the ghost's display name, in its real case; the id has it folded.
            return MatrixNames.fold(pillText).equals(ghost.get().name()) ? pillText : ghost.get().name();
        }
        Optional<String> nick = connections.find(network, userId).map(UserConnectionView::nick);
        if (nick.isPresent() && nick.get() != null) {
            return nick.get();
        }
        return pillText.isBlank() ? userId : pillText;
    }

    /**
     * Sends a message to a channel through the user's connection, on the user's queue, waiting for the connection
     * as {@link SpeaksOnChannelsAsTheUser} does; answers in the room when it cannot.
     *
     * @return completes once the message's lines have left the user's token bucket for the socket, or the reason
     *         it did not go was sent to the room; fails with a {@link java.util.concurrent.RejectedExecutionException}
     *         when the bridge stops first (the message is then sent after the next start)
     */
    CompletableFuture<Void> relay(PortalRoom room, String user, String eventId, Outgoing outgoing) {
        return speaker.say(room, user, eventId, "message", c -> send(c, room.channel(), outgoing)
                .thenRun(() -> recent.remember(eventId, c.nick(), outgoing.plain())));
    }

    /**
     * Cuts the text into lines that fit and hands them to the connection; completes once they have left its token
     * bucket (see {@link IrcIntent.Say}). A message of more than
     * {@code relay.max-lines} lines, or one whose translation was cut, is uploaded to the media repository as a text
     * file instead, and IRC gets its first line with a link to it; if the upload fails, every line is sent.
     */
    public CompletableFuture<Void> send(UserConnectionView connection, String target, Outgoing outgoing) {
        if (outgoing.quote() != null) {
            return withQuote(connection.network(), outgoing).thenCompose(quoted -> send(connection, target, quoted));
        }
        int budget = connection.textBytes(target, outgoing.kind());
        List<String> lines = SplitsMessagesIntoIrcLines.split(outgoing.text(), budget);
        if (lines.size() <= relay.maxLines() && !outgoing.cut()) {
            return irc.perform(new IrcIntent.Say(connection, target, outgoing.kind(), lines));
        }
        byte[] whole = outgoing.plain().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return homeserver.uploadMedia(whole, "text/plain; charset=utf-8", LONG_MESSAGE_FILE)
                .thenApply(mxc -> links.link(mxc, LONG_MESSAGE_FILE).orElseThrow())
                .handle((url, failure) -> {
                    if (failure != null) {
                        LOG.warnf("Could not upload a long message to %s (%s); sending its %d lines", target, failure.getMessage(),
                                lines.size());
                        return irc.perform(new IrcIntent.Say(connection, target, outgoing.kind(), lines));
                    }
                    String template = texts.templates().longMessage();
                    // The template's own words and the link, measured with a one-letter line.
                    int room = budget - (SplitsMessagesIntoIrcLines.bytes(Texts.fillAsIs(template, "line", "x", "url", url)) - 1);
                    String first = SplitsMessagesIntoIrcLines.split(outgoing.text(), room).get(0);
                    return irc.perform(new IrcIntent.Say(connection, target, outgoing.kind(),
                            List.of(Texts.fillAsIs(template, "line", first, "url", url))));
                }).thenCompose(sent -> sent);
    }

    /** The name long messages are uploaded under. */
    static final String LONG_MESSAGE_FILE = "message.txt";
}
