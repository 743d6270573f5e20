package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.ircbridge.config.Registration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can send to the appservice API (issue 11, finding 9): the hs_token counts only in the
 * {@code Authorization} header, transaction bodies are limited to 10 MB, and the bridge no longer asks for
 * ephemeral events (but takes them from a registration that still does).
 */
class HomeserverTokenAndTransactionLimitsIT extends OneBridgePerClass {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1, as Synapse speaks it. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static String hsToken;

    @BeforeAll
    static void start() {
        startBridge("surface");
        hsToken = Registration.read(bed.registrationFile()).hsToken();
    }

    private static HttpResponse<String> put(String path, byte[] body, String bearer) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bed.bridgePort() + path))
                .timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errcode(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("errcode").asText();
    }

    /** A Matrix message reaches IRC: the bridge still takes the homeserver's transactions. */
    private static void bridgeStillRelays(String prefix) {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal(prefix)) {
            p.user().sendText(p.room(), "still here");
            assertEquals("still here", p.op().awaitMessage(m -> m.is("PRIVMSG") && p.nick().equals(m.sourceNick()), WAIT).trailing());
        }
    }

    @Test
    void theTokenCountsOnlyInTheAuthorizationHeader() throws Exception {
        byte[] empty = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> inQuery = put("/_matrix/app/v1/transactions/q" + System.nanoTime() + "?access_token=" + hsToken, empty, null);
        assertEquals(401, inQuery.statusCode(), inQuery.body());
        assertEquals("M_UNAUTHORIZED", errcode(inQuery));
        assertFalse(inQuery.body().contains(hsToken), "the answer doesn't repeat the token");

        HttpResponse<String> inHeader = put("/_matrix/app/v1/transactions/h" + System.nanoTime(), empty, hsToken);
        assertEquals(200, inHeader.statusCode(), inHeader.body());
        assertTrue(bridge.output().stream().noneMatch(l -> l.contains(hsToken)), "the bridge never logs the token");
    }

    @Test
    void aTransactionOverTenMegabytesIsRefusedUnreadAndTheBridgeGoesOn() throws Exception {
        // Headers announcing 11 MB, as a client that waits for the go-ahead sends them; the body never follows, so
        // the answer shows the bridge refuses before reading any of it. (The JDK client's own Expect: 100-continue
        // waits for ever on a refusal, hence a plain socket.)
        String answer;
        try (Socket socket = new Socket("127.0.0.1", bed.bridgePort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(("PUT /_matrix/app/v1/transactions/big" + System.nanoTime() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + bed.bridgePort() + "\r\nAuthorization: Bearer " + hsToken + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (11 * 1024 * 1024) + "\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertEquals("M_TOO_LARGE", JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("errcode").asText(), answer);

        // A transaction just under the limit is taken.
        String filler = "x".repeat(9 * 1024 * 1024);
        byte[] large = ("{\"events\":[{\"type\":\"m.room.message\",\"room_id\":\"!nowhere:localhost\",\"sender\":\"@a:localhost\","
                + "\"event_id\":\"$large" + System.nanoTime() + "\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + filler + "\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> taken = put("/_matrix/app/v1/transactions/large" + System.nanoTime(), large, hsToken);
        assertEquals(200, taken.statusCode(), taken.body());

        // The homeserver's own transactions still arrive and are handled.
        bridgeStillRelays("big");
    }

    @Test
    void ephemeralEventsFromARegistrationThatStillAsksForThemAreTakenAndIgnored() throws Exception {
        byte[] withEphemeral = ("{\"events\":[],\"ephemeral\":[{\"type\":\"m.typing\",\"room_id\":\"!r:localhost\","
                + "\"content\":{\"user_ids\":[\"@a:localhost\"]}}],\"de.sorunome.msc2409.ephemeral\":[{\"type\":\"m.receipt\","
                + "\"room_id\":\"!r:localhost\",\"content\":{}}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = put("/_matrix/app/v1/transactions/e" + System.nanoTime(), withEphemeral, hsToken);
        assertEquals(200, r.statusCode(), r.body());
        bridgeStillRelays("eph");
    }

    @Test
    void theGeneratedRegistrationDoesNotAskForEphemeralEvents() throws Exception {
        // The registration Synapse runs with in these tests was written by generate-registration at the test bed's start.
        assertFalse(Files.readString(bed.registrationFile()).contains("receive_ephemeral"), Files.readString(bed.registrationFile()));
        Path out = bed.workDir().resolve("bridges").resolve("surface").resolve("fresh-registration.yaml");
        BridgeProcess run = BridgeProcess.runToExit("generate-registration", "-c", config.toString(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run.output()::toString);
        assertFalse(Files.readString(out).contains("receive_ephemeral"), Files.readString(out));
    }
}
