package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.ircbridge.irc.BuildsIrcLines.Line;
import net.ircbridge.irc.BuildsIrcLines.Rules;
import org.junit.jupiter.api.Test;

class BuildsIrcLinesTest {

    /** {@code :Alice[m]!~alice@127.0.0.1 }: 27 bytes. */
    private static final int PREFIX = BuildsIrcLines.relayPrefixBytes("Alice[m]", 30, "~alice", "127.0.0.1");

    private static BuildsIrcLines.Builder line(String command) {
        return BuildsIrcLines.line(Rules.DEFAULT, PREFIX, command);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void theRelayPrefixCountsTheLongestUserAndHostWhileTheyAreUnknown() {
        assertEquals(bytes(":Alice[m]!~alice@127.0.0.1 "), PREFIX);
        assertEquals(bytes(":" + "n".repeat(30) + "!" + "u".repeat(11) + "@" + "h".repeat(63) + " "),
                BuildsIrcLines.relayPrefixBytes(null, 30, null, null));
    }

    @Test
    void aShortLineIsSentAsItIs() {
        Line kick = line("KICK").channel("#chan").nick("bob").trailing("stop spamming").build();
        assertEquals("KICK #chan bob :stop spamming", kick.text());
        assertEquals("stop spamming", kick.trailing());
    }

    @Test
    void aLongReasonIsCutSoThatTheLineWithTheServersPrefixFits512Bytes() {
        Line kick = line("KICK").channel("#chan").nick("bob").trailing("x".repeat(500)).build();
        assertEquals(510, PREFIX + bytes(kick.text()));
        assertTrue(kick.text().startsWith("KICK #chan bob :xxx"), kick.text());
    }

    @Test
    void aCutNeverSplitsAMultiByteCharacter() {
        for (String ch : new String[] {"é", "€", "😀"}) {
            for (int pad = 0; pad < 4; pad++) {
                String reason = "x".repeat(pad) + ch.repeat(2000 / bytes(ch));
                Line topic = line("TOPIC").channel("#chan").trailing(reason).build();
                assertTrue(PREFIX + bytes(topic.text()) <= 510, topic.text());
                assertTrue(PREFIX + bytes(topic.text()) > 510 - bytes(ch), "as much as fits: " + bytes(topic.text()));
                assertTrue(reason.startsWith(topic.trailing()), "a prefix of the reason, whole characters only");
                assertFalse(Character.isHighSurrogate(topic.trailing().charAt(topic.trailing().length() - 1)));
            }
        }
    }

    @Test
    void aCutStepsBackToKeepALetterWithItsAccent() {
        // "e" followed by a combining acute accent, many times: a cut between them would strand an accent.
        String reason = "e\u0301".repeat(400);
        String cut = line("PART").channel("#chan").trailing(reason).build().trailing();
        assertTrue(cut.endsWith("e\u0301"), "ends with a whole letter");
        assertTrue(reason.startsWith(cut));
    }

    @Test
    void aGraphemeLongerThanTheLookBackIsCutBetweenCodePointsRatherThanDropped() {
        String zalgo = "a" + "\u0301".repeat(1000);
        String cut = BuildsIrcLines.cut(zalgo, 100, true);
        assertEquals(99, bytes(cut)); // "a" and 49 accents of two bytes each
        assertTrue(zalgo.startsWith(cut));
    }

    @Test
    void carriageReturnLineFeedAndNulNeverReachTheLine() {
        Line part = line("PART").channel("#chan").trailing("see you\r\nQUIT :pwned\u0000").build();
        assertEquals("PART #chan :see you QUIT :pwned", part.text());
        Line message = line("PRIVMSG").target("#chan").text("  indented\rline\n").build();
        assertEquals("PRIVMSG #chan :  indented line ", message.text());
        assertFalse(line("QUIT").trailing("\r\n\u0000".repeat(1000) + "bye").build().text().matches("(?s).*[\\r\\n\\x00].*"));
    }

    @Test
    void aCtcpKeepsItsFramingWhenItsTextIsCut() {
        Line action = line("PRIVMSG").target("#chan").ctcp("ACTION", "waves\u0001 " + "y".repeat(600)).build();
        assertTrue(action.trailing().startsWith("\u0001ACTION waves y"), action.trailing());
        assertTrue(action.trailing().endsWith("\u0001"));
        assertEquals(2, action.trailing().chars().filter(c -> c == 1).count());
        assertEquals(510, PREFIX + bytes(action.text()));
    }

    @Test
    void refusesNicksThatAreMasksListsOrWords() {
        for (String nick : new String[] {"*", "*!*@*", "a b", "a,b", "#chan", ":bob", "", "bob\r\nQUIT", "bob!x@y", "$*"}) {
            IrcLineRefused refused = assertThrows(IrcLineRefused.class, () -> line("KICK").channel("#chan").nick(nick), nick);
            assertEquals(nick, refused.value());
        }
        assertThrows(IrcLineRefused.class, () -> line("PRIVMSG").target("a b"));
        assertThrows(IrcLineRefused.class, () -> line("KICK").channel("#chan").nick("n".repeat(31)));
    }

    @Test
    void aBanMaskIsNeverWiderThanOneNick() {
        assertEquals("MODE #chan +b troll!*@*", line("MODE").channel("#chan").middle("+b").banMask("troll").build().text());
        assertThrows(IrcLineRefused.class, () -> line("MODE").channel("#chan").middle("+b").banMask("*"));
        assertThrows(IrcLineRefused.class, () -> line("MODE").channel("#chan").middle("+b").banMask("*!*@*"));
    }

    @Test
    void refusesChannelsThatBreakTheServersRules() {
        for (String channel : new String[] {"chan", "#a b", "#a,#b", "#x\u0000", "#" + "c".repeat(64), "+chan"}) {
            assertThrows(IrcLineRefused.class, () -> line("TOPIC").channel(channel), channel);
        }
        Rules withPlus = new Rules(30, "#+", 64);
        assertEquals("TOPIC +chan :hi", BuildsIrcLines.line(withPlus, PREFIX, "TOPIC").channel("+chan").trailing("hi").build().text());
    }

    @Test
    void refusesMiddleParametersThatWouldSplitOrEndTheCommand() {
        for (String param : new String[] {"", ":x", "a b", "a\rb", "a\nb", "a\u0000b"}) {
            assertThrows(IrcLineRefused.class, () -> line("PRIVMSG").middle(param), param);
        }
        assertEquals("PRIVMSG NickServ@services.test :LOGOUT",
                line("PRIVMSG").middle("NickServ@services.test").trailing("LOGOUT").build().text());
    }

    @Test
    void wholeTextIsRefusedRatherThanCut() {
        assertEquals("PRIVMSG NickServ :IDENTIFY alice secret",
                line("PRIVMSG").middle("NickServ").whole("IDENTIFY alice secret").build().text());
        IrcLineRefused tooLong = assertThrows(IrcLineRefused.class,
                () -> line("PRIVMSG").middle("NickServ").whole("IDENTIFY alice " + "p".repeat(600)).build());
        assertFalse(tooLong.getMessage().contains("ppp"), "the password is not in the message");
        assertThrows(IrcLineRefused.class, () -> line("PRIVMSG").middle("NickServ").whole("IDENTIFY alice pass\r\nword").build());
    }

    @Test
    void aMessageLineThatFitsStaysAsSplit() {
        String text = "z".repeat(200) + " ünïcødé";
        int room = line("PRIVMSG").target("#chan").room();
        assertEquals(510 - PREFIX - bytes("PRIVMSG #chan :"), room);
        for (String piece : SplitsMessagesIntoIrcLines.split(text.repeat(5), room)) {
            assertEquals(piece, line("PRIVMSG").target("#chan").text(piece).build().trailing());
        }
    }

    @Test
    void theCutReadsNoFurtherThanTheBudget() {
        // A megabyte of text is cut in the time of a few hundred characters: the work is bounded by the budget.
        String huge = "w".repeat(1 << 20);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            BuildsIrcLines.cut(huge, 400, false);
        }
        long perCutMicros = (System.nanoTime() - start) / 1000 / 1000;
        assertTrue(perCutMicros < 500, perCutMicros + " µs per cut");
    }
}
