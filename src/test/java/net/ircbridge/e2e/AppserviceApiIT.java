package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import net.ircbridge.config.Registration;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The appservice API as the homeserver (and a stranger) sees it. */
class AppserviceApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestBed bed;
    private static BridgeProcess bridge;
    private static String hsToken;

    @BeforeAll
    static void startBridge() {
        bed = TestBed.get();
        bridge = BridgeProcess.start(TestBridgeConfig.write(bed, "api"));
        hsToken = Registration.read(bed.registrationFile()).hsToken();
    }

    @AfterAll
    static void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bed.bridgePort() + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errcode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("errcode").asText();
    }

    @Test
    void aRequestWithoutTheTokenIsUnauthorized() throws Exception {
        HttpResponse<String> r = call("PUT", "/_matrix/app/v1/transactions/no-token", null);
        assertEquals(401, r.statusCode());
        assertEquals("M_MISSING_TOKEN", errcode(r));
    }

    @Test
    void aRequestWithAWrongTokenIsForbidden() throws Exception {
        HttpResponse<String> r = call("PUT", "/_matrix/app/v1/transactions/wrong-token", hsToken + "x");
        assertEquals(403, r.statusCode());
        assertEquals("M_FORBIDDEN", errcode(r));
        HttpResponse<String> asToken = call("GET", "/_matrix/app/v1/users/%40irc_testnet_x%3Alocalhost",
                Registration.read(bed.registrationFile()).asToken());
        assertEquals(403, asToken.statusCode(), "the as_token is not the hs_token");
    }

    @Test
    void unknownRoutesAreUnrecognized() throws Exception {
        HttpResponse<String> r = call("GET", "/_matrix/app/v1/nothing-here", hsToken);
        assertEquals(404, r.statusCode());
        assertEquals("M_UNRECOGNIZED", errcode(r));
        HttpResponse<String> outside = call("GET", "/whatever", null);
        assertEquals(404, outside.statusCode());
        assertEquals("M_UNRECOGNIZED", errcode(outside));
    }

    @Test
    void pingIsAnswered() throws Exception {
        HttpResponse<String> r = call("POST", "/_matrix/app/v1/ping", hsToken);
        assertEquals(200, r.statusCode());
        assertEquals("{}", r.body());
    }

    @Test
    void theStartupPingSucceeded() {
        bridge.awaitLog(l -> l.contains("Homeserver ping succeeded"), BridgeProcess.START_TIMEOUT);
    }

    @Test
    void aGhostIsRegisteredWhenTheHomeserverAsksForIt() throws Exception {
        String nick = bed.uniqueName("Nick");
        String ghost = "@irc_testnet_" + nick.toLowerCase() + ":localhost";
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("q").toLowerCase());
        // Inviting the ghost makes the homeserver ask the bridge whether it exists; the bridge registers it then.
        String room = user.createRoom(java.util.Map.of("preset", "private_chat"));
        user.invite(room, ghost);
        // The homeserver asks after the invite is made, so the profile appears shortly afterwards.
        MatrixTestClient.Response profile = net.ircbridge.testbed.Await.untilPresent(TestBed.DEFAULT_TIMEOUT,
                "the ghost's profile exists", () -> java.util.Optional.of(user.get("profile/" + URLEncoder.encode(ghost,
                        StandardCharsets.UTF_8))).filter(r -> r.ok() && nick.toLowerCase().equals(r.body().path("displayname").asText())));
        assertEquals(nick.toLowerCase(), profile.body().path("displayname").asText());

        HttpResponse<String> stranger = call("GET", "/_matrix/app/v1/users/" + URLEncoder.encode("@someone:localhost",
                StandardCharsets.UTF_8), hsToken);
        assertEquals(404, stranger.statusCode());
    }

    @Test
    void thirdPartyLookupsThroughTheHomeserverFindNetworksChannelsAndNicks() throws Exception {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("tp").toLowerCase());
        JsonNode protocols = user.get("thirdparty/protocols").orThrow("protocols").body();
        JsonNode instance = protocols.path("irc").path("instances").get(0);
        assertEquals("Test IRC", instance.path("desc").asText());
        assertEquals(TestBridgeConfig.NETWORK, instance.path("fields").path("network").asText());

        JsonNode locations = user.get("thirdparty/location/irc?network=testnet&channel=%23Some-Chan").orThrow("location").body();
        assertEquals("#irc_testnet_some-chan:localhost", locations.get(0).path("alias").asText());
        JsonNode users = user.get("thirdparty/user/irc?network=testnet&nickname=Bob").orThrow("user").body();
        assertEquals("@irc_testnet_bob:localhost", users.get(0).path("userid").asText());

        assertTrue(user.get("thirdparty/user/irc?network=nonet&nickname=Bob").body().isEmpty(), "no such network");
    }

    @Test
    void reverseThirdPartyLookupsNameTheNetworkChannelAndNick() throws Exception {
        // Synapse doesn't forward lookups without a protocol, so these are asked of the bridge directly.
        HttpResponse<String> byAlias = call("GET", "/_matrix/app/v1/thirdparty/location?alias=%23irc_testnet_some-chan%3Alocalhost", hsToken);
        assertEquals(200, byAlias.statusCode());
        JsonNode location = JSON.readTree(byAlias.body()).get(0);
        assertEquals("#some-chan", location.path("fields").path("channel").asText());
        assertEquals("testnet", location.path("fields").path("network").asText());

        HttpResponse<String> byUser = call("GET", "/_matrix/app/v1/thirdparty/user?userid=%40irc_testnet_bob%3Alocalhost", hsToken);
        assertEquals("bob", JSON.readTree(byUser.body()).get(0).path("fields").path("nickname").asText());

        HttpResponse<String> notOurs = call("GET", "/_matrix/app/v1/thirdparty/user?userid=%40bob%3Alocalhost", hsToken);
        assertEquals(404, notOurs.statusCode());
        HttpResponse<String> otherProtocol = call("GET", "/_matrix/app/v1/thirdparty/protocol/xmpp", hsToken);
        assertEquals(404, otherProtocol.statusCode());
    }
}
