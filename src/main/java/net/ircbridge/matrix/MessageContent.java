package net.ircbridge.matrix;

import java.util.List;

/**
 * An {@code m.room.message} content the bridge sends: a text, notice or emote, with HTML, the users it mentions and
 * the message it answers, each left out when null.
 *
 * @param html      the formatted body ({@code org.matrix.custom.html})
 * @param mentions  the users it mentions ({@code m.mentions.user_ids}); an empty list says it mentions no one
 * @param inReplyTo the event it answers ({@code m.in_reply_to})
 */
public record MessageContent(String msgtype, String body, String html, List<String> mentions, String inReplyTo) {

    /** A notice (what bots say): plain text, no mentions. */
    public static MessageContent notice(String body) {
        return new MessageContent("m.notice", body, null, null, null);
    }

    /** A plain text message. */
    public static MessageContent text(String body) {
        return new MessageContent("m.text", body, null, null, null);
    }

    /** A message of any type, without HTML, mentions or reply. */
    public static MessageContent of(String msgtype, String body) {
        return new MessageContent(msgtype, body, null, null, null);
    }

    /** The same message, formatted as this HTML. */
    public MessageContent withHtml(String formatted) {
        return new MessageContent(msgtype, body, formatted, mentions, inReplyTo);
    }

    /** The same message, saying it mentions exactly these users. */
    public MessageContent mentioning(List<String> userIds) {
        return new MessageContent(msgtype, body, html, List.copyOf(userIds), inReplyTo);
    }

    /** The same message, as an answer to an event. */
    public MessageContent replyingTo(String eventId) {
        return new MessageContent(msgtype, body, html, mentions, eventId);
    }
}
