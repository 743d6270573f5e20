package net.ircbridge.bridge.admin;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MessageContent;
import net.ircbridge.matrix.MessageSent;
import net.ircbridge.matrix.RemovesSecretsBeforeStoring;

/**
 * A {@code !login} message carries an IRC password: the transaction inbox stores it with the command's words replaced
 * (so neither the database, its log nor a backup ever holds the password), while the command itself runs on the
 * message as it came. Any message whose text starts with {@code !login} counts, in any room and edits included
 * ({@code * !login …}): keeping too much off the disk costs nothing, a password on it cannot be taken back. If the
 * bridge stops before the command ran, the stored copy is all that is left: {@link LoginCommand} then asks the user
 * to say it again.
 */
@ApplicationScoped
public class KeepsLoginPasswordsOutOfTheStore implements RemovesSecretsBeforeStoring {

    /** What is left of the command's words in the stored copy. */
    static final String PASSWORD_NOT_KEPT = "(password not kept)";
    private static final String COMMAND = "!login";

    @Override
    public Optional<MessageContent> contentToStore(MatrixEvent event) {
        if (!carriesLoginPassword(event)) {
            return Optional.empty();
        }
        // Everything but the routing fields and a content that says what it was; relations and formatting go too.
        return Optional.of(MessageContent.text(COMMAND + " " + PASSWORD_NOT_KEPT));
    }

    /** Whether a message is (or edits a message to) a {@code !login} command, whose words may hold a password. */
    static boolean carriesLoginPassword(MatrixEvent event) {
        if (!(event instanceof MessageSent message) || message.isSticker()) {
            return false;
        }
        return startsWithCommand(message.message().body())
                || message.replacement() != null && startsWithCommand(message.replacement().body());
    }

    private static boolean startsWithCommand(String text) {
        if (text == null) {
            return false;
        }
        int start = 0;
        // Leading blanks and an edit's "* " are looked past; only the first few characters are ever read.
        while (start < text.length() && start < 64 && (Character.isWhitespace(text.charAt(start))
                || Character.isSpaceChar(text.charAt(start)) || text.charAt(start) == '*')) {
            start++;
        }
        return text.regionMatches(true, start, COMMAND, 0, COMMAND.length());
    }
}
