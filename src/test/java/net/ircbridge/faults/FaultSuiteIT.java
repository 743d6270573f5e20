package net.ircbridge.faults;

import java.time.Duration;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite of issue 12 at full length: not part of the default {@code verify} (pom.xml excludes it), run by
 * {@code ./mvnw -B verify -Pfaults} or bench/faults/run.sh. Defaults: 10 Matrix users in 3 rooms, 20 messages per
 * sender and room each way, a 60 s Synapse outage, a chaos run of 50 faults; every size is a system property
 * ({@link FaultSizes}), e.g. {@code -Dfaults.users=50 -Dfaults.rooms=10 -Dfaults.chaos.faults=1000} for the issue's
 * chaos run. Asserts as {@link FaultCasesIT#check} (zero loss and privacy unless {@code -Dfaults.strict=false}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {

    static final FaultSizes LONG = new FaultSizes(10, 3, 20, Duration.ofMillis(300), 50, Duration.ofMillis(300),
            Duration.ofSeconds(60), Duration.ofSeconds(240));

    private static FaultSizes sizes() {
        return FaultSizes.from(LONG);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void bridgeKilledDuringABurst() {
        FaultCasesIT.check(InjectsFaults.bridgeDownDuringBurst(TestBed.get(), sizes(), true));
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void bridgeRestartedDuringABurst() {
        FaultCasesIT.check(InjectsFaults.bridgeDownDuringBurst(TestBed.get(), sizes(), false));
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void bridgeKilledDuringASoftKickStorm() {
        FaultCasesIT.check(InjectsFaults.bridgeDownDuringSoftKickStorm(TestBed.get(), sizes(), true));
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void bridgeRestartedDuringASoftKickStorm() {
        FaultCasesIT.check(InjectsFaults.bridgeDownDuringSoftKickStorm(TestBed.get(), sizes(), false));
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void synapseOutageWithABridgeRestart() {
        FaultCasesIT.check(InjectsFaults.synapseOutageWithBridgeRestart(TestBed.get(), sizes()));
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void postgresqlRestart() {
        FaultCasesIT.check(InjectsFaults.postgresRestart(TestBed.get(), sizes()));
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    void ircServerRestart() {
        FaultCasesIT.check(InjectsFaults.ircRestart(TestBed.get(), sizes()));
    }

    @Test
    @org.junit.jupiter.api.Order(8)
    void netsplit() {
        FaultCasesIT.check(InjectsFaults.netsplit(TestBed.get(), sizes()));
    }

    @Test
    @org.junit.jupiter.api.Order(9)
    void chaos() {
        FaultCasesIT.check(InjectsFaults.chaos(TestBed.get(), sizes()));
    }
}
