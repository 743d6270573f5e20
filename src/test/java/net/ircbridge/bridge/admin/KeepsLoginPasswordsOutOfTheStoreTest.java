package net.ircbridge.bridge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.matrix.MessageBody;
import net.ircbridge.matrix.MessageContent;
import net.ircbridge.matrix.MessageSent;
import net.ircbridge.matrix.Relation;
import org.junit.jupiter.api.Test;

class KeepsLoginPasswordsOutOfTheStoreTest {

    private static final MatrixEvent.Envelope ENVELOPE = new MatrixEvent.Envelope("m.room.message", "!r:hs", "@u:hs", "$e", null, 0);
    private final KeepsLoginPasswordsOutOfTheStore rule = new KeepsLoginPasswordsOutOfTheStore();

    private static MessageSent message(String body) {
        return new MessageSent(ENVELOPE, text(body), Relation.NONE, null);
    }

    private static MessageSent edit(String body, String corrected) {
        return new MessageSent(ENVELOPE, text(body), new Relation("m.replace", "$before", "", "", false), text(corrected));
    }

    private static MessageBody text(String body) {
        return new MessageBody("m.text", body, "", "", null, null);
    }

    @Test
    void storesALoginWithoutItsWords() {
        MessageSent login = new MessageSent(ENVELOPE, new MessageBody("m.text", "!login acct hunter2", "org.matrix.custom.html",
                "<p>!login acct hunter2</p>", null, null), Relation.NONE, null);
        MessageContent stored = rule.contentToStore(login).orElseThrow();
        assertFalse(stored.toString().contains("hunter2"), stored::toString);
        assertEquals(MessageContent.text("!login (password not kept)"), stored);
    }

    @Test
    void scrubsEditsUpperCaseAndLeadingBlanksToo() {
        assertTrue(rule.contentToStore(edit("* !login acct pw", "!login acct pw")).isPresent());
        assertTrue(rule.contentToStore(edit("x", "!login acct pw")).isPresent());
        assertTrue(rule.contentToStore(message("  !LOGIN acct pw")).isPresent());
        assertTrue(rule.contentToStore(message("!login\u2003acct\u2003pw")).isPresent());
    }

    @Test
    void leavesOtherMessagesAndEventsAsTheyAre() {
        assertTrue(rule.contentToStore(message("!help")).isEmpty());
        assertTrue(rule.contentToStore(message("how do I !login?")).isEmpty());
        assertTrue(rule.contentToStore(message("42")).isEmpty());
        assertTrue(rule.contentToStore(message(null)).isEmpty());
        assertTrue(rule.contentToStore(new MemberChanged(new MatrixEvent.Envelope("m.room.member", "!r:hs", "@u:hs", "$m", "@u:hs", 0),
                "join", "", "", "!login a b", null, false, false)).isEmpty());
    }
}
