package net.ircbridge.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retry logic against a scripted HTTP server; the real homeserver is exercised by the end-to-end tests. */
class HomeserverClientTest {

    private HttpServer server;
    private final Deque<int[]> statuses = new ArrayDeque<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private HomeserverClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            int[] next = statuses.isEmpty() ? new int[] {200} : statuses.poll();
            String body = switch (next[0]) {
                case 200 -> "{\"event_id\":\"$e\",\"room_id\":\"!r:hs\"}";
                case 429 -> "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":30}";
                case 400 -> "{\"errcode\":\"M_USER_IN_USE\",\"error\":\"taken\"}";
                default -> "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"no\"}";
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(next[0], bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        client = new HomeserverClient("http://127.0.0.1:" + server.getAddress().getPort(), "astoken", "@bot:hs", new ObjectMapper());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void retriesRateLimitsAndServerErrorsUntilTheCallSucceeds() throws Exception {
        statuses.add(new int[] {429});
        statuses.add(new int[] {502});
        statuses.add(new int[] {200});
        assertEquals("$e", client.sendText(null, "!r:hs", "m.text", "hi").get(10, TimeUnit.SECONDS));
        assertEquals(3, requests.size());
    }

    @Test
    void masqueradesAsNamespacedUsersButNotAsTheBot() throws Exception {
        client.join("@irc_x_bob:hs", "#a:hs", "why").get(5, TimeUnit.SECONDS);
        client.join("@bot:hs", "#a:hs", null).get(5, TimeUnit.SECONDS);
        assertEquals("POST /_matrix/client/v3/join/%23a%3Ahs?user_id=%40irc_x_bob%3Ahs Bearer astoken", requests.get(0));
        assertEquals("POST /_matrix/client/v3/join/%23a%3Ahs Bearer astoken", requests.get(1));
    }

    @Test
    void aRefusalFailsTheCallWithItsErrorCode() {
        statuses.add(new int[] {403});
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.kick(null, "!r:hs", "@u:hs", "r").get(5, TimeUnit.SECONDS));
        MatrixException m = assertInstanceOf(MatrixException.class, e.getCause());
        assertEquals("M_FORBIDDEN", m.errcode());
        assertEquals(1, requests.size());
    }

    @Test
    void anExistingUserCountsAsRegistered() throws Exception {
        statuses.add(new int[] {400});
        client.registerUser("irc_x_bob").get(5, TimeUnit.SECONDS);
    }
}
