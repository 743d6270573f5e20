package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** What the bridge says at start-up about its connection with the homeserver. */
class StartupChecksIT {

    @Test
    void theHomeserverPingsTheBridgeAtStartup() {
        TestBed bed = TestBed.get();
        try (BridgeProcess bridge = BridgeProcess.start(TestBridgeConfig.write(bed, "ping-ok"))) {
            String line = bridge.awaitLog(l -> l.contains("Homeserver ping"), BridgeProcess.START_TIMEOUT);
            assertTrue(line.contains("Homeserver ping succeeded: the homeserver reached the bridge at http://127.0.0.1:"
                    + bed.bridgePort()), line);
        }
    }

    @Test
    void aBridgeTheHomeserverCannotReachSaysSoAndWhatToFix() {
        TestBed bed = TestBed.get();
        try (BridgeProcess bridge = BridgeProcess.start(TestBridgeConfig.writeUnreachable(bed, "ping-fails"))) {
            String line = bridge.awaitLog(l -> l.contains("Homeserver ping"), BridgeProcess.START_TIMEOUT);
            assertTrue(line.contains("Homeserver ping failed: the homeserver cannot reach the bridge at http://127.0.0.1:"
                    + TestBridgeConfig.UNREACHABLE_PORT), line);
            assertTrue(line.contains("M_CONNECTION_FAILED") && line.contains("appservice.url"), line);
        }
    }

    @Test
    void aTokenTheHomeserverDoesNotKnowStopsTheBridgeWithTheFix() throws Exception {
        TestBed bed = TestBed.get();
        java.nio.file.Path config = TestBridgeConfig.write(bed, "bad-token");
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config)
                .replace("  bot-localpart: ircbridge\n", "  bot-localpart: ircbridge\n  as-token: not-the-token\n  hs-token: x\n"));
        BridgeProcess bridge = BridgeProcess.launch("bad-token", "-c", config.toString());
        try {
            String line = bridge.awaitLog(l -> l.contains("does not know this bridge's as_token"), BridgeProcess.START_TIMEOUT);
            assertTrue(line.contains("app_service_config_files"), line);
            net.ircbridge.testbed.Await.until(BridgeProcess.START_TIMEOUT, "the bridge exits", () -> {
                try {
                    return bridge.exitCode() == 1;
                } catch (IllegalThreadStateException running) {
                    return false;
                }
            });
        } finally {
            bridge.close();
        }
    }
}
