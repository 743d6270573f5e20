package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With {@code relay.media.link-expiry}, a media link carries its end, signed, and then answers 410 Gone. */
class ExpiringMediaLinksIT extends OneBridgePerClass {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final long EXPIRY_SECONDS = 20;

    @BeforeAll
    static void start() throws Exception {
        bed = TestBed.get();
        config = TestBridgeConfig.write(bed, "media-expiry");
        Files.writeString(config, Files.readString(config) + "relay:\n  media:\n    link-expiry: " + EXPIRY_SECONDS + "s\n");
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
    }

    private static HttpResponse<byte[]> get(String link) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(link)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aLinkWorksUntilItsTimeIsOverThenAnswersGone() throws Exception {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("exp")) {
            byte[] data = MediaLinkLimitsIT.randomBytes(5000, 7);
            long before = Instant.now().getEpochSecond();
            String link = MediaLinkLimitsIT.share(p, data, "notes.bin");
            Matcher m = Pattern.compile("/_ircbridge/media/[^/]+/[^/]+/([0-9]+)/([^/]+)/notes\\.bin$").matcher(link);
            assertTrue(m.find(), "the link carries its expiry: " + link);
            long expires = Long.parseLong(m.group(1));
            assertTrue(expires >= before + EXPIRY_SECONDS && expires <= Instant.now().getEpochSecond() + EXPIRY_SECONDS,
                    "expires " + expires + " is " + EXPIRY_SECONDS + " s after the link was made");

            HttpResponse<byte[]> fresh = get(link);
            assertEquals(200, fresh.statusCode());
            assertArrayEquals(data, fresh.body());

            // The expiry is signed: moving it on makes a link the bridge never made.
            String extended = link.replace("/" + expires + "/", "/" + (expires + 3600) + "/");
            assertEquals(404, get(extended).statusCode());
            // So is its absence: the link without it is not the bridge's either.
            assertEquals(404, get(link.replace("/" + expires + "/", "/")).statusCode());

            HttpResponse<byte[]> gone = Await.untilPresent(Duration.ofSeconds(EXPIRY_SECONDS + 60), "the link has expired",
                    () -> Optional.of(get(link)).filter(r -> r.statusCode() != 200));
            assertEquals(410, gone.statusCode(), new String(gone.body()));
            assertTrue(Instant.now().getEpochSecond() >= expires, "not before its time");
        }
    }
}
