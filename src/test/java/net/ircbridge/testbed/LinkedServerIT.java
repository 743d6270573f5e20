package net.ircbridge.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proves the test bed's second IRC server: users on the leaf are seen on the main server, {@link TestBed#split()}
 * makes them QUIT there with the split reason, and {@link TestBed#heal()} brings them back as JOINs (a netjoin);
 * a restart of the main server ({@link TestBed#restartIrc()}) leaves the test bed as it was, the leaf linked.
 */
@EnabledIfSystemProperty(named = "bridge.project.dir", matches = ".+")
class LinkedServerIT {

    private static final Duration TIMEOUT = TestBed.DEFAULT_TIMEOUT;
    private final TestBed bed = TestBed.get();
    private boolean leafStarted;

    @AfterEach
    void relink() {
        if (leafStarted) {
            bed.heal();
        }
    }

    @Test
    void splitAndHeal() {
        TestBed.LeafServer leaf = bed.startLeaf();
        leafStarted = true;
        assertEquals(TestBed.LEAF_SERVER_NAME, leaf.name());
        assertTrue(bed.leafLinked());
        String channel = "#" + bed.uniqueName("split");
        try (IrcTestClient hubUser = IrcTestClient.connect(bed, bed.uniqueName("hub"));
             IrcTestClient leafUser = leaf.connect(bed.uniqueName("leaf"))) {
            hubUser.join(channel);
            leafUser.join(channel);
            // The hub user's JOIN reaches the leaf over the link a moment after the hub confirmed it: on a loaded
            // machine the leaf user's own JOIN can come first, so the leaf's NAMES is asked until it shows both.
            Await.until(TIMEOUT, "the leaf sees both users on " + channel,
                    () -> ci(hubUser.nick(), leafUser.nick()).equals(leafUser.names(channel)));
            hubUser.awaitMessage(m -> m.is("JOIN") && leafUser.nick().equals(m.sourceNick()), TIMEOUT);
            leafUser.privmsg(channel, "from the leaf");
            hubUser.awaitPrivmsg(channel, "from the leaf", TIMEOUT);
            assertTrue(hubUser.whois(leafUser.nick()));

            bed.split();
            assertFalse(bed.leafLinked());
            IrcMessage quit = hubUser.awaitMessage(m -> m.is("QUIT") && leafUser.nick().equals(m.sourceNick()), TIMEOUT);
            assertEquals(bed.splitQuitReason(), quit.trailing());
            assertTrue(quit.trailing().contains(bed.ircServerName()) && quit.trailing().contains(leaf.name()), quit.raw());
            assertEquals(ci(hubUser.nick()), hubUser.names(channel));
            // The leaf's side of the split: its user stays connected and sees the hub user quit.
            IrcMessage leafQuit = leafUser.awaitMessage(m -> m.is("QUIT") && hubUser.nick().equals(m.sourceNick()), TIMEOUT);
            assertEquals(leaf.name() + " " + bed.ircServerName(), leafQuit.trailing());
            assertTrue(leafUser.isConnected());

            int before = hubUser.receivedLines().size();
            bed.heal();
            assertTrue(bed.leafLinked());
            IrcMessage join = hubUser.awaitMessage(m -> m.is("JOIN") && leafUser.nick().equals(m.sourceNick()), TIMEOUT);
            assertEquals(channel, join.param(0));
            leafUser.awaitMessage(m -> m.is("JOIN") && hubUser.nick().equals(m.sourceNick()), TIMEOUT);
            List<String> netjoin = hubUser.receivedLines().subList(before, hubUser.receivedLines().size());
            System.err.println("[LinkedServerIT] hub user's lines during heal: " + netjoin);
            assertEquals(ci(hubUser.nick(), leafUser.nick()), hubUser.names(channel));
            leafUser.privmsg(channel, "back again");
            hubUser.awaitPrivmsg(channel, "back again", TIMEOUT);
        }
    }

    @Test
    void healRightAfterSplitAndRepeatedCallsAreSafe() {
        TestBed.LeafServer leaf = bed.startLeaf();
        leafStarted = true;
        try (IrcTestClient leafUser = leaf.connect(bed.uniqueName("leaf"));
             IrcTestClient hubUser = IrcTestClient.connect(bed, bed.uniqueName("hub"))) {
            for (int i = 0; i < 3; i++) {
                bed.split();
                bed.split();
                assertFalse(hubUser.whois(leafUser.nick()));
                bed.heal();
                bed.heal();
                assertTrue(hubUser.whois(leafUser.nick()));
                assertTrue(leafUser.whois(hubUser.nick()));
            }
            assertTrue(leafUser.isConnected());
        }
    }

    @Test
    void aRestartOfTheMainServerDisconnectsItsClientsAndLinksTheLeafAgain() {
        TestBed.LeafServer leaf = bed.startLeaf();
        leafStarted = true;
        String channel = "#" + bed.uniqueName("rst");
        try (IrcTestClient leafUser = leaf.connect(bed.uniqueName("leaf"));
             IrcTestClient hubUser = IrcTestClient.connect(bed, bed.uniqueName("hub"))) {
            leafUser.join(channel);
            hubUser.join(channel);

            bed.restartIrc();
            Await.until(TIMEOUT, "the hub's client is disconnected", () -> !hubUser.isConnected());
            assertTrue(bed.leafLinked(), "the restart links the leaf again");
            assertTrue(leafUser.isConnected(), "the leaf's users stay connected to the leaf");
            // Same port: a new client connects where the old one was, and sees the leaf user back on the channel.
            try (IrcTestClient again = IrcTestClient.connect(bed, bed.uniqueName("hub"))) {
                assertTrue(again.whois(leafUser.nick()));
                assertEquals(ci(leafUser.nick()), again.names(channel));
            }
        }
    }

    private static Set<String> ci(String... nicks) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(nicks));
        return set;
    }
}
