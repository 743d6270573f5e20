package net.ircbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworksTest {

    @TempDir
    Path dir;

    /** Two networks, the second named and with settings of its own, loaded as the bridge loads them. */
    private Networks twoNetworks() throws Exception {
        String yaml = MinimalConfig.VALID.replace("""
                    - id: example
                      host: 127.0.0.1
                      channels: []
                """, """
                    - id: zeta
                      host: 127.0.0.1
                      channels: []
                    - id: alpha
                      name: Alpha Net
                      host: 127.0.0.1
                      channels: []
                      reconnect-delay-seconds: 7
                      absence-grace-seconds: 9
                """);
        LoadsConfiguration.Result result = MinimalConfig.load(dir, yaml, false);
        assertEquals(List.of(), result.problems());
        return new Networks(result.configuration().irc());
    }

    @Test
    void findsEachConfiguredNetworkByItsIdInTheConfigurationsOrder() throws Exception {
        Networks networks = twoNetworks();
        assertEquals(List.of("zeta", "alpha"), networks.all().stream().map(IrcConfig.Network::id).toList());
        assertEquals("alpha", networks.get("alpha").id());
        assertEquals(Optional.of("zeta"), networks.byId("zeta").map(IrcConfig.Network::id));
        assertTrue(networks.isKnown("zeta"));
    }

    @Test
    void namesANetworkByItsNameOrElseItsId() throws Exception {
        Networks networks = twoNetworks();
        assertEquals("Alpha Net", networks.displayName("alpha"));
        assertEquals("zeta", networks.displayName("zeta"));
    }

    @Test
    void givesTheConfiguredSettingsAndTheirDefaults() throws Exception {
        Networks networks = twoNetworks();
        assertEquals(7, networks.get("alpha").reconnectDelaySeconds());
        assertEquals(9, networks.get("alpha").absenceGraceSeconds());
        assertEquals(2, networks.get("zeta").reconnectDelaySeconds());
        assertEquals(5, networks.get("zeta").absenceGraceSeconds());
    }

    @Test
    void anUnknownIdIsNamedByItselfAndRefusedWhereANetworkIsNeeded() throws Exception {
        Networks networks = twoNetworks();
        assertEquals("gone", networks.displayName("gone"));
        assertEquals(Optional.empty(), networks.byId("gone"));
        assertEquals(Optional.empty(), networks.byId(null));
        assertFalse(networks.isKnown("gone"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> networks.get("gone"));
        assertTrue(refused.getMessage().contains("'gone'"), refused.getMessage());
    }
}
