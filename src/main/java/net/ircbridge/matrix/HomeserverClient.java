package net.ircbridge.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Typed calls to the homeserver's client-server API, as the bridge bot or as any user of the bridge's namespace
 * ({@code user_id} masquerading). Every call is asynchronous. Rate limits (429, honouring {@code retry_after_ms}),
 * server errors (5xx) and connection failures are retried with backoff until they succeed, so a call is never
 * lost; callers that chain one room's calls one after the other (the room lanes) therefore never see them
 * reordered. Other 4xx answers fail the call with a {@link MatrixException}.
 */
public class HomeserverClient {

    private static final Logger LOG = Logger.getLogger(HomeserverClient.class);
    private static final long MAX_BACKOFF_MS = 30_000;
    /**
     * How long a request answered with server errors is retried. A homeserver that answers 5xx for longer is not
     * having a hiccup: the call fails loudly instead of holding its room's lane for ever. Rate limits and
     * connection failures (the homeserver restarting) are retried without limit.
     */
    private static final long SERVER_ERROR_RETRY_MS = 15 * 60_000;
    private static final AtomicLong TXN_COUNTER = new AtomicLong();

    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final String asToken;
    private final String botUserId;
    private final String txnPrefix = Long.toString(System.currentTimeMillis(), 36);

    public HomeserverClient(String baseUrl, String asToken, String botUserId, ObjectMapper json) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.json = json;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.asToken = asToken;
        this.botUserId = botUserId;
    }

    /** The bridge bot's user id. */
    public String botUserId() {
        return botUserId;
    }

    // ---- users and profiles ----

    /** Registers a user of the namespace; one that exists already counts as success. */
    public CompletableFuture<Void> registerUser(String localpart) {
        ObjectNode body = json.createObjectNode().put("type", "m.login.application_service").put("username", localpart)
                .put("inhibit_login", true);
        return call(Request.post(null, "/_matrix/client/v3/register", body)).handle((ok, failure) -> {
            if (failure == null) {
                return null;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof MatrixException m && "M_USER_IN_USE".equals(m.errcode())) {
                return null;
            }
            throw new CompletionException(cause);
        });
    }

    public CompletableFuture<Void> setDisplayName(String userId, String displayName) {
        return call(Request.put(userId, "/_matrix/client/v3/profile/" + enc(userId) + "/displayname",
                json.createObjectNode().put("displayname", displayName))).thenApply(r -> null);
    }

    public CompletableFuture<Void> setAvatarUrl(String userId, String mxc) {
        return call(Request.put(userId, "/_matrix/client/v3/profile/" + enc(userId) + "/avatar_url",
                json.createObjectNode().put("avatar_url", mxc))).thenApply(r -> null);
    }

    /** The user id the as_token (and optional masquerading user) stands for. */
    public CompletableFuture<String> whoami(String asUser) {
        return call(Request.get(asUser, "/_matrix/client/v3/account/whoami")).thenApply(r -> r.path("user_id").asText());
    }

    // ---- rooms ----

    /** Creates a room. Returns the room id. */
    public CompletableFuture<String> createRoom(String asUser, RoomCreation request) {
        // Not retried: a retry after a lost answer would make a second room.
        return call(Request.post(asUser, "/_matrix/client/v3/createRoom", WritesMatrixJson.room(request)).once())
                .thenApply(r -> r.path("room_id").asText());
    }

    public CompletableFuture<Void> putRoomAlias(String alias, String roomId) {
        return call(Request.put(null, "/_matrix/client/v3/directory/room/" + enc(alias),
                json.createObjectNode().put("room_id", roomId))).thenApply(r -> null);
    }

    public CompletableFuture<Void> deleteRoomAlias(String alias) {
        return call(Request.delete(null, "/_matrix/client/v3/directory/room/" + enc(alias))).thenApply(r -> null);
    }

    /** The room id an alias points to. */
    public CompletableFuture<String> resolveAlias(String alias) {
        return call(Request.get(null, "/_matrix/client/v3/directory/room/" + enc(alias))).thenApply(r -> r.path("room_id").asText());
    }

    /** Whether a room is listed in the homeserver's room directory: "public" or "private". */
    public CompletableFuture<String> directoryVisibility(String roomId) {
        return call(Request.get(null, "/_matrix/client/v3/directory/list/room/" + enc(roomId)))
                .thenApply(r -> r.path("visibility").asText("private"));
    }

    /** Joins a room by id or alias, with a reason. Returns the room id. */
    public CompletableFuture<String> join(String asUser, String roomIdOrAlias, String reason) {
        return call(Request.post(asUser, "/_matrix/client/v3/join/" + enc(roomIdOrAlias), withReason(reason)))
                .thenApply(r -> r.path("room_id").asText());
    }

    /**
     * Joins {@code userId} to a room with a display name for that room only, by a state PUT of its own member
     * event. Ghosts join this way: one request instead of a profile update and a join, and a global display name
     * set later would make the homeserver send a new member event to every room the ghost is in.
     */
    public CompletableFuture<Void> joinNamed(String userId, String roomId, String displayName, String reason) {
        MemberContent content = MemberContent.join(displayName, reason == null || reason.isEmpty() ? null : reason);
        return putState(userId, roomId, userId, content).thenApply(r -> null);
    }

    public CompletableFuture<Void> leave(String asUser, String roomId, String reason) {
        return membership(asUser, roomId, "leave", null, reason);
    }

    public CompletableFuture<Void> invite(String asUser, String roomId, String target, String reason) {
        return membership(asUser, roomId, "invite", target, reason);
    }

    public CompletableFuture<Void> kick(String asUser, String roomId, String target, String reason) {
        return membership(asUser, roomId, "kick", target, reason);
    }

    public CompletableFuture<Void> ban(String asUser, String roomId, String target, String reason) {
        return membership(asUser, roomId, "ban", target, reason);
    }

    public CompletableFuture<Void> unban(String asUser, String roomId, String target, String reason) {
        return membership(asUser, roomId, "unban", target, reason);
    }

    private CompletableFuture<Void> membership(String asUser, String roomId, String action, String target, String reason) {
        ObjectNode body = withReason(reason);
        if (target != null) {
            body.put("user_id", target);
        }
        return call(Request.post(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/" + action, body)).thenApply(r -> null);
    }

    /**
     * Sets a state event. Soft kicks need this: {@code /kick} keeps only the reason, while a state PUT of
     * {@code m.room.member} keeps every key of the content. Returns the event id.
     */
    public CompletableFuture<String> putState(String asUser, String roomId, String stateKey, StateContent content) {
        return putState(asUser, roomId, content.eventType(), stateKey, content);
    }

    /** Sets a state event of another type than the content's own (the same content under an older name, say). */
    public CompletableFuture<String> putState(String asUser, String roomId, String type, String stateKey, StateContent content) {
        return call(Request.put(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey),
                WritesMatrixJson.state(content))).thenApply(r -> r.path("event_id").asText());
    }

    /** One state event's content, as the bot sees it. */
    CompletableFuture<JsonNode> state(String roomId, String type, String stateKey) {
        return call(Request.get(null, "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey)));
    }

    /** Completes once the bot could read the state event (the room exists and the bot may see it); fails as the read does. */
    public CompletableFuture<Void> checkState(String roomId, String type, String stateKey) {
        return state(roomId, type, stateKey).thenApply(content -> null);
    }

    /** A room's power levels. */
    public CompletableFuture<PowerLevels> powerLevels(String roomId) {
        return state(roomId, "m.room.power_levels", "").thenApply(PowerLevels::read);
    }

    /** A room's join rules. */
    public CompletableFuture<JoinRules> joinRules(String roomId) {
        return state(roomId, "m.room.join_rules", "").thenApply(ReadsMatrixEvents::joinRules);
    }

    /** A room's topic, "" when its topic event has none; fails when the room has no topic event. */
    public CompletableFuture<String> topic(String roomId) {
        return state(roomId, "m.room.topic", "").thenApply(content -> content.path("topic").asText(""));
    }

    /**
     * Whether a room points to the space as its parent ({@code m.space.parent} with servers to join through);
     * fails when the room has no such event.
     */
    public CompletableFuture<Boolean> hasSpaceParent(String roomId, String spaceId) {
        return state(roomId, "m.space.parent", spaceId).thenApply(content -> content.has("via"));
    }

    // ---- one user's member event (membership decisions that must follow the user's own) ----

    /**
     * A user's current member event in a room: its id, who sent it, the membership and content, and the event it
     * replaced ({@code replacesState}, "" when none) with that event's membership when the homeserver said it
     * ({@code previousMembership}, "" when it didn't).
     */
    public record MemberEvent(String eventId, String sender, String membership, boolean softKick, String replacesState,
            String previousMembership) {

        /** The user has no member event in the room: they were never there. */
        public static final MemberEvent NONE = new MemberEvent("", "", "", false, "", "");
    }

    /** The user's current member event in a room, as the bot sees it; {@link MemberEvent#NONE} when there is none. */
    public CompletableFuture<MemberEvent> memberEvent(String roomId, String userId) {
        return call(Request.get(null, "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(userId)
                + "?format=event")).handle((event, failure) -> {
                    if (failure == null) {
                        // A homeserver that doesn't know format=event answers with the content alone.
                        boolean whole = event.has("type") && event.has("content");
                        JsonNode content = whole ? event.path("content") : event;
                        JsonNode unsigned = event.path("unsigned");
                        return new MemberEvent(event.path("event_id").asText(""), event.path("sender").asText(""),
                                content.path("membership").asText(""), content.path(MemberContent.SOFT_KICK_KEY).asBoolean(false),
                                unsigned.path("replaces_state").asText(""),
                                unsigned.path("prev_content").path("membership").asText(""));
                    }
                    Throwable cause = unwrap(failure);
                    if (cause instanceof MatrixException m && m.status() == 404) {
                        return MemberEvent.NONE;
                    }
                    throw new CompletionException(cause);
                });
    }

    /** What the bridge reads of the room's whole current state. */
    public CompletableFuture<RoomState> roomState(String asUser, String roomId) {
        return call(Request.get(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/state")).thenApply(ReadsMatrixEvents::roomState);
    }

    /** Sends a message ({@code m.room.message}). Returns the event id. */
    public CompletableFuture<String> sendMessage(String asUser, String roomId, MessageContent content) {
        return sendMessage(asUser, roomId, content, txnPrefix + "." + TXN_COUNTER.incrementAndGet());
    }

    /**
     * Sends a message event with the caller's transaction id, so that sending it again (after a crash, say) is
     * recognised by the homeserver as the same event, not a second one. The id must be unique among everything the
     * bridge sends (the homeserver scopes an appservice's ids by the appservice, not by the user it masquerades as).
     * Returns the event id.
     */
    public CompletableFuture<String> sendMessage(String asUser, String roomId, MessageContent content, String txnId) {
        return call(Request.put(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/" + enc(txnId),
                WritesMatrixJson.message(content))).thenApply(r -> r.path("event_id").asText());
    }

    /** Sends a plain-text message ({@code m.text} or {@code m.notice}). */
    public CompletableFuture<String> sendText(String asUser, String roomId, String msgtype, String body) {
        return sendMessage(asUser, roomId, MessageContent.of(msgtype, body));
    }

    /** Joined members of a room: user id to display name (null when none). */
    public CompletableFuture<Map<String, String>> joinedMembers(String asUser, String roomId) {
        return call(Request.get(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/joined_members")).thenApply(r -> {
            Map<String, String> members = new LinkedHashMap<>();
            r.path("joined").fields().forEachRemaining(e -> members.put(e.getKey(), e.getValue().path("display_name").asText(null)));
            return members;
        });
    }

    /** Member events of a room, all but those of members who left: joined, invited, knocking, banned. */
    public CompletableFuture<List<MemberChanged>> members(String asUser, String roomId) {
        return call(Request.get(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/members?not_membership=leave")).thenApply(r -> {
            List<MemberChanged> events = new ArrayList<>();
            r.path("chunk").forEach(e -> {
                if (ReadsMatrixEvents.read(e) instanceof MemberChanged member) {
                    events.add(member);
                }
            });
            return events;
        });
    }

    /**
     * Redacts an event (its content is gone for every member, the homeserver keeps only that it was redacted, by whom
     * and why). Needs the redact power level in the room for others' events.
     */
    public CompletableFuture<Void> redact(String asUser, String roomId, String eventId, String reason) {
        String txnId = txnPrefix + "." + TXN_COUNTER.incrementAndGet();
        return call(Request.put(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/redact/" + enc(eventId) + "/" + enc(txnId),
                withReason(reason))).thenApply(r -> null);
    }

    /** One event of a room, as {@code asUser} (the bot when null) may see it. */
    public CompletableFuture<MatrixEvent> event(String asUser, String roomId, String eventId) {
        return call(Request.get(asUser, "/_matrix/client/v3/rooms/" + enc(roomId) + "/event/" + enc(eventId)))
                .thenApply(ReadsMatrixEvents::read);
    }

    // ---- the bot's account data ----

    /**
     * The room one of the bot's account data entries points to ({@code room_id}: the bot remembers the rooms it made
     * this way), or null when it has no such entry.
     */
    public CompletableFuture<String> roomInBotAccountData(String type) {
        return call(Request.get(null, "/_matrix/client/v3/user/" + enc(botUserId) + "/account_data/" + enc(type)))
                .handle((data, failure) -> {
                    if (failure == null) {
                        return data.path("room_id").asText(null);
                    }
                    Throwable cause = unwrap(failure);
                    if (cause instanceof MatrixException m && m.status() == 404) {
                        return null;
                    }
                    throw new CompletionException(cause);
                });
    }

    /** Makes one of the bot's account data entries point to a room ({@code room_id}). */
    public CompletableFuture<Void> setRoomInBotAccountData(String type, String roomId) {
        return call(Request.put(null, "/_matrix/client/v3/user/" + enc(botUserId) + "/account_data/" + enc(type),
                json.createObjectNode().put("room_id", roomId))).thenApply(r -> null);
    }

    // ---- media ----

    /** Uploads a file to the media repository, as the bot. Returns its {@code mxc://} URI. */
    public CompletableFuture<String> uploadMedia(byte[] data, String contentType, String filename) {
        return call(Request.upload("/_matrix/media/v3/upload?filename=" + enc(filename), data, contentType))
                .thenApply(r -> r.path("content_uri").asText());
    }

    /**
     * A file from the media repository on its way: the homeserver's status, content type and disposition, the
     * length it announced (-1 when it didn't), and the body, to be read as it arrives. Closing it stops the
     * download.
     */
    public record Media(int status, InputStream body, long length, String contentType, String disposition) implements Closeable {

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // Closing only stops the download; there is nothing left to save.
            }
        }
    }

    /**
     * Starts downloading a file through the authenticated media API, as the bot; completes when the answer's
     * headers have arrived, with the body still to be read (it is never held in memory whole). Tried once
     * (someone is waiting for it); the answer's status is the homeserver's (404 for a file it doesn't know).
     */
    public CompletableFuture<Media> downloadMedia(String serverName, String mediaId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/_matrix/client/v1/media/download/" + enc(serverName)
                        + "/" + enc(mediaId) + "?allow_redirect=false"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + asToken)
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> new Media(r.statusCode(), r.body(),
                r.headers().firstValueAsLong("Content-Length").orElse(-1),
                r.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                r.headers().firstValue("Content-Disposition").orElse(null)));
    }

    // ---- server ----

    /** The spec versions the homeserver supports; tried once, so start-up can say what is wrong. */
    public CompletableFuture<List<String>> versions() {
        return call(Request.get(null, "/_matrix/client/versions").once()).thenApply(r -> {
            List<String> versions = new ArrayList<>();
            r.path("versions").forEach(v -> versions.add(v.asText()));
            return versions;
        });
    }

    /**
     * Asks the homeserver to ping the bridge (appservice ping). Tried once: a 502/504 answer is the result,
     * saying the homeserver cannot reach the bridge.
     */
    public CompletableFuture<Long> pingAppservice(String appserviceId, String transactionId) {
        return call(Request.post(null, "/_matrix/client/v1/appservice/" + enc(appserviceId) + "/ping",
                json.createObjectNode().put("transaction_id", transactionId)).once())
                .thenApply(r -> r.path("duration_ms").asLong());
    }

    // ---- the machinery ----

    private ObjectNode withReason(String reason) {
        ObjectNode body = json.createObjectNode();
        if (reason != null && !reason.isEmpty()) {
            body.put("reason", reason);
        }
        return body;
    }

    /** Encodes one path segment (user ids, room ids and aliases contain @, !, # and :). */
    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** One request to the homeserver; a body is JSON, or {@code raw} bytes of {@code contentType} (uploads). */
    record Request(String method, String asUser, String path, JsonNode body, boolean retry, byte[] raw, String contentType) {
        Request(String method, String asUser, String path, JsonNode body, boolean retry) {
            this(method, asUser, path, body, retry, null, null);
        }

        static Request get(String asUser, String path) {
            return new Request("GET", asUser, path, null, true);
        }

        static Request post(String asUser, String path, JsonNode body) {
            return new Request("POST", asUser, path, body, true);
        }

        static Request put(String asUser, String path, JsonNode body) {
            return new Request("PUT", asUser, path, body, true);
        }

        static Request delete(String asUser, String path) {
            return new Request("DELETE", asUser, path, null, true);
        }

        static Request upload(String path, byte[] data, String contentType) {
            return new Request("POST", null, path, null, true, data, contentType);
        }

        Request once() {
            return new Request(method, asUser, path, body, false, raw, contentType);
        }
    }

    /** Sends a request, retrying what can succeed later. */
    CompletableFuture<JsonNode> call(Request request) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        attempt(request, 0, System.currentTimeMillis(), result);
        return result;
    }

    private void attempt(Request request, int attempt, long firstAttemptAt, CompletableFuture<JsonNode> result) {
        HttpRequest httpRequest;
        try {
            httpRequest = toHttp(request);
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (request.retry()) {
                    retryLater(request, attempt, firstAttemptAt, result, backoff(attempt), "connection failed: " + cause);
                } else {
                    result.completeExceptionally(cause);
                }
                return;
            }
            int status = response.statusCode();
            JsonNode body = parse(response.body());
            if (status >= 200 && status < 300) {
                result.complete(body);
            } else if (request.retry() && status == 429) {
                long wait = body.path("retry_after_ms").asLong(backoff(attempt));
                retryLater(request, attempt, firstAttemptAt, result, Math.max(wait, 1), "rate limited");
            } else if (request.retry() && status >= 500
                    && System.currentTimeMillis() - firstAttemptAt < SERVER_ERROR_RETRY_MS) {
                retryLater(request, attempt, firstAttemptAt, result, backoff(attempt), "server error " + status);
            } else {
                result.completeExceptionally(new MatrixException(status, body.path("errcode").asText("M_UNKNOWN"),
                        body.path("error").asText("")));
            }
        });
    }

    private void retryLater(Request request, int attempt, long firstAttemptAt, CompletableFuture<JsonNode> result, long delayMs,
            String why) {
        LOG.warnf("%s %s: %s; retrying in %d ms (attempt %d)", request.method(), request.path(), why, delayMs, attempt + 1);
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS)
                .execute(() -> attempt(request, attempt + 1, firstAttemptAt, result));
    }

    /** Exponential backoff from 200 ms to 30 s, with jitter so that many retries don't arrive together. */
    static long backoff(int attempt) {
        long base = Math.min(MAX_BACKOFF_MS, 200L << Math.min(attempt, 10));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private HttpRequest toHttp(Request request) throws IOException {
        String url = baseUrl + request.path();
        if (request.asUser() != null && !request.asUser().equals(botUserId)) {
            url += (url.contains("?") ? "&" : "?") + "user_id=" + URLEncoder.encode(request.asUser(), StandardCharsets.UTF_8);
        }
        HttpRequest.BodyPublisher body = request.raw() != null ? HttpRequest.BodyPublishers.ofByteArray(request.raw())
                : request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request.body()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + asToken)
                .method(request.method(), body);
        if (request.raw() != null) {
            builder.header("Content-Type", request.contentType());
        } else if (request.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body.length == 0 ? null : json.readTree(body);
            return node == null ? json.createObjectNode() : node;
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
