package net.ircbridge.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import net.ircbridge.matrix.LinksToMedia.Check;
import org.junit.jupiter.api.Test;

class LinksToMediaTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static LinksToMedia links(Optional<Duration> expiry, Instant now) {
        return new LinksToMedia("https://bridge.example.org/", "secret", expiry, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The parts of a link after /_ircbridge/media/: server, media id, [expires,] signature, name. */
    private static String[] parts(String link) {
        return link.substring(link.indexOf(LinksToMedia.PATH) + LinksToMedia.PATH.length() + 1).split("/");
    }

    @Test
    void aLinkWithoutExpiryWorksWhileNoneIsConfigured() {
        String[] p = parts(links(Optional.empty(), NOW).link("mxc://hs.org/abc", "cat.png").orElseThrow());
        assertEquals(4, p.length);
        assertEquals(Check.VALID, links(Optional.empty(), NOW.plusSeconds(365L * 86400)).check(p[0], p[1], null, p[2]));
        assertEquals(Check.NOT_OURS, links(Optional.empty(), NOW).check(p[0], "abd", null, p[2]));
    }

    @Test
    void aLinkWithoutExpiryCountsAsExpiredOnceAnExpiryIsConfigured() {
        String[] p = parts(links(Optional.empty(), NOW).link("mxc://hs.org/abc", "cat.png").orElseThrow());
        assertEquals(Check.EXPIRED, links(Optional.of(Duration.ofDays(7)), NOW).check(p[0], p[1], null, p[2]));
    }

    @Test
    void anExpiringLinkWorksUntilItsEndAndItsEndIsSigned() {
        Optional<Duration> week = Optional.of(Duration.ofDays(7));
        String[] p = parts(links(week, NOW).link("mxc://hs.org/abc", "cat.png").orElseThrow());
        assertEquals(5, p.length);
        assertEquals(Long.toString(NOW.plus(Duration.ofDays(7)).getEpochSecond()), p[2]);
        assertEquals(Check.VALID, links(week, NOW.plusSeconds(3600)).check(p[0], p[1], p[2], p[3]));
        assertEquals(Check.EXPIRED, links(week, NOW.plus(Duration.ofDays(7))).check(p[0], p[1], p[2], p[3]));
        assertEquals(Check.NOT_OURS, links(week, NOW).check(p[0], p[1], Long.toString(Long.parseLong(p[2]) + 1), p[3]));
        assertEquals(Check.NOT_OURS, links(week, NOW).check(p[0], p[1], "-1", p[3]));
        assertEquals(Check.NOT_OURS, links(week, NOW).check(p[0], p[1], "9".repeat(40), p[3]));
        // Still signed when the expiry is no longer configured: its end stays its end.
        assertEquals(Check.EXPIRED, links(Optional.empty(), NOW.plus(Duration.ofDays(8))).check(p[0], p[1], p[2], p[3]));
        // A shortened expiry ends older links when a new one would end.
        assertEquals(Check.EXPIRED, links(Optional.of(Duration.ofDays(1)), NOW).check(p[0], p[1], p[2], p[3]));
    }

    @Test
    void copyingStopsAsSoonAsMoreThanTheMaximumHasArrived() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1000, ServesMediaLinks.copyAtMost(new ByteArrayInputStream(new byte[1000]), out, 1000));
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        assertThrows(ServesMediaLinks.TooLarge.class,
                () -> ServesMediaLinks.copyAtMost(new ByteArrayInputStream(new byte[300_000]), cut, 100_000));
        assertTrue(cut.size() <= 100_000, "nothing past the cap is passed on: " + cut.size());
    }
}
