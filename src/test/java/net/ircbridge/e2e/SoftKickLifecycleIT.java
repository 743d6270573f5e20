package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a soft-kicked user does before the invite back comes: joining again reconnects them at once (MSC3217 lets
 * clients offer it), and leaving for good means no invite. The bridge here waits 10 to 20 seconds before its
 * first reconnect, so that the user's own action always comes first.
 */
class SoftKickLifecycleIT extends OneBridgePerClass {

    private static final Duration LONGER_THAN_THE_RECONNECT = Duration.ofSeconds(60);

    @BeforeAll
    static void start() {
        startBridge("softkick-lifecycle", "reconnect-delay-seconds: 20");
    }

    /**
     * A Matrix user on a channel, just soft-kicked by an oper's KILL, and a second Matrix user who stays in the room
     * throughout: the witness reads the room's history, which a user who has left may not be allowed to.
     */
    private record SoftKicked(OnChannel on, MatrixTestClient witness) {
    }

    private static SoftKicked softKickedUser(String prefix) {
        OnChannel on = matrixUserOnChannel(prefix);
        MatrixTestClient witness = MatrixTestClient.register(bed, bed.uniqueName("wit"));
        witness.join(on.room());
        on.oper().send("KILL " + on.nick() + " :testing the lifecycle");
        JsonNode kick = awaitMembership(on.user(), on.room(), on.user().userId(), "leave");
        assertTrue(kick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), kick::toString);
        return new SoftKicked(on, witness);
    }

    /** Whether the room's history has an invite of {@code userId}, read by {@code member} (who is in the room). */
    private static boolean invitedIn(MatrixTestClient member, String room, String userId) {
        return member.roomMessages(room).stream().anyMatch(e -> "m.room.member".equals(e.path("type").asText())
                && userId.equals(e.path("state_key").asText()) && "invite".equals(e.path("content").path("membership").asText()));
    }

    private static void awaitTheScheduledReconnect(MatrixTestClient user) {
        Await.until(LONGER_THAN_THE_RECONNECT, "the bridge's scheduled reconnect of " + user.userId() + " has come",
                () -> bridge.output().stream().anyMatch(l -> l.contains("Not reconnecting " + user.userId())));
    }

    @Test
    void joiningAgainBeforeTheInviteReconnectsAtOnceAndNoInviteFollows() {
        SoftKicked kicked = softKickedUser("ahead");
        OnChannel s = kicked.on();
        try (IrcTestClient oper = s.oper()) {
            long rejoined = System.nanoTime();
            s.user().join(s.room());
            Await.until(WAIT, "the user is back on the channel", () -> oper.names(s.channel()).contains(s.nick()));
            assertTrue(System.nanoTime() - rejoined < Duration.ofSeconds(10).toNanos(),
                    "back before the bridge's own reconnect (10 to 20 s) could have done it");
            awaitTheScheduledReconnect(s.user());
            assertTrue(!invitedIn(kicked.witness(), s.room(), s.user().userId()), "someone already joined again gets no invite");
            assertEquals(1, oper.names(s.channel()).stream().filter(n -> n.equalsIgnoreCase(s.nick())).count());
        }
    }

    @Test
    void aUserWhoLeavesOnTheirOwnAfterASoftKickGetsNoInviteAndStaysOffTheChannel() {
        SoftKicked kicked = softKickedUser("gone");
        OnChannel s = kicked.on();
        try (IrcTestClient oper = s.oper()) {
            // Back in the room for a moment, then gone for good, before the bridge reconnects them.
            s.user().join(s.room());
            s.user().leave(s.room());
            try {
                awaitTheScheduledReconnect(s.user());
                Await.until(WAIT, "the user is not on the channel", () -> !oper.names(s.channel()).contains(s.nick()));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe bridge said:\n" + String.join("\n", bridge.output()), e);
            }
            // Read by the witness: the user who left is no longer in the room.
            assertTrue(!invitedIn(kicked.witness(), s.room(), s.user().userId()), "someone who left on their own gets no invite");
        }
    }
}
