package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacesNewConnectionsTest {

    @Test
    void spacesConnectionsToANetworkByItsRateAndLetsAQuietNetworkConnectAtOnce() {
        PacesNewConnections pacing = new PacesNewConnections(network -> "slow".equals(network) ? 4 : 1000);
        long now = 1_000_000_000L;
        assertEquals(0, pacing.reserve("slow", now));
        assertEquals(250_000_000L, pacing.reserve("slow", now));
        assertEquals(500_000_000L, pacing.reserve("slow", now));
        // Another network has slots of its own.
        assertEquals(0, pacing.reserve("fast", now));
        // Once the reserved slots have passed, the next connection may start at once.
        assertEquals(0, pacing.reserve("slow", now + 2_000_000_000L));
    }

    @Test
    void fiveHundredReconnectsAtFivePerSecondAreSpreadOverOneHundredSeconds() {
        PacesNewConnections pacing = new PacesNewConnections(network -> 5);
        long last = 0;
        for (int i = 0; i < 500; i++) {
            last = pacing.reserve("net", 0);
        }
        assertEquals(99_800_000_000L, last);
    }
}
