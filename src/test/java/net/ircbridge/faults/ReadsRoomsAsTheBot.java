package net.ircbridge.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads rooms as their one member that no fault removes: the bridge's bot (the appservice's {@code as_token} from
 * the test bed's registration, without {@code user_id}). A room's whole timeline comes from {@code /messages},
 * paginated backwards to the room's start (at most {@value #MAX_PAGES} pages of {@value #PAGE} events).
 */
final class ReadsRoomsAsTheBot {

    private static final int PAGE = 500;
    private static final int MAX_PAGES = 400;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String baseUrl;
    private final String token;

    ReadsRoomsAsTheBot(String baseUrl, Path registration) {
        this.baseUrl = baseUrl;
        try {
            Matcher m = Pattern.compile("(?m)^as_token:\\s*[\"']?([^\"'\\s]+)").matcher(Files.readString(registration));
            if (!m.find()) {
                throw new IllegalStateException("no as_token in " + registration);
            }
            this.token = m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every event of the room's timeline, oldest first. */
    List<JsonNode> timeline(String roomId) {
        List<JsonNode> events = new ArrayList<>();
        String from = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String path = "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages?dir=b&limit=" + PAGE
                    + (from == null ? "" : "&from=" + enc(from));
            JsonNode body = get(path);
            JsonNode chunk = body.path("chunk");
            chunk.forEach(events::add);
            String end = body.path("end").asText(null);
            if (chunk.isEmpty() || end == null || end.equals(from)) {
                break;
            }
            from = end;
        }
        Collections.reverse(events);
        return events;
    }

    /** The room's current member events (every membership), as {@code /members} gives them. */
    List<JsonNode> members(String roomId) {
        List<JsonNode> out = new ArrayList<>();
        get("/_matrix/client/v3/rooms/" + enc(roomId) + "/members").path("chunk").forEach(out::add);
        return out;
    }

    private JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
