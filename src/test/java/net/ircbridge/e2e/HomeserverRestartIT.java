package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge keeps hearing the homeserver after the homeserver restarts (issue 12, finding 6). Synapse on SQLite
 * numbers its appservice transactions from 1 again after a restart once nothing is pending, so new transactions come
 * with ids the bridge has seen before; the bridge must process them, and still recognise a true retry.
 *
 * <p>The restart stops the test bed's one Synapse for a moment; {@code TestBed} starts it again on the same port with
 * the same database and returns once it answers, so later test classes find it as it was.
 */
class HomeserverRestartIT extends OneBridgePerClass {

    /** Transactions before the restart: more than the restarted homeserver sends in the rest of the test. */
    private static final int MESSAGES_BEFORE = 30;
    /** Time for what happens after the restart: generous, for small and busy machines. */
    private static final Duration AFTER_RESTART = Duration.ofSeconds(60);

    @BeforeAll
    static void start() {
        // A bucket big enough that the messages before the restart never wait for it.
        startBridge("hsrestart", "send-rate:\n        burst: 100\n        interval-millis: 20");
    }

    @Test
    void afterAHomeserverRestartNewUsersGetOnTheChannelAndNewMessagesReachIrc() {
        String channel = "#" + bed.uniqueName("hsr");
        try (IrcTestClient op = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            op.join(channel);
            MatrixTestClient first = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = first.join(alias(channel));
            String firstNick = op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();

            // Traffic both ways; each message waited for, so each is a transaction of its own and the homeserver's
            // transaction ids climb well past what it sends after the restart.
            op.privmsg(channel, "hello from IRC before the restart");
            first.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                    && ghost(op.nick()).equals(e.path("sender").asText())
                    && "hello from IRC before the restart".equals(e.path("content").path("body").asText()), WAIT);
            for (int i = 1; i <= MESSAGES_BEFORE; i++) {
                String text = "before the restart " + i;
                first.sendText(room, text);
                op.awaitPrivmsg(channel, text, WAIT);
            }

            long firstTransactionsBefore = transactionsNumberedOne();
            bed.restartSynapse();

            // A new Matrix user joining a portal room gets a connection and is on the channel.
            String secondChannel = "#" + bed.uniqueName("hsr");
            op.join(secondChannel);
            MatrixTestClient second = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String secondRoom = second.join(alias(secondChannel));
            String secondNick = op.awaitMessage(m -> m.is("JOIN") && secondChannel.equalsIgnoreCase(m.param(0))
                    && m.sourceNick().endsWith("[m]"), AFTER_RESTART).sourceNick();
            Await.until(AFTER_RESTART, secondNick + " on " + secondChannel, () -> op.names(secondChannel).contains(secondNick));

            // New messages reach IRC, from the user who was there before the restart and from the new one.
            first.sendText(room, "after the restart");
            op.awaitPrivmsg(channel, "after the restart", AFTER_RESTART);
            second.sendText(secondRoom, "a newcomer after the restart");
            op.awaitPrivmsg(secondChannel, "a newcomer after the restart", AFTER_RESTART);

            // And IRC still reaches the room.
            op.privmsg(channel, "hello from IRC after the restart");
            first.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                    && ghost(op.nick()).equals(e.path("sender").asText())
                    && "hello from IRC after the restart".equals(e.path("content").path("body").asText()), AFTER_RESTART);
            Await.until(WAIT, firstNick + " still on " + channel, () -> op.names(channel).contains(firstNick));

            // The case this test is about: the restarted homeserver numbered its transactions from 1 again.
            assertTrue(transactionsNumberedOne() > firstTransactionsBefore,
                    "Synapse sent no transaction 1 after its restart; see " + homeserverLog());
        }
    }

    /** How often Synapse's log says it sent this bridge a transaction with id 1 (once per start of Synapse). */
    private static long transactionsNumberedOne() {
        String sent = "PUT http://127.0.0.1:" + bed.bridgePort() + "/_matrix/app/v1/transactions/1: ";
        try (Stream<String> lines = Files.lines(homeserverLog())) {
            return lines.filter(l -> l.contains(sent)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path homeserverLog() {
        return bed.workDir().resolve("synapse/homeserver.log");
    }
}
