package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import net.ircbridge.config.Registration;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Matrix user's direct chat with the bridge bot, and transactions that take effect exactly once. */
class AdminRoomIT extends OneBridgePerClass {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        startBridge("adminroom");
    }

    private static MatrixTestClient userWithAdminRoom(String[] roomOut) {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("adm").toLowerCase());
        String room = user.createDirectChat(bot);
        Await.until(WAIT, "the bot joins the direct chat", () -> user.members(room).contains(bot));
        roomOut[0] = room;
        return user;
    }

    private static boolean fromBotWithBody(JsonNode e, String fragment) {
        return "m.room.message".equals(e.path("type").asText()) && bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().contains(fragment);
    }

    @Test
    void aUserWhoOpensADirectChatWithTheBotGetsTheHelpAnswer() {
        String[] room = new String[1];
        MatrixTestClient user = userWithAdminRoom(room);
        user.awaitEvent(room[0], e -> fromBotWithBody(e, "!help"), WAIT);

        user.sendText(room[0], "!help");
        JsonNode answer = user.awaitEvent(room[0], e -> fromBotWithBody(e, "Commands:"), WAIT);
        assertTrue(answer.path("content").path("body").asText().contains("!help — this list of commands"), answer::toString);
        assertEquals("m.notice", answer.path("content").path("msgtype").asText());

        user.sendText(room[0], "!nonsense");
        user.awaitEvent(room[0], e -> fromBotWithBody(e, "Unknown command !nonsense"), WAIT);
    }

    @Test
    void aRepeatedTransactionHasItsEffectOnceAlsoAfterARestart() throws Exception {
        String[] room = new String[1];
        MatrixTestClient user = userWithAdminRoom(room);
        String txn = "repeat-" + bed.uniqueName("t");

        // The homeserver retries a transaction whose answer it lost; the bridge must act on it once.
        assertEquals(200, putTransaction(txn, helpEvent(user.userId(), room[0], "$repeat1")));
        assertEquals(200, putTransaction(txn, helpEvent(user.userId(), room[0], "$repeat1")));
        // A later transaction in the same room is answered after anything the repeat could have caused.
        assertEquals(200, putTransaction(txn + "-marker", helpEvent(user.userId(), room[0], "$marker1")));
        Await.until(WAIT, "two answers to !help", () -> helpAnswers(user, room[0]) >= 2);

        bridge.stop();
        bridge = BridgeProcess.start(config);

        assertEquals(200, putTransaction(txn, helpEvent(user.userId(), room[0], "$repeat1")));
        assertEquals(200, putTransaction(txn + "-marker2", helpEvent(user.userId(), room[0], "$marker2")));
        Await.until(WAIT, "the answer to the marker after the restart", () -> helpAnswers(user, room[0]) >= 3);
        assertEquals(3, helpAnswers(user, room[0]), "answers: the first transaction once, and two markers");
    }

    @Test
    void aMalformedTransactionIsRefusedAndNothingOfItIsProcessed() throws Exception {
        String[] room = new String[1];
        MatrixTestClient user = userWithAdminRoom(room);
        String txn = "malformed-" + bed.uniqueName("t");
        String valid = JSON.writeValueAsString(Map.of("events", List.of(helpEvent(user.userId(), room[0], "$m1"))));

        HttpResponse<String> notJson = put("/_matrix/app/v1/transactions/" + txn, valid.substring(0, valid.length() - 3), token());
        assertEquals(400, notJson.statusCode());
        assertEquals("M_NOT_JSON", JSON.readTree(notJson.body()).path("errcode").asText());

        // One bad event spoils the whole transaction: the good one before it must not be processed either.
        String badEvents = "{\"events\":[" + JSON.writeValueAsString(helpEvent(user.userId(), room[0], "$m1")) + ",42]}";
        HttpResponse<String> badJson = put("/_matrix/app/v1/transactions/" + txn, badEvents, token());
        assertEquals(400, badJson.statusCode());
        assertEquals("M_BAD_JSON", JSON.readTree(badJson.body()).path("errcode").asText());

        // Refused transactions are not remembered: the same id with a good body is processed, once.
        assertEquals(200, putTransaction(txn, helpEvent(user.userId(), room[0], "$m1")));
        Await.until(WAIT, "the answer to the valid transaction", () -> helpAnswers(user, room[0]) >= 1);
        assertEquals(200, putTransaction(txn + "-marker", helpEvent(user.userId(), room[0], "$m2")));
        Await.until(WAIT, "the answer to the marker", () -> helpAnswers(user, room[0]) >= 2);
        assertEquals(2, helpAnswers(user, room[0]));
    }

    private static long helpAnswers(MatrixTestClient user, String room) {
        return user.roomMessages(room).stream().filter(e -> fromBotWithBody(e, "Commands:")).count();
    }

    private static Map<String, Object> helpEvent(String sender, String room, String eventId) {
        return Map.of("type", "m.room.message", "room_id", room, "sender", sender, "event_id", eventId,
                "origin_server_ts", System.currentTimeMillis(), "content", Map.of("msgtype", "m.text", "body", "!help"));
    }

    private static int putTransaction(String txnId, Map<String, Object> event) throws Exception {
        return put("/_matrix/app/v1/transactions/" + txnId, JSON.writeValueAsString(Map.of("events", List.of(event))), token())
                .statusCode();
    }

    static String token() {
        return Registration.read(bed.registrationFile()).hsToken();
    }

    static HttpResponse<String> put(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bed.bridgePort() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
