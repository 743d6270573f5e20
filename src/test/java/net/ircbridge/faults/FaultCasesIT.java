package net.ircbridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * The short form of every fault case of issue 12, part of the default {@code verify}: two Matrix users in one room,
 * a few messages each way, a 5 s outage; each case well under two minutes. Each prints its row of figures (and adds
 * it to {@code target/faults/results.md}). It asserts that the harness saw traffic both ways, and zero in the loss
 * and privacy columns (lines taken by a crash window, which no bridge can recover, are counted apart: see
 * {@link ChecksFaultInvariants.CrashWindow}); {@code -Dfaults.strict=false} turns the zero checks off.
 * {@link FaultSuiteIT} runs the same cases long.
 */
class FaultCasesIT {

    static final FaultSizes SHORT = new FaultSizes(2, 1, 6, Duration.ofMillis(300), 12, Duration.ofMillis(300),
            Duration.ofSeconds(5), Duration.ofSeconds(90));

    private static FaultSizes sizes() {
        return FaultSizes.from(SHORT);
    }

    /** What every case asserts: traffic went both ways; unless faults.strict=false, nothing lost and no privacy breach. */
    static void check(CaseReport r) {
        assertTrue(r.matrixToIrc().sent() > 0 && r.matrixToIrc().delivered() > 0, () -> "no Matrix → IRC traffic: " + r.diagnosis());
        assertTrue(r.ircToMatrix().sent() > 0 && r.ircToMatrix().delivered() > 0, () -> "no IRC → Matrix traffic: " + r.diagnosis());
        if (FaultSizes.strict()) {
            assertEquals(0, r.matrixToIrc().lost(), () -> "Matrix → IRC messages lost: " + r.diagnosis());
            assertEquals(0, r.ircToMatrix().lost(), () -> "IRC → Matrix messages lost: " + r.diagnosis());
            assertEquals(0, r.softKicksOwed(), () -> "soft kicks without an invite back: " + r.diagnosis());
            assertEquals(0, r.wrongInvites(), () -> "invites to users who had left: " + r.diagnosis());
            assertEquals(0, r.exposedMessages(), () -> "IRC messages read by someone absent from the channel: " + r.diagnosis());
        }
    }

    @Test
    void aBridgeKilledDuringABurstBothWays() {
        check(InjectsFaults.bridgeDownDuringBurst(TestBed.get(), sizes(), true));
    }

    @Test
    void aBridgeRestartedDuringABurstBothWays() {
        check(InjectsFaults.bridgeDownDuringBurst(TestBed.get(), sizes(), false));
    }

    @Test
    void aBridgeKilledDuringASoftKickStorm() {
        check(InjectsFaults.bridgeDownDuringSoftKickStorm(TestBed.get(), sizes(), true));
    }

    @Test
    void aBridgeRestartedDuringASoftKickStorm() {
        check(InjectsFaults.bridgeDownDuringSoftKickStorm(TestBed.get(), sizes(), false));
    }

    @Test
    void aSynapseOutageUnderIrcTrafficWithABridgeRestartInIt() {
        check(InjectsFaults.synapseOutageWithBridgeRestart(TestBed.get(), sizes()));
    }

    @Test
    void aPostgresqlRestartUnderTraffic() {
        check(InjectsFaults.postgresRestart(TestBed.get(), sizes()));
    }

    @Test
    void anIrcServerRestartUnderTraffic() {
        check(InjectsFaults.ircRestart(TestBed.get(), sizes()));
    }

    @Test
    void aNetsplitUnderTraffic() {
        check(InjectsFaults.netsplit(TestBed.get(), sizes()));
    }

    @Test
    void aChaosRunOfRandomFaults() {
        check(InjectsFaults.chaos(TestBed.get(), sizes()));
    }
}
