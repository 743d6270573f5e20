package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.testbed.IrcMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Formatting both ways, and Matrix messages cut to IRC's line length (issue 5, items 2 and 4).
 */
class FormattingAndLengthIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("format", "send-rate:\n        burst: 50\n        interval-millis: 50");
    }

    private static List<IrcMessage> linesFrom(MessageRelayIT.Portal p, int count) {
        List<IrcMessage> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(p.op().awaitMessage(m -> m.is("PRIVMSG") && p.nick().equals(m.sourceNick()), WAIT));
        }
        return lines;
    }

    @Test
    void ircFormattingReachesTheRoomAsHtmlWithAPlainBody() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("fmt")) {
            p.op().privmsg(p.channel(), "\u0002bold\u0002 \u000304red\u0003 \u001Ditalic\u001D \u001Fu\u001F \u001Es\u001E \u0011mono\u0011");
            JsonNode content = MessageRelayIT.awaitFrom(p.user(), p.room(), ghost(p.op().nick()), "bold red italic u s mono")
                    .path("content");
            assertEquals("org.matrix.custom.html", content.path("format").asText());
            assertEquals("<b>bold</b> <font data-mx-color=\"#ff0000\">red</font> <i>italic</i> <u>u</u> <del>s</del> <code>mono</code>",
                    content.path("formatted_body").asText());
        }
    }

    @Test
    void matrixHtmlReachesIrcAsFormattingCodes() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("fmt")) {
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.text", "body", "**bold** `code` red",
                    "format", "org.matrix.custom.html",
                    "formatted_body", "<strong>bold</strong> <code>code</code> <font data-mx-color=\"#ff0000\">red</font> <del>gone</del>"));
            IrcMessage line = linesFrom(p, 1).get(0);
            assertEquals("\u0002bold\u0002 \u0011code\u0011 \u000304red\u0003 \u001Egone\u001E", line.trailing());
        }
    }

    @Test
    void htmlThatIrcCannotShowDegradesToReadableLines() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("fmt")) {
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.text", "body", "fallback",
                    "format", "org.matrix.custom.html",
                    "formatted_body", "<h1>Title</h1><ul><li>one</li></ul><blockquote>quoted, see <a href=\"https://example.org/x\">this</a>"
                            + " <img alt=\":cat:\" src=\"mxc://x/y\"></blockquote>"));
            List<String> texts = linesFrom(p, 3).stream().map(IrcMessage::trailing).toList();
            assertEquals(List.of("\u0002Title\u0002", "• one", "> quoted, see this (https://example.org/x) :cat:"), texts);
        }
    }

    @Test
    void aLongMessageIsCutIntoLinesThatFitCountingThePrefixNeverInsideAWordOrCharacter() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("len")) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; text.length() < 700; i++) {
                text.append(i % 3 == 0 ? "résumé " : i % 3 == 1 ? "日本語 " : "word" + i + " ");
            }
            String message = text.toString().strip();
            p.user().sendText(p.room(), message);
            List<IrcMessage> lines = new ArrayList<>();
            StringBuilder received = new StringBuilder();
            while (received.length() < message.length()) {
                IrcMessage line = linesFrom(p, 1).get(0);
                lines.add(line);
                received.append(received.length() == 0 ? "" : " ").append(line.trailing());
            }
            assertEquals(message, received.toString());
            assertTrue(lines.size() >= 2 && lines.size() <= 3, lines.size() + " lines");
            for (IrcMessage line : lines) {
                int bytes = line.raw().getBytes(StandardCharsets.UTF_8).length + 2;
                assertTrue(bytes <= 512, bytes + " bytes with CR LF: " + line.raw());
            }
            assertTrue(lines.get(0).raw().getBytes(StandardCharsets.UTF_8).length + 2 > 450, "the first line is filled");
        }
    }

    @Test
    void aMultiLineMessageBecomesSeveralLines() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("len")) {
            p.user().sendText(p.room(), "one\ntwo\n\nthree");
            assertEquals(List.of("one", "two", "three"), linesFrom(p, 3).stream().map(IrcMessage::trailing).toList());
        }
    }

    @Test
    void aMessageLongerThanMaxLinesIsUploadedAndItsFirstLineLinksToIt() throws Exception {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("paste")) {
            String message = "first line of a paste\nsecond\nthird\nfourth\nfifth";
            p.user().sendText(p.room(), message);
            IrcMessage line = linesFrom(p, 1).get(0);
            Matcher m = Pattern.compile("first line of a paste \\(full message: (http\\S+)\\)").matcher(line.trailing());
            assertTrue(m.matches(), line.trailing());
            String url = m.group(1);
            assertTrue(url.startsWith("http://127.0.0.1:" + bed.bridgePort() + "/_ircbridge/media/"), url);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, file.statusCode());
            assertEquals(message, file.body());
            assertTrue(file.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            // A link whose signature isn't the bridge's serves nothing.
            String forged = url.replaceFirst("/([A-Za-z0-9_-]{22})/message.txt$", "/AAAAAAAAAAAAAAAAAAAAAA/message.txt");
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(forged)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            p.user().sendText(p.room(), "marker");
            assertEquals("marker", linesFrom(p, 1).get(0).trailing(), "nothing else was sent");
        }
    }
}
