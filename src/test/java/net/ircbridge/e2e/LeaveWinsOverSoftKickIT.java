package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Matrix user who leaves a room on their own just as their IRC connection drops stays gone: the bridge's soft
 * kick does not land on top of their leave, and no invite back follows. The race is forced: each leaver leaves in
 * Matrix and is KILLed on IRC at once, before the bridge can have seen the leave; ten rooms at the same time, so
 * that each way the bridge's work can interleave is tried. In each room a second user is KILLed without leaving:
 * their soft kick and invite back prove the bridge's invite-back phase ran for that room.
 */
class LeaveWinsOverSoftKickIT extends OneBridgePerClass {

    private static final int ROOMS = 10;
    /** Well past the reconnect (2 s, with backoff jitter) on a loaded machine. */
    private static final Duration LONG = Duration.ofSeconds(90);

    @BeforeAll
    static void start() {
        startBridge("leave-wins");
    }

    /** One room: its leaver and the stayer whose connection drops too, with their nicks. */
    private record Race(String channel, String room, MatrixTestClient leaver, String leaverNick, MatrixTestClient stayer,
            String stayerNick) {
    }

    private static boolean isMember(JsonNode e, String userId) {
        return "m.room.member".equals(e.path("type").asText()) && userId.equals(e.path("state_key").asText());
    }

    private static String membership(JsonNode e) {
        return e.path("content").path("membership").asText();
    }

    @Test
    void aUserWhoLeavesAsTheirConnectionDropsIsNeitherSoftKickedOnTopNorInvitedBack() throws Exception {
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            // Reads every room as a member throughout: it stays joined and on the channels.
            MatrixTestClient observer = MatrixTestClient.register(bed, bed.uniqueName("obs"));
            List<Race> races = new ArrayList<>();
            for (int i = 0; i < ROOMS; i++) {
                String channel = "#" + bed.uniqueName("lw");
                oper.join(channel);
                String room = observer.join(alias(channel));
                MatrixTestClient leaver = MatrixTestClient.register(bed, bed.uniqueName("lv"));
                leaver.join(room);
                String leaverNick = awaitJoinOf(oper, channel, leaver);
                MatrixTestClient stayer = MatrixTestClient.register(bed, bed.uniqueName("st"));
                stayer.join(room);
                String stayerNick = awaitJoinOf(oper, channel, stayer);
                races.add(new Race(channel, room, leaver, leaverNick, stayer, stayerNick));
            }

            // The leave is on the homeserver (the call returned) but still on its way to the bridge when the
            // connection drops: the bridge learns of the drop first.
            ExecutorService pool = Executors.newFixedThreadPool(ROOMS);
            try {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (Race r : races) {
                    all.add(CompletableFuture.runAsync(() -> {
                        r.leaver().leave(r.room());
                        oper.send("KILL " + r.leaverNick() + " :racing a leave");
                        oper.send("KILL " + r.stayerNick() + " :dropped beside a leave");
                    }, pool));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
            } finally {
                pool.shutdown();
            }

            try {
                // Those who did not leave are soft-kicked and invited back: the invite-back phase has run.
                for (Race r : races) {
                    observer.awaitEvent(r.room(), e -> isMember(e, r.stayer().userId()) && "invite".equals(membership(e))
                            && bot.equals(e.path("sender").asText()), LONG);
                }
                // Each leaver's reconnect has come and found nothing to go back to, or their invite is there.
                for (Race r : races) {
                    String id = r.leaver().userId();
                    Await.until(LONG, "the bridge is done with " + id, () -> !lost(id) || reconnectsEnded(id)
                            || observer.roomMessages(r.room()).stream().anyMatch(e -> isMember(e, id) && "invite".equals(membership(e))));
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe bridge said:\n" + String.join("\n", bridge.output()), e);
            }

            List<String> wrongs = new ArrayList<>();
            for (Race r : races) {
                List<JsonNode> timeline = observer.roomMessages(r.room());
                String id = r.leaver().userId();
                int ownLeave = -1;
                for (int i = 0; i < timeline.size(); i++) {
                    JsonNode e = timeline.get(i);
                    if (isMember(e, id) && id.equals(e.path("sender").asText()) && "leave".equals(membership(e))) {
                        ownLeave = i;
                    }
                }
                if (ownLeave < 0) {
                    wrongs.add(id + ": their own leave is not in the room");
                    continue;
                }
                for (JsonNode e : timeline.subList(ownLeave + 1, timeline.size())) {
                    if (isMember(e, id)) {
                        wrongs.add(id + ": after their own leave, " + membership(e) + " by " + e.path("sender").asText()
                                + " (" + e.path("content").path("reason").asText() + ")");
                    }
                }
                boolean stayerKicked = timeline.stream().anyMatch(e -> isMember(e, r.stayer().userId())
                        && "leave".equals(membership(e)) && e.path("content").path("org.matrix.msc3217.softkick").asBoolean());
                if (!stayerKicked) {
                    wrongs.add(r.stayer().userId() + " (did not leave) was not soft-kicked");
                }
            }
            System.out.println("[LeaveWinsOverSoftKickIT] " + wrongs.size() + " wrong of " + ROOMS + " races: " + wrongs);
            assertTrue(wrongs.isEmpty(), "a leave must win over the soft kick and the invite back:\n" + String.join("\n", wrongs)
                    + "\nthe bridge said:\n" + String.join("\n", bridge.output()));
        }
    }

    /** Whether the bridge saw the user's connection drop (rather than quitting it for their leave first). */
    private static boolean lost(String userId) {
        return bridge.output().stream().anyMatch(l -> l.contains(userId + "'s IRC connection to Test IRC was lost"));
    }

    /**
     * Whether the bridge's reconnects of the user are over: the scheduled one found nothing to go back to, or a
     * connection it made ended again (the bridge quit it for the user's leave).
     */
    private static boolean reconnectsEnded(String userId) {
        List<String> output = bridge.output();
        return output.stream().anyMatch(l -> l.contains("Not reconnecting " + userId))
                || output.stream().filter(l -> l.contains(userId + "'s IRC connection to Test IRC ended")).count() >= 2;
    }

    /** The nick of a Matrix user's connection, once it joined the channel. */
    private static String awaitJoinOf(IrcTestClient oper, String channel, MatrixTestClient user) {
        String localpart = user.userId().substring(1, user.userId().indexOf(':'));
        String prefix = localpart.substring(0, Math.min(8, localpart.length())).toLowerCase();
        return oper.awaitMessage(m -> m.is("JOIN") && channel.equalsIgnoreCase(m.param(0)) && m.sourceNick().endsWith("[m]")
                && m.sourceNick().toLowerCase().startsWith(prefix), WAIT).sourceNick();
    }
}
