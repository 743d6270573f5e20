package net.ircbridge.bridge.portals;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchesChannelGlobsTest {

    @Test
    void aStarStandsForAnyRunAndAQuestionMarkForOneCharacter() {
        assertTrue(MatchesChannelGlobs.matches("#project-*", "#project-"));
        assertTrue(MatchesChannelGlobs.matches("#project-*", "#project-dev"));
        assertTrue(MatchesChannelGlobs.matches("#*-dev", "#a-b-dev"));
        assertTrue(MatchesChannelGlobs.matches("#a?c", "#abc"));
        assertFalse(MatchesChannelGlobs.matches("#a?c", "#ac"));
        assertFalse(MatchesChannelGlobs.matches("#project-*", "#projects"));
        assertTrue(MatchesChannelGlobs.matches("*", "#anything"));
        assertFalse(MatchesChannelGlobs.matches("#exact", "#exactly"));
    }

    @Test
    void matchesCaseInsensitivelyWithIrcFolding() {
        MatchesChannelGlobs globs = new MatchesChannelGlobs(List.of("#Spam[*]"));
        assertTrue(globs.matchesAny("#SPAM{x}"));
        assertTrue(globs.matchesAny("#spam[X]"));
        assertFalse(globs.matchesAny("#ham[x]"));
    }

    @Test
    void noPatternsMatchNothing() {
        MatchesChannelGlobs none = new MatchesChannelGlobs(List.of());
        assertTrue(none.isEmpty());
        assertFalse(none.matchesAny("#x"));
    }

    @Test
    void aHostilePatternCostsNoMoreThanTheProductOfTheLengths() {
        String pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";
        String name = "#" + "a".repeat(5000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(MatchesChannelGlobs.matches(pattern, name)));
    }
}
