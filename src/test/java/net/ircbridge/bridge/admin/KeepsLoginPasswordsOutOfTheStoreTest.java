package net.ircbridge.bridge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.ircbridge.matrix.MatrixEvent;
import org.junit.jupiter.api.Test;

class KeepsLoginPasswordsOutOfTheStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeepsLoginPasswordsOutOfTheStore rule = new KeepsLoginPasswordsOutOfTheStore();

    private static MatrixEvent message(String content) throws Exception {
        return new MatrixEvent(JSON.readTree("{\"type\":\"m.room.message\",\"room_id\":\"!r:hs\",\"sender\":\"@u:hs\","
                + "\"event_id\":\"$e\",\"content\":" + content + "}"));
    }

    @Test
    void storesALoginWithoutItsWordsButWithWhatRoutesIt() throws Exception {
        JsonNode stored = rule.withoutSecrets(message("{\"msgtype\":\"m.text\",\"body\":\"!login acct hunter2\","
                + "\"formatted_body\":\"<p>!login acct hunter2</p>\"}")).orElseThrow();
        assertFalse(stored.toString().contains("hunter2"), stored::toString);
        assertEquals("!login (password not kept)", stored.path("content").path("body").asText());
        assertEquals("$e", stored.path("event_id").asText());
        assertEquals("!r:hs", stored.path("room_id").asText());
    }

    @Test
    void scrubsEditsUpperCaseAndLeadingBlanksToo() throws Exception {
        assertTrue(rule.withoutSecrets(message("{\"body\":\"* !login acct pw\",\"m.new_content\":{\"body\":\"!login acct pw\"}}")).isPresent());
        assertTrue(rule.withoutSecrets(message("{\"body\":\"x\",\"m.new_content\":{\"body\":\"!login acct pw\"}}")).isPresent());
        assertTrue(rule.withoutSecrets(message("{\"body\":\"  !LOGIN acct pw\"}")).isPresent());
        assertTrue(rule.withoutSecrets(message("{\"body\":\"!login\\u2003acct\\u2003pw\"}")).isPresent());
    }

    @Test
    void leavesOtherMessagesAndEventsAsTheyAre() throws Exception {
        assertTrue(rule.withoutSecrets(message("{\"body\":\"!help\"}")).isEmpty());
        assertTrue(rule.withoutSecrets(message("{\"body\":\"how do I !login?\"}")).isEmpty());
        assertTrue(rule.withoutSecrets(message("{\"body\":42}")).isEmpty());
        assertTrue(rule.withoutSecrets(new MatrixEvent(JSON.readTree("{\"type\":\"m.room.member\",\"state_key\":\"@u:hs\","
                + "\"content\":{\"membership\":\"join\",\"displayname\":\"!login a b\"}}"))).isEmpty());
    }
}
