package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.testbed.IrcMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTML that costs a lot to translate (issue 11, finding 1): deeply nested lists and quotes, a flood of list items.
 * Such a message reaches IRC promptly as one bounded line with the usual "full message" link, and meanwhile another
 * room's messages keep flowing. Before the translator was made linear and capped, the 24 KB message alone took
 * about 93 s of CPU on a room lane.
 */
class HostileFormattingIT extends OneBridgePerClass {

    /** Generous for a loaded machine, yet far below what the quadratic translation took. */
    private static final Duration PROMPTLY = Duration.ofSeconds(45);

    @BeforeAll
    static void start() {
        startBridge("hostile", "send-rate:\n        burst: 50\n        interval-millis: 50");
    }

    /** The finding's message: 2,000 nested lists and 1,600 items, 24 KB. */
    static String nestedLists() {
        return "<ul>".repeat(2000) + "<li>x</li>".repeat(1600);
    }

    /**
     * About 60 KB (what fits in a Matrix event besides its body): quotes nested 2,000 deep with a line in each, then
     * a run of tags with attribute floods and entities.
     */
    static String nestedQuotesAndFloods() {
        StringBuilder html = new StringBuilder("<blockquote>q".repeat(2000));
        while (html.length() < 58_000) {
            html.append("<span a b c d e f g h title=\"&amp;&lt;&#65;\">&amp;&gt;</span>");
        }
        return html.toString();
    }

    private static IrcMessage nextLineFrom(MessageRelayIT.Portal p, Duration wait) {
        return p.op().awaitMessage(m -> m.is("PRIVMSG") && p.nick().equals(m.sourceNick()), wait);
    }

    @Test
    void hostileHtmlReachesIrcCutWithALinkWhileAnotherRoomKeepsTalking() throws Exception {
        try (MessageRelayIT.Portal a = MessageRelayIT.portal("hostile"); MessageRelayIT.Portal b = MessageRelayIT.portal("calm")) {
            String[] bodies = {"nested lists", "nested quotes"};
            String[] html = {nestedLists(), nestedQuotesAndFloods()};
            for (int i = 0; i < html.length; i++) {
                a.user().sendEvent(a.room(), "m.room.message", Map.of("msgtype", "m.text", "body", bodies[i],
                        "format", "org.matrix.custom.html", "formatted_body", html[i]));
            }
            long sent = System.nanoTime();
            b.user().sendText(b.room(), "the other room still talks");
            assertEquals("the other room still talks", nextLineFrom(b, PROMPTLY).trailing());
            System.out.printf("the other room's message took %d ms%n", (System.nanoTime() - sent) / 1_000_000);

            HttpClient http = HttpClient.newHttpClient();
            Pattern linked = Pattern.compile("(.+) \\(full message: (http\\S+)\\)");
            for (int i = 0; i < html.length; i++) {
                IrcMessage line = nextLineFrom(a, PROMPTLY);
                Matcher m = linked.matcher(line.trailing());
                assertTrue(m.matches(), "a cut message links to the whole: " + line.trailing());
                assertTrue(line.raw().getBytes(StandardCharsets.UTF_8).length + 2 <= 512, line.raw());
                HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(m.group(2))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, file.statusCode());
                assertEquals(bodies[i], file.body());
            }
            System.out.printf("both hostile messages reached IRC %d ms after they were sent%n", (System.nanoTime() - sent) / 1_000_000);
            a.user().sendText(a.room(), "marker");
            assertEquals("marker", nextLineFrom(a, PROMPTLY).trailing(), "each hostile message was one line");
        }
    }
}
