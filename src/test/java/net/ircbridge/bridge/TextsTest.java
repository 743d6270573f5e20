package net.ircbridge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void fillsPlaceholdersAndDropsAnEmptyReasonWithItsColon() {
        assertEquals("Kicked by op: spam", Texts.fill("Kicked by {kicker}: {reason}", "kicker", "op", "reason", "spam"));
        assertEquals("Kicked by op", Texts.fill("Kicked by {kicker}: {reason}", "kicker", "op", "reason", ""));
        assertEquals("Joined #a on Net", Texts.fill("Joined {channel} on {network}", "channel", "#a", "network", "Net"));
    }
}
