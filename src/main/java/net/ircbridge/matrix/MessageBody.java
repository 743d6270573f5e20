package net.ircbridge.matrix;

/**
 * What a message says, as a client sent it: the content of an {@code m.room.message} or {@code m.sticker}, or the
 * corrected content of an edit ({@code m.new_content}).
 *
 * @param msgtype       {@code m.text}, {@code m.notice}, {@code m.emote}, {@code m.image}, ...; "" when none
 * @param body          the plain text, null when the content has none
 * @param format        the format of {@code formattedBody} ({@code org.matrix.custom.html}), "" when none
 * @param formattedBody the formatted text, "" when none
 * @param url           a file's {@code mxc://} URI, null when none
 * @param filename      a file's name, null when none
 */
public record MessageBody(String msgtype, String body, String format, String formattedBody, String url, String filename) {

    /** A content with nothing in it. */
    public static final MessageBody EMPTY = new MessageBody("", null, "", "", null, null);

    /** The body, or {@code otherwise} when there is none. */
    public String bodyOr(String otherwise) {
        return body == null ? otherwise : body;
    }

    /** Whether the message has HTML to read (formatted as {@code org.matrix.custom.html}, not empty). */
    public boolean isHtml() {
        return "org.matrix.custom.html".equals(format) && !formattedBody.isEmpty();
    }
}
