package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitsMessagesIntoIrcLinesTest {

    private static final char B = IrcFormatting.BOLD;
    private static final char C = IrcFormatting.COLOUR;

    @Test
    void aShortMessageIsOneLine() {
        assertEquals(List.of("hello world"), SplitsMessagesIntoIrcLines.split("hello world", 100));
    }

    @Test
    void aLongMessageIsCutBetweenWordsWithinTheByteLimit() {
        String text = "the quick brown fox jumps over the lazy dog ".repeat(20).strip();
        List<String> lines = SplitsMessagesIntoIrcLines.split(text, 50);
        for (String line : lines) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 50, line);
            assertTrue(!line.startsWith(" ") && !line.endsWith(" "), "cut at a space: '" + line + "'");
        }
        assertEquals(text, String.join(" ", lines));
    }

    @Test
    void aWordLongerThanALineIsCutBetweenCharactersNeverInsideOne() {
        String word = "é😀".repeat(40); // 2- and 4-byte characters
        List<String> lines = SplitsMessagesIntoIrcLines.split(word, 15);
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertTrue(bytes.length <= 15);
            assertEquals(line, new String(bytes, StandardCharsets.UTF_8), "whole characters only");
        }
        assertEquals(word, String.join("", lines));
    }

    @Test
    void newlinesStartNewLinesAndEmptyLinesAreLeftOut() {
        assertEquals(List.of("one", "two", "three"), SplitsMessagesIntoIrcLines.split("one\r\ntwo\n\n\rthree\n", 100));
    }

    @Test
    void nulCtcpAndOtherControlCharactersNeverReachALine() {
        List<String> lines = SplitsMessagesIntoIrcLines.split("hi\u0000 there\u0001DCC SEND\u0001\u0007\tok", 100);
        assertEquals(List.of("hi thereDCC SEND ok"), lines);
    }

    @Test
    void formattingStillOnWhereALineIsCutIsTurnedOnAgainOnTheNextLine() {
        String text = B + "bold " + C + "04red words that go on and on" + C + " plain";
        List<String> lines = SplitsMessagesIntoIrcLines.split(text, 20);
        assertTrue(lines.size() > 1);
        assertTrue(lines.get(1).startsWith("" + B + C + "04"), lines.get(1));
        for (String line : lines) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 20, line);
        }
        assertEquals(IrcFormatting.strip(text).replace(" ", ""), lines.stream().map(IrcFormatting::strip).reduce("", String::concat).replace(" ", ""));
    }

    @Test
    void aColourCodeIsNeverCutNorMergedWithDigitsThatFollowIt() {
        List<String> lines = SplitsMessagesIntoIrcLines.split(C + "4,2" + "x".repeat(30) + " 12 apples", 12);
        for (String line : lines) {
            assertTrue(line.startsWith(C + "04,02") || line.startsWith(C + "4,2"), line);
        }
        // "12" after the colour turned on again stays text.
        assertTrue(lines.stream().map(IrcFormatting::strip).anyMatch(l -> l.equals("12")), lines::toString);
        assertEquals("x".repeat(30) + "12apples", lines.stream().map(IrcFormatting::strip).reduce("", String::concat));
    }
}
