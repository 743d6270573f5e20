package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MSC3217 across an IRC server restart: every Matrix user on the restarted server loses their connection, so the
 * bridge soft-kicks them from every bridged room, reconnects them once the server is back and invites them back.
 *
 * <p>The restart stops the test bed's one InspIRCd for a moment: every IRC client connected then is disconnected.
 * Test classes run one after the other, so only this class's bridge is affected, and {@code TestBed} leaves the
 * server (and a started leaf) as it found them.
 */
class ServerRestartIT extends OneBridgePerClass {

    /**
     * Time for the bridge to notice, reconnect (backoff from 1-2 s, doubling, while the server is down) and invite:
     * generous, for small and busy machines.
     */
    private static final Duration AFTER_RESTART = Duration.ofSeconds(120);
    private static final Pattern SOFT_KICK = Pattern.compile(
            "Your IRC connection to Test IRC was lost \\((.+)\\)\\. You will be invited back as soon as it is restored\\.");

    @BeforeAll
    static void start() {
        startBridge("restart");
    }

    /** A Matrix user in a bridged room, with the IRC nick of their connection. */
    private record Membership(MatrixTestClient user, String nick, String channel, String room) {
        @Override
        public String toString() {
            return user.userId() + " (" + nick + ") in " + channel;
        }
    }

    @Test
    void anInspircdRestartSoftKicksEveryBridgedRoomAndInvitesBackOnceTheServerReturns() {
        List<String> channels = List.of("#" + bed.uniqueName("rsa"), "#" + bed.uniqueName("rsb"));
        List<Membership> memberships = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            // The display name is the localpart, so the nick template {displayname}[m] makes this nick.
            String nick = user.userId().substring(1, user.userId().indexOf(':')) + "[m]";
            for (String channel : channels) {
                memberships.add(new Membership(user, nick, channel, user.join(alias(channel))));
            }
        }
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.oper();
            for (Membership m : memberships) {
                Await.until(WAIT, m + " is on IRC", () -> watcher.names(m.channel()).contains(m.nick()));
            }
        }

        long restarted = System.nanoTime();
        bed.restartIrc();

        // The soft kick and the invite back can both happen between two /syncs, and a sync then shows only the
        // invite. So the invites are awaited here, and the soft kicks read from the room's history once rejoined.
        for (Membership m : memberships) {
            JsonNode invite = awaitMembership(m, "invite");
            assertEquals(bot, invite.path("sender").asText(), m + ": " + invite);
            assertEquals("Your IRC connection to Test IRC is back.", invite.path("content").path("reason").asText(), m + ": " + invite);
        }
        System.err.printf("[ServerRestartIT] invites back seen %d ms after the restart began%n", elapsedMs(restarted));

        Set<String> reasons = new TreeSet<>();
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.oper();
            for (Membership m : memberships) {
                m.user().join(m.room());
                Await.until(WAIT, m + " is joined to the room again", () -> m.user().members(m.room()).contains(m.user().userId()));
                Await.until(WAIT, m + " is on the channel again", () -> watcher.names(m.channel()).contains(m.nick()));

                // Joined, soft-kicked once by the bot, joined again (the invite in between may be hidden by the
                // room's history visibility).
                List<JsonNode> own = m.user().roomMessages(m.room()).stream()
                        .filter(e -> "m.room.member".equals(e.path("type").asText()) && m.user().userId().equals(e.path("state_key").asText())
                                && !"invite".equals(e.path("content").path("membership").asText()))
                        .toList();
                assertEquals(List.of("join", "leave", "join"), own.stream().map(e -> e.path("content").path("membership").asText()).toList(),
                        m + ": " + own);
                JsonNode kick = own.get(1);
                assertEquals(bot, kick.path("sender").asText(), m + ": the bridge bot soft-kicks, not the user leaving: " + kick);
                assertTrue(kick.path("content").path("org.matrix.msc3217.softkick").asBoolean(false), m + ": " + kick);
                String reason = kick.path("content").path("reason").asText();
                Matcher matcher = SOFT_KICK.matcher(reason);
                assertTrue(matcher.matches(), m + ": " + reason);
                assertFalse(matcher.group(1).isBlank(), m + ": the reason gives the cause: " + reason);
                reasons.add(reason);
            }
            // Membership is honest again: every Matrix user is in both rooms, and no ghost stands in for their nick.
            for (Membership m : memberships) {
                List<String> members = List.copyOf(m.user().members(m.room()));
                for (Membership other : memberships) {
                    if (other.channel().equals(m.channel())) {
                        assertTrue(members.contains(other.user().userId()), m + ": " + members);
                        String ghostPrefix = "@irc_testnet_" + other.nick().substring(0, other.nick().length() - "[m]".length());
                        assertTrue(members.stream().noneMatch(id -> id.startsWith(ghostPrefix)),
                                m + ": a ghost for " + other.nick() + " in " + members);
                    }
                }
                assertTrue(watcher.names(m.channel()).contains(m.nick()), m + " is still on the channel");
            }
        }
        System.err.printf("[ServerRestartIT] soft-kick reasons: %s%n", reasons);
        System.err.printf("[ServerRestartIT] all users back in %d ms after the restart began%n", elapsedMs(restarted));
    }

    private static JsonNode awaitMembership(Membership m, String membership) {
        MatrixTestClient user = m.user();
        return user.awaitEvent(m.room(), e -> "m.room.member".equals(e.path("type").asText())
                && user.userId().equals(e.path("state_key").asText())
                && membership.equals(e.path("content").path("membership").asText()), AFTER_RESTART);
    }

    private static long elapsedMs(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }
}
