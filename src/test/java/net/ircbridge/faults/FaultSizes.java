package net.ircbridge.faults;

import java.time.Duration;

/**
 * How big a fault case is: every count and time is bounded and can be set with a system property
 * ({@code -Dfaults.users=50}, ...); the defaults given by the test class apply otherwise.
 *
 * @param users          Matrix users ({@code faults.users})
 * @param rooms          portal rooms, each with its channel ({@code faults.rooms})
 * @param rounds         numbered messages each sender sends in each of its rooms, both ways ({@code faults.rounds})
 * @param roundPause     pause between two rounds of messages ({@code faults.roundPauseMillis})
 * @param chaosFaults    random faults of the chaos run ({@code faults.chaos.faults})
 * @param chaosPause     pause between two chaos faults ({@code faults.chaos.pauseMillis})
 * @param outage         how long Synapse (or PostgreSQL) stays down ({@code faults.outageSeconds})
 * @param settle         longest wait for the case to settle after its faults ({@code faults.settleSeconds})
 */
record FaultSizes(int users, int rooms, int rounds, Duration roundPause, int chaosFaults, Duration chaosPause, Duration outage,
        Duration settle) {

    /** The sizes, each from its system property when set, else from {@code defaults}. */
    static FaultSizes from(FaultSizes defaults) {
        return new FaultSizes(Integer.getInteger("faults.users", defaults.users),
                Integer.getInteger("faults.rooms", defaults.rooms),
                Integer.getInteger("faults.rounds", defaults.rounds),
                Duration.ofMillis(Long.getLong("faults.roundPauseMillis", defaults.roundPause.toMillis())),
                Integer.getInteger("faults.chaos.faults", defaults.chaosFaults),
                Duration.ofMillis(Long.getLong("faults.chaos.pauseMillis", defaults.chaosPause.toMillis())),
                Duration.ofSeconds(Long.getLong("faults.outageSeconds", defaults.outage.toSeconds())),
                Duration.ofSeconds(Long.getLong("faults.settleSeconds", defaults.settle.toSeconds())));
    }

    String describe() {
        return users + "u/" + rooms + "r/" + rounds + "m";
    }

    /**
     * Whether the loss and privacy columns are asserted to be zero ({@code faults.strict}, on by default;
     * {@code -Dfaults.strict=false} only prints the figures, to study a failing case at a larger size).
     */
    static boolean strict() {
        return Boolean.parseBoolean(System.getProperty("faults.strict", "true"));
    }
}
