package net.ircbridge.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real Matrix user on the test bed's Synapse, talking the client-server API. Events arrive through an incremental
 * {@code /sync}; {@link #awaitEvent} hands each received event out at most once, in order.
 * Not thread-safe: use one client per test thread.
 */
public final class MatrixTestClient {

    /** An HTTP answer: status and JSON body ({@code {}} when the body is empty or not JSON). */
    public record Response(int status, JsonNode body) {

        /** Whether the status is 2xx. */
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The Matrix error code ({@code errcode}), or null. */
        public String errcode() {
            return body.path("errcode").asText(null);
        }

        /** Returns this when {@link #ok()}, else throws with the status and body. */
        public Response orThrow(String what) {
            if (!ok()) {
                throw new IllegalStateException(what + " failed: HTTP " + status + " " + body);
            }
            return this;
        }
    }

    private record Received(JsonNode event, String section) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SYNC_POLL = Duration.ofSeconds(5);
    /**
     * Left rooms are included: a client's first sync leaves them out otherwise, so a user removed from a room before
     * their first sync (a soft kick within a second of the join) would never see their own leave.
     */
    private static final String SYNC_FILTER = "{\"room\":{\"include_leave\":true,\"timeline\":{\"limit\":200},"
            + "\"state\":{\"lazy_load_members\":false}}}";
    private static final AtomicLong TXN = new AtomicLong(System.currentTimeMillis());

    private final String baseUrl;
    private final String userId;
    private final String accessToken;
    private String since;
    private final Map<String, List<Received>> unclaimed = new LinkedHashMap<>();
    private final Set<String> seenEventIds = new HashSet<>();
    private final List<String> pendingInvites = new ArrayList<>();

    private MatrixTestClient(String baseUrl, String userId, String accessToken) {
        this.baseUrl = baseUrl;
        this.userId = userId;
        this.accessToken = accessToken;
    }

    /** Registers {@code localpart} with password {@code localpart + "-password"} (not an admin) and logs in. */
    public static MatrixTestClient register(TestBed bed, String localpart) {
        return register(bed, localpart, localpart + "-password", false);
    }

    /**
     * Registers a user through Synapse's shared-secret admin API ({@code /_synapse/admin/v1/register}).
     *
     * @return a client logged in as the new user
     */
    public static MatrixTestClient register(TestBed bed, String localpart, String password, boolean admin) {
        String url = bed.synapseUrl();
        String path = "/_synapse/admin/v1/register";
        String nonce = send(url, null, "GET", path, null).orThrow("getting a registration nonce").body().path("nonce").asText();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nonce", nonce);
        body.put("username", localpart);
        body.put("password", password);
        body.put("admin", admin);
        body.put("mac", registrationMac(bed.registrationSharedSecret(), nonce, localpart, password, admin));
        JsonNode answer = send(url, null, "POST", path, body).orThrow("registering " + localpart).body();
        return new MatrixTestClient(url, answer.path("user_id").asText(), answer.path("access_token").asText());
    }

    /** Logs in an existing user with a password. */
    public static MatrixTestClient login(TestBed bed, String localpart, String password) {
        Map<String, Object> body = Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", localpart), "password", password);
        JsonNode answer = send(bed.synapseUrl(), null, "POST", "/_matrix/client/v3/login", body).orThrow("login").body();
        return new MatrixTestClient(bed.synapseUrl(), answer.path("user_id").asText(), answer.path("access_token").asText());
    }

    static String registrationMac(String secret, String nonce, String user, String password, boolean admin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + user + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full user id, e.g. {@code @alice:localhost}. */
    public String userId() {
        return userId;
    }

    /** The user's access token. */
    public String accessToken() {
        return accessToken;
    }

    /**
     * A raw GET. A path starting with {@code /} is used as is; otherwise it is relative to
     * {@code /_matrix/client/v3/}. Path segments must already be escaped (see {@link #enc}).
     */
    public Response get(String path) {
        return send(baseUrl, accessToken, "GET", path, null);
    }

    /** A raw PUT with a JSON body (a Map, a JsonNode or any Jackson-serialisable object). */
    public Response put(String path, Object body) {
        return send(baseUrl, accessToken, "PUT", path, body);
    }

    /** A raw POST with a JSON body. */
    public Response post(String path, Object body) {
        return send(baseUrl, accessToken, "POST", path, body);
    }

    /** A raw DELETE. */
    public Response delete(String path) {
        return send(baseUrl, accessToken, "DELETE", path, null);
    }

    /** Creates a room with a {@code /createRoom} body and returns its id. */
    public String createRoom(Map<String, ?> body) {
        return post("createRoom", body).orThrow("createRoom").body().path("room_id").asText();
    }

    /** Creates a direct chat (preset {@code trusted_private_chat}, {@code is_direct}) inviting one user; returns the room id. */
    public String createDirectChat(String inviteeUserId) {
        return createRoom(Map.of("preset", "trusted_private_chat", "is_direct", true, "invite", List.of(inviteeUserId)));
    }

    /** Joins a room by id or alias and returns its id. */
    public String join(String roomIdOrAlias) {
        return post("join/" + enc(roomIdOrAlias), Map.of()).orThrow("joining " + roomIdOrAlias).body().path("room_id").asText();
    }

    /** Leaves a room. */
    public void leave(String roomId) {
        post("rooms/" + enc(roomId) + "/leave", Map.of()).orThrow("leaving " + roomId);
    }

    /** Invites a user to a room. */
    public void invite(String roomId, String userId) {
        post("rooms/" + enc(roomId) + "/invite", Map.of("user_id", userId)).orThrow("inviting " + userId);
    }

    /** Sends an {@code m.text} message and returns its event id. */
    public String sendText(String roomId, String text) {
        return sendEvent(roomId, "m.room.message", Map.of("msgtype", "m.text", "body", text));
    }

    /** Sends a message event of any type and returns its event id. */
    public String sendEvent(String roomId, String type, Map<String, ?> content) {
        String path = "rooms/" + enc(roomId) + "/send/" + enc(type) + "/t" + TXN.incrementAndGet();
        return put(path, content).orThrow("sending " + type).body().path("event_id").asText();
    }

    /** Sets a state event and returns its event id. */
    public String sendState(String roomId, String type, String stateKey, Map<String, ?> content) {
        String path = "rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey);
        return put(path, content).orThrow("setting " + type).body().path("event_id").asText();
    }

    /** The content of a state event, or null when it is not set. */
    public JsonNode state(String roomId, String type, String stateKey) {
        Response r = get("rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey));
        return r.status() == 404 ? null : r.orThrow("reading " + type).body();
    }

    /** The user ids currently joined to a room. */
    public Set<String> members(String roomId) {
        JsonNode joined = get("rooms/" + enc(roomId) + "/joined_members").orThrow("joined_members").body().path("joined");
        Set<String> ids = new TreeSet<>();
        joined.fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    /** The room's latest events (up to 100), oldest first, through {@code /messages}. */
    public List<JsonNode> roomMessages(String roomId) {
        JsonNode chunk = get("rooms/" + enc(roomId) + "/messages?dir=b&limit=100").orThrow("messages").body().path("chunk");
        List<JsonNode> events = new ArrayList<>();
        chunk.forEach(e -> events.add(0, e));
        return events;
    }

    /**
     * Waits for an event in a room matching {@code match}, from the room's timeline, state, ephemeral events or
     * invite state, and returns it. Each event is returned by at most one call: awaiting the same kind of event
     * twice gets two different events, in the order they arrived.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public JsonNode awaitEvent(String roomId, Predicate<JsonNode> match, Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        while (true) {
            Iterator<Received> it = unclaimed.getOrDefault(roomId, List.of()).iterator();
            while (it.hasNext()) {
                JsonNode event = it.next().event();
                if (match.test(event)) {
                    it.remove();
                    return event;
                }
            }
            if (deadline.expired()) {
                throw new AssertionError(userId + " saw no matching event in " + roomId + " within " + timeout.toMillis()
                        + " ms; unclaimed: " + unclaimed.getOrDefault(roomId, List.of()));
            }
            sync(deadline.remainingAtMost(SYNC_POLL));
        }
    }

    /** Waits for an {@code m.room.message} whose body is {@code body}, as {@link #awaitEvent}. */
    public JsonNode awaitMessage(String roomId, String body, Duration timeout) {
        return awaitEvent(roomId, e -> "m.room.message".equals(e.path("type").asText())
                && body.equals(e.path("content").path("body").asText()), timeout);
    }

    /**
     * Waits until this user is invited to a room it has not been handed out before, and returns the room id.
     *
     * @throws AssertionError when no invite arrives within {@code timeout}
     */
    public String awaitInvite(Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        while (pendingInvites.isEmpty()) {
            if (deadline.expired()) {
                throw new AssertionError(userId + " got no invite within " + timeout.toMillis() + " ms");
            }
            sync(deadline.remainingAtMost(SYNC_POLL));
        }
        return pendingInvites.remove(0);
    }

    /** One incremental {@code /sync}, long-polling up to {@code wait}; new events are buffered for the await methods. */
    public void sync(Duration wait) {
        StringBuilder path = new StringBuilder("sync?timeout=").append(wait.toMillis()).append("&filter=").append(enc(SYNC_FILTER));
        if (since != null) {
            path.append("&since=").append(enc(since));
        }
        Response response = get(path.toString());
        if (!response.ok() && (response.status() >= 500 || "M_UNKNOWN".equals(response.errcode()))) {
            // Synapse sometimes fails one sync while a membership is being written ("No row found
            // (local_current_membership)"); the callers sync again until their deadline, as a client would.
            return;
        }
        JsonNode body = response.orThrow("sync").body();
        since = body.path("next_batch").asText();
        JsonNode rooms = body.path("rooms");
        rooms.path("join").fields().forEachRemaining(room -> {
            collect(room.getKey(), room.getValue().path("state").path("events"), "state");
            collect(room.getKey(), room.getValue().path("timeline").path("events"), "timeline");
            collect(room.getKey(), room.getValue().path("ephemeral").path("events"), "ephemeral");
        });
        rooms.path("leave").fields().forEachRemaining(room -> {
            collect(room.getKey(), room.getValue().path("state").path("events"), "state");
            collect(room.getKey(), room.getValue().path("timeline").path("events"), "timeline");
        });
        rooms.path("knock").fields().forEachRemaining(room ->
                collect(room.getKey(), room.getValue().path("knock_state").path("events"), "knock_state"));
        rooms.path("invite").fields().forEachRemaining(room -> {
            if (!pendingInvites.contains(room.getKey())) {
                pendingInvites.add(room.getKey());
            }
            collect(room.getKey(), room.getValue().path("invite_state").path("events"), "invite_state");
        });
    }

    private void collect(String roomId, JsonNode events, String section) {
        for (JsonNode event : events) {
            String id = event.path("event_id").asText(null);
            // The same event can come in a state block and a timeline; stripped and ephemeral events have no id.
            if (id == null || seenEventIds.add(id)) {
                unclaimed.computeIfAbsent(roomId, k -> new ArrayList<>()).add(new Received(event, section));
            }
        }
    }

    /** Escapes a path segment or query value (room ids, aliases, user ids, event types). */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Response send(String baseUrl, String token, String method, String path, Object body) {
        String fullPath = path.startsWith("/") ? path : "/_matrix/client/v3/" + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + fullPath)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + fullPath + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + fullPath, e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? JsonNodeFactory.instance.objectNode() : JSON.readTree(text);
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode().put("raw", text);
        }
    }

    @Override
    public String toString() {
        return "MatrixTestClient[" + userId + "]";
    }
}
