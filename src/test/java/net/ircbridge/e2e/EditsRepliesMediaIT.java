package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Edits, replies, media, reactions and redactions on their way to IRC (issue 5, item 5). */
class EditsRepliesMediaIT extends OneBridgePerClass {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        bed = TestBed.get();
        config = TestBridgeConfig.write(bed, "edits");
        TestBridgeConfig.networkSetting(config, "channels: []\n      send-rate:\n        burst: 50\n        interval-millis: 50");
        Files.writeString(config, Files.readString(config) + "relay:\n  reactions: true\n");
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
    }

    private static IrcMessage nextLine(MessageRelayIT.Portal p) {
        return p.op().awaitMessage(m -> m.is("PRIVMSG") && p.nick().equals(m.sourceNick()), WAIT);
    }

    @Test
    void anEditIsSentAgainAsACorrectedLine() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("edit")) {
            String original = p.user().sendText(p.room(), "helo world");
            assertEquals("helo world", nextLine(p).trailing());
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.text", "body", " * hello world",
                    "m.new_content", Map.of("msgtype", "m.text", "body", "hello world"),
                    "m.relates_to", Map.of("rel_type", "m.replace", "event_id", original)));
            assertEquals("* hello world", nextLine(p).trailing());
        }
    }

    @Test
    void aReplyCarriesAShortQuoteOfTheOriginal() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("reply")) {
            p.op().privmsg(p.channel(), "what time is it over there?");
            String question = MessageRelayIT.awaitFrom(p.user(), p.room(), ghost(p.op().nick()), "what time is it over there?")
                    .path("event_id").asText();
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.text",
                    "body", "> <" + ghost(p.op().nick()) + "> what time is it over there?\n\nnoon",
                    "m.relates_to", Map.of("m.in_reply_to", Map.of("event_id", question))));
            assertEquals(p.op().nick() + ": \"what time is it over there?\" <- noon", nextLine(p).trailing());

            // A long original is cut; a reply to a Matrix user's message names their nick.
            String longOne = p.user().sendText(p.room(), "this is a rather long message that goes on and on for a while");
            nextLine(p);
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.text", "body", "indeed",
                    "m.relates_to", Map.of("m.in_reply_to", Map.of("event_id", longOne))));
            assertEquals(p.nick() + ": \"this is a rather long message that goes…\" <- indeed", nextLine(p).trailing());
        }
    }

    @Test
    void aFileGoesAsALinkThatServesIt() throws Exception {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("media")) {
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
            String mxc = upload(p.user(), png, "image/png", "cat.png");
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.image", "body", "cat.png", "url", mxc,
                    "info", Map.of("mimetype", "image/png", "size", png.length)));
            Matcher m = Pattern.compile("cat\\.png (http://\\S+/cat\\.png)").matcher(nextLine(p).trailing());
            assertTrue(m.find());
            HttpResponse<byte[]> file = HTTP.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, file.statusCode());
            assertArrayEquals(png, file.body());
            assertEquals("image/png", file.headers().firstValue("Content-Type").orElse(""));

            // A caption goes with the link.
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.file", "body", "the report", "filename", "report.pdf",
                    "url", mxc));
            assertTrue(nextLine(p).trailing().matches("the report http://\\S+/report\\.pdf"));
        }
    }

    @Test
    void aReactionIsAnActionNamingWhatItReactsTo() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("react")) {
            p.op().privmsg(p.channel(), "we shipped it");
            String shipped = MessageRelayIT.awaitFrom(p.user(), p.room(), ghost(p.op().nick()), "we shipped it").path("event_id").asText();
            p.user().sendEvent(p.room(), "m.reaction", Map.of("m.relates_to",
                    Map.of("rel_type", "m.annotation", "event_id", shipped, "key", "🎉")));
            assertEquals("\u0001ACTION reacted with 🎉 to " + p.op().nick() + ": \"we shipped it\"\u0001", nextLine(p).trailing());
        }
    }

    @Test
    void aRedactionCannotBeUndoneOnIrcSoNothingIsSent() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("redact")) {
            String oops = p.user().sendText(p.room(), "oops, wrong room");
            assertEquals("oops, wrong room", nextLine(p).trailing());
            p.user().put("rooms/" + MatrixTestClient.enc(p.room()) + "/redact/" + MatrixTestClient.enc(oops) + "/r" + System.nanoTime(),
                    Map.of("reason", "wrong room")).orThrow("redact");
            p.user().sendText(p.room(), "marker");
            assertEquals("marker", nextLine(p).trailing());
            List<String> fromUser = p.op().receivedLines().stream().filter(l -> l.startsWith(":" + p.nick() + "!") && l.contains("PRIVMSG")).toList();
            assertEquals(2, fromUser.size(), fromUser::toString);
        }
    }

    /** Uploads a file as a Matrix user; returns its mxc URI. */
    private static String upload(MatrixTestClient user, byte[] data, String type, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(bed.synapseUrl() + "/_matrix/media/v3/upload?filename=" + name))
                .header("Authorization", "Bearer " + user.accessToken()).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"content_uri\"\\s*:\\s*\"(mxc://[^\"]+)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }
}
