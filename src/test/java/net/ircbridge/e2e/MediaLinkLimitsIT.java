package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The media links are open to anyone who has one (issue 11, finding 7): files are streamed through a heap far
 * smaller than they are, files over {@code relay.media.max-size} are refused, and downloads over
 * {@code relay.media.max-concurrent-downloads} are told to come back later.
 */
class MediaLinkLimitsIT extends OneBridgePerClass {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1, as a browser behind a reverse proxy comes: one connection per download. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** The bridge's heap: smaller than the large file, so only a streamed download can succeed. */
    private static final String HEAP = "-Xmx64m";
    private static final int MAX_SIZE = 40 * 1024 * 1024;
    /** Synapse's default max_upload_size is 50M: both files fit. */
    private static final int LARGE = 36 * 1024 * 1024;
    private static final int OVER_CAP = 44 * 1024 * 1024;
    private static final Duration BIG_WAIT = Duration.ofSeconds(120);

    @BeforeAll
    static void start() throws Exception {
        bed = TestBed.get();
        config = TestBridgeConfig.write(bed, "media-limits");
        TestBridgeConfig.networkSetting(config, "channels: []\n      send-rate:\n        burst: 50\n        interval-millis: 50");
        Files.writeString(config, Files.readString(config) + "relay:\n  media:\n    max-size: 40M\n    max-concurrent-downloads: 2\n");
        bridge = BridgeProcess.start(config, List.of(HEAP));
        bot = "@ircbridge:" + bed.serverName();
    }

    @Test
    void aFileLargerThanTheBridgesHeapIsStreamedWhole() throws Exception {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("big")) {
            byte[] data = randomBytes(LARGE, 1);
            String link = share(p, data, "big.bin");
            long rssBefore = rssKb(bridge.pid());
            HttpResponse<InputStream> r = download(link, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long received = 0;
            long rssPeak = rssBefore;
            try (InputStream in = r.body()) {
                byte[] buffer = new byte[256 * 1024];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    sha.update(buffer, 0, n);
                    received += n;
                    rssPeak = Math.max(rssPeak, rssKb(bridge.pid()));
                }
            }
            assertEquals(LARGE, received);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), sha.digest(), "the file arrives unchanged");
            System.out.printf("[media] %d MB through a bridge with %s: RSS %d MB before, at most %d MB during%n", LARGE >> 20, HEAP,
                    rssBefore >> 10, rssPeak >> 10);
            assertTrue(bridge.output().stream().noneMatch(l -> l.contains("OutOfMemoryError")), "no OutOfMemoryError");
        }
    }

    @Test
    void aFileOverTheMaximumSizeIsRefused() throws Exception {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("over")) {
            String link = share(p, randomBytes(OVER_CAP, 2), "over.bin");
            HttpResponse<String> r = download(link, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
            assertEquals("M_TOO_LARGE", JSON.readTree(r.body()).path("errcode").asText());
            assertTrue(r.body().contains("relay.media.max-size"), r.body());
        }
    }

    @Test
    void downloadsOverTheConcurrentLimitAreToldToComeBackLater() throws Exception {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("conc")) {
            // Two downloads of a large file that nobody reads hold both places.
            String large = share(p, randomBytes(LARGE, 3), "large.bin");
            String small = share(p, randomBytes(1000, 4), "small.bin");
            HttpResponse<InputStream> first = download(large, HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> second = download(large, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, first.statusCode());
            assertEquals(200, second.statusCode());

            HttpResponse<String> third = download(small, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, third.statusCode(), third.body());
            assertTrue(third.headers().firstValue("Retry-After").isPresent(), "Retry-After says when to come back");

            // Once those downloads end, the places are free again.
            first.body().close();
            second.body().close();
            HttpResponse<byte[]> later = Await.untilPresent(Duration.ofSeconds(60), "a download succeeds again", () -> {
                HttpResponse<byte[]> again = download(small, HttpResponse.BodyHandlers.ofByteArray());
                return Optional.of(again).filter(a -> a.statusCode() == 200);
            });
            assertEquals(1000, later.body().length);
        }
    }

    @Test
    void aDownloadNobodyReadsGivesItsPlaceBackWhenItStalls() throws Exception {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("stall")) {
            String large = share(p, randomBytes(LARGE, 5), "stalled.bin");
            String small = share(p, randomBytes(1000, 6), "tiny.bin");
            HttpResponse<InputStream> first = download(large, HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> second = download(large, HttpResponse.BodyHandlers.ofInputStream());
            try {
                assertEquals(503, download(small, HttpResponse.BodyHandlers.ofString()).statusCode(), "both places are taken");
                // Neither client reads nor leaves; the bridge's idle timeout (60 s) ends their downloads.
                HttpResponse<byte[]> later = Await.untilPresent(Duration.ofSeconds(180), "a download succeeds again", () -> {
                    HttpResponse<byte[]> again = download(small, HttpResponse.BodyHandlers.ofByteArray());
                    return Optional.of(again).filter(a -> a.statusCode() == 200);
                });
                assertEquals(1000, later.body().length);
            } finally {
                first.body().close();
                second.body().close();
            }
        }
    }

    /** Gets a link with the test's HTTP/1.1 client, with a deadline long enough for a large file. */
    private static <T> HttpResponse<T> download(String link, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(link)).timeout(BIG_WAIT).build(), body);
    }

    /** Sends a file to the portal as a Matrix user and returns the link IRC gets for it. */
    static String share(MessageRelayIT.Portal p, byte[] data, String name) throws Exception {
        String mxc = upload(p.user(), data, "application/octet-stream", name);
        p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.file", "body", name, "url", mxc,
                "info", Map.of("mimetype", "application/octet-stream", "size", data.length)));
        String line = p.op().awaitMessage(m -> m.is("PRIVMSG") && p.nick().equals(m.sourceNick()), WAIT).trailing();
        Matcher m = Pattern.compile(Pattern.quote(name) + " (http://\\S+/" + Pattern.quote(name) + ")").matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Uploads a file as a Matrix user; returns its mxc URI. */
    static String upload(MatrixTestClient user, byte[] data, String type, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(bed.synapseUrl() + "/_matrix/media/v3/upload?filename=" + name))
                .timeout(BIG_WAIT)
                .header("Authorization", "Bearer " + user.accessToken()).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("content_uri").asText();
    }

    /** Resident memory of a process, in KB. */
    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
