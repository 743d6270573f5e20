package net.ircbridge.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proves the test bed itself works: real Synapse, InspIRCd and PostgreSQL, driven by the test clients.
 * Runs under failsafe only (which sets {@code bridge.project.dir}): surefire's default includes match the name
 * {@code Test*}, and it must not start the servers during the unit-test phase.
 */
@EnabledIfSystemProperty(named = "bridge.project.dir", matches = ".+")
class TestBedIT {

    private static final Duration TIMEOUT = TestBed.DEFAULT_TIMEOUT;
    private final TestBed bed = TestBed.get();

    @Test
    void synapseAnswersHealthAndVersions() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(bed.synapseUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("OK", health.body());
        HttpResponse<String> versions = http.send(HttpRequest.newBuilder(URI.create(bed.synapseUrl() + "/_matrix/client/versions")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = MatrixTestClient.JSON.readTree(versions.body());
        assertTrue(body.path("versions").toString().contains("v1.1"), body.toString());
        assertTrue(bed.registrationFile().toFile().isFile());
    }

    @Test
    void matrixUsersExchangeAMessage() {
        MatrixTestClient alice = MatrixTestClient.register(bed, bed.uniqueName("alice"));
        MatrixTestClient bob = MatrixTestClient.register(bed, bed.uniqueName("bob"));
        assertEquals(bed.serverName(), alice.userId().substring(alice.userId().indexOf(':') + 1));

        String roomId = alice.createRoom(Map.of("preset", "public_chat", "name", "test bed"));
        assertEquals(roomId, bob.join(roomId));
        alice.awaitEvent(roomId, e -> "m.room.member".equals(e.path("type").asText())
                && bob.userId().equals(e.path("state_key").asText())
                && "join".equals(e.path("content").path("membership").asText()), TIMEOUT);
        assertEquals(Set.of(alice.userId(), bob.userId()), alice.members(roomId));

        String text = "hello from " + bob.userId();
        String eventId = bob.sendText(roomId, text);
        JsonNode seen = alice.awaitMessage(roomId, text, TIMEOUT);
        assertEquals(eventId, seen.path("event_id").asText());
        assertEquals(bob.userId(), seen.path("sender").asText());
    }

    @Test
    void directChatInviteArrives() {
        MatrixTestClient carol = MatrixTestClient.register(bed, bed.uniqueName("carol"));
        MatrixTestClient dave = MatrixTestClient.register(bed, bed.uniqueName("dave"));
        String roomId = carol.createDirectChat(dave.userId());
        assertEquals(roomId, dave.awaitInvite(TIMEOUT));
        dave.join(roomId);
        Await.until(TIMEOUT, "dave is joined", () -> carol.members(roomId).contains(dave.userId()));
    }

    @Test
    void ircClientsSeeEachOther() {
        String channel = "#" + bed.uniqueName("chan");
        try (IrcTestClient one = IrcTestClient.connect(bed, bed.uniqueName("one"));
             IrcTestClient two = IrcTestClient.connect(bed, bed.uniqueName("two"))) {
            one.join(channel);
            Set<String> names = two.join(channel);
            assertEquals(Set.of(one.nick(), two.nick()), Set.copyOf(names.stream().map(String::toLowerCase).toList()));
            assertEquals(names, one.names(channel));

            one.privmsg(channel, "hello " + two.nick());
            IrcMessage received = two.awaitPrivmsg(channel, "hello " + two.nick(), TIMEOUT);
            assertEquals(one.nick(), received.sourceNick());

            assertTrue(two.whois(one.nick()));
            assertFalse(two.whois(bed.uniqueName("ghost")));
            one.oper();
            one.quit("done here");
            two.awaitMessage(m -> m.is("QUIT") && one.nick().equals(m.sourceNick()) && m.trailing().equals("done here"), TIMEOUT);
            Await.until(TIMEOUT, one.nick() + " is gone", () -> !two.whois(one.nick()));
        }
    }

    @Test
    void postgresAcceptsJdbcConnections() throws Exception {
        try (Connection c = DriverManager.getConnection(bed.postgresJdbcUrl(), bed.postgresUser(), bed.postgresPassword());
             ResultSet rs = c.createStatement().executeQuery("select current_user, current_database()")) {
            assertTrue(rs.next());
            assertEquals("bridge", rs.getString(1));
            assertEquals("bridge", rs.getString(2));
        }
    }

    @Test
    void uniqueNamesAreShortAndSafe() {
        for (int i = 0; i < 200; i++) {
            String name = bed.uniqueName("Some-Long_Prefix");
            assertTrue(name.matches("[a-z][a-z0-9]{1,11}"), name);
        }
        assertFalse(bed.uniqueName("x").equals(bed.uniqueName("x")));
    }
}
