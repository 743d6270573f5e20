package net.ircbridge.config;

import static net.ircbridge.config.MinimalConfig.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** relay.media.*: defaults, the forms read, and the start-up checks. */
class MediaLimitsConfigurationTest {

    @TempDir
    Path dir;

    private LoadsConfiguration.Result load(String media) throws IOException {
        return MinimalConfig.load(dir, VALID + (media.isEmpty() ? "" : "relay:\n  media:\n" + media), false);
    }

    @Test
    void defaultsAreAHundredMegabytesEightDownloadsAndNoExpiry() throws IOException {
        LoadsConfiguration.Result r = load("");
        assertEquals(List.of(), r.problems());
        RelayConfig.Media media = r.configuration().relay().media();
        assertEquals(100L * 1024 * 1024, media.maxSize().asLongValue());
        assertEquals(8, media.maxConcurrentDownloads());
        assertEquals(Optional.empty(), media.linkExpiry());
    }

    @Test
    void readsSizesWithSuffixesAndDurations() throws IOException {
        LoadsConfiguration.Result r = load("    max-size: 2G\n    max-concurrent-downloads: 3\n    link-expiry: 7d\n");
        assertEquals(List.of(), r.problems());
        assertEquals(2L << 30, r.configuration().relay().media().maxSize().asLongValue());
        assertEquals(Optional.of(Duration.ofDays(7)), r.configuration().relay().media().linkExpiry());
    }

    @Test
    void eachBadValueIsOneLineNamingItsKey() throws IOException {
        assertEquals(List.of("relay.media.max-size: must be at least 1 byte (e.g. 100M)",
                "relay.media.max-concurrent-downloads: must be at least 1",
                "relay.media.link-expiry: must be at least 1s (or empty: links don't expire)"),
                load("    max-size: 0\n    max-concurrent-downloads: 0\n    link-expiry: 0s\n").problems());
        List<String> unreadable = load("    max-size: lots\n").problems();
        assertEquals(1, unreadable.size(), unreadable::toString);
        assertTrue(unreadable.get(0).startsWith("relay.media.max-size: 'lots' is not valid"), unreadable::toString);
    }
}
