package net.ircbridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import net.ircbridge.faults.ChecksFaultInvariants.CrashWindow;
import net.ircbridge.faults.ChecksFaultInvariants.Exposure;
import net.ircbridge.faults.ChecksFaultInvariants.MemberEvent;
import net.ircbridge.faults.ChecksFaultInvariants.Presence;
import net.ircbridge.faults.Traffic.Direction;
import net.ircbridge.faults.Traffic.Received;
import net.ircbridge.faults.Traffic.Sent;
import net.ircbridge.faults.Traffic.Token;
import org.junit.jupiter.api.Test;

class ChecksFaultInvariantsTest {

    private static final String BOT = "@bot:hs";
    private static final String ALICE = "@alice:hs";

    private static Token m2i(String stream, int seq) {
        return new Token(Direction.MATRIX_TO_IRC, "r1", stream, seq);
    }

    private static Sent sent(Token t) {
        return new Sent(t, "$" + t.stream() + t.seq(), 0);
    }

    private static Received got(Token t) {
        return new Received(t, 0);
    }

    @Test
    void readsATokenBackFromItsTextAndNothingElse() {
        Token t = m2i("u3", 12);
        assertEquals(t, Token.parse(t.text()));
        assertNull(Token.parse("hello " + t.text()));
        assertNull(Token.parse("m2i r1 u3"));
    }

    @Test
    void countsDeliveredLostAndSaidMessages() {
        List<Sent> sent = List.of(sent(m2i("a", 1)), sent(m2i("a", 2)), sent(m2i("a", 3)), sent(m2i("a", 4)));
        MessageFigures f = ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, sent,
                List.of(got(m2i("a", 1)), got(m2i("a", 4))), Set.of("$a3"));
        assertEquals(new MessageFigures(4, 2, 1, 1, 0, 0, 0), f);
    }

    @Test
    void countsDuplicatesAndReorderingPerStream() {
        List<Sent> sent = List.of(sent(m2i("a", 1)), sent(m2i("a", 2)), sent(m2i("a", 3)), sent(m2i("b", 1)));
        // b1 after a3 is no reordering (another stream); a2 after a3 is; a1 twice is one duplicate.
        MessageFigures f = ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, sent,
                List.of(got(m2i("a", 1)), got(m2i("a", 3)), got(m2i("b", 1)), got(m2i("a", 2)), got(m2i("a", 1))), Set.of());
        assertEquals(new MessageFigures(4, 4, 0, 0, 0, 1, 1), f);
    }

    @Test
    void ignoresArrivalsOfTheOtherDirectionAndOfMessagesNeverCountedAsSent() {
        Token other = new Token(Direction.IRC_TO_MATRIX, "r1", "a", 1);
        MessageFigures f = ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, List.of(sent(m2i("a", 1)), sent(other)),
                List.of(got(other), got(m2i("a", 9)), got(m2i("a", 1))), Set.of());
        assertEquals(new MessageFigures(1, 1, 0, 0, 0, 0, 0), f);
    }

    private static Token i2m(String stream, int seq) {
        return new Token(Direction.IRC_TO_MATRIX, "r1", stream, seq);
    }

    @Test
    void aMatrixMessageStillOnItsWayWhenTheIrcServerDiedIsTakenByTheCrashNotLost() {
        // The server dies at 10 s: a2 and a3 (accepted at 9 s and 9.5 s) were on their way; a4 came through later.
        List<Sent> sent = List.of(new Sent(m2i("a", 1), "$a1", 1_000), new Sent(m2i("a", 2), "$a2", 9_000),
                new Sent(m2i("a", 3), "$a3", 9_500), new Sent(m2i("a", 4), "$a4", 20_000));
        List<Received> got = List.of(new Received(m2i("a", 1), 1_100), new Received(m2i("a", 4), 21_000));
        List<CrashWindow> died = List.of(new CrashWindow(CrashWindow.Kind.IRC_SERVER_DIED, 10_000));
        assertEquals(new MessageFigures(4, 2, 0, 0, 2, 0, 0), ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, sent, got, Set.of(), died));
        // Without the fault they are lost; and a kill of the bridge explains no Matrix → IRC loss.
        assertEquals(2, ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, sent, got, Set.of()).lost());
        assertEquals(2, ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, sent, got, Set.of(),
                List.of(new CrashWindow(CrashWindow.Kind.BRIDGE_KILLED, 10_000))).lost());
    }

    @Test
    void aMatrixMessageLostWhileALaterOneReachedTheChannelBeforeTheServerDiedIsLost() {
        List<Sent> sent = List.of(new Sent(m2i("a", 1), "$a1", 8_000), new Sent(m2i("a", 2), "$a2", 8_500));
        List<Received> got = List.of(new Received(m2i("a", 2), 9_000));
        List<CrashWindow> died = List.of(new CrashWindow(CrashWindow.Kind.IRC_SERVER_DIED, 10_000));
        assertEquals(new MessageFigures(2, 1, 0, 1, 0, 0, 0), ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, sent, got, Set.of(), died));
        // Accepted after the server was gone, or long before it: lost too.
        List<Sent> outside = List.of(new Sent(m2i("b", 1), "$b1", 10_001), new Sent(m2i("c", 1), "$c1", 10_000 - 30_001));
        assertEquals(2, ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, outside, List.of(), Set.of(), died).lost());
    }

    @Test
    void aMatrixMessageAcceptedJustBeforeSynapseStoppedAndNeverSentOnIsTakenByTheStop() {
        // Synapse stopped from 10 s to 10.5 s; a1 was accepted at 9.9 s, while a transaction was in flight.
        List<CrashWindow> stopped = List.of(new CrashWindow(CrashWindow.Kind.HOMESERVER_STOPPED, 10_000, 10_500));
        List<Sent> sent = List.of(new Sent(m2i("a", 1), "$a1", 9_900), new Sent(m2i("a", 2), "$a2", 12_000));
        List<Received> got = List.of(new Received(m2i("a", 2), 13_000));
        assertEquals(new MessageFigures(2, 1, 0, 0, 1, 0, 0), ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, sent, got, Set.of(), stopped));
        // A later message of the stream accepted before the stop got through: Synapse sends in order, so the bridge lost it.
        List<Sent> both = List.of(new Sent(m2i("b", 1), "$b1", 9_800), new Sent(m2i("b", 2), "$b2", 9_900));
        assertEquals(1, ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, both, List.of(new Received(m2i("b", 2), 9_950)), Set.of(),
                stopped).lost());
        // Accepted long before the stop, or after Synapse was back: the bridge's to deliver.
        List<Sent> outside = List.of(new Sent(m2i("c", 1), "$c1", 10_000 - 3_001), new Sent(m2i("d", 1), "$d1", 10_501));
        assertEquals(2, ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, outside, List.of(), Set.of(), stopped).lost());
    }

    @Test
    void anIrcLineSaidAfterAKillBeforeTheServerDroppedTheBotIsTakenByTheCrash() {
        // Killed at 10 s; the server was seen dropping the bot at 10.5 s: a line said at 10.2 s went to a dead socket.
        List<CrashWindow> killed = List.of(new CrashWindow(CrashWindow.Kind.BRIDGE_KILLED, 10_000, 10_500));
        assertEquals(1, ChecksFaultInvariants.messages(Direction.IRC_TO_MATRIX, List.of(new Sent(i2m("s", 1), null, 10_200)),
                List.of(), Set.of(), killed).crashWindow());
        // Said after that, while the bot was on the channel again (the bridge back), it is the bridge's to deliver.
        assertEquals(1, ChecksFaultInvariants.messages(Direction.IRC_TO_MATRIX, List.of(new Sent(i2m("t", 1), null, 10_600)),
                List.of(), Set.of(), killed).lost());
    }

    @Test
    void anIrcLineSaidJustBeforeAKillIsTakenByTheCrashUnlessALaterOneWasStored() {
        List<CrashWindow> killed = List.of(new CrashWindow(CrashWindow.Kind.BRIDGE_KILLED, 10_000));
        // s1 said 100 ms before the kill and nothing later of its stream arrived: the crash window.
        List<Sent> sent = List.of(new Sent(i2m("s", 1), null, 9_900), new Sent(i2m("s", 2), null, 30_000));
        List<Received> got = List.of(new Received(i2m("s", 2), 31_000));
        assertEquals(new MessageFigures(2, 1, 0, 0, 1, 0, 0), ChecksFaultInvariants.messages(Direction.IRC_TO_MATRIX, sent, got, Set.of(), killed));
        // t2, said before the kill too, arrived: the outbox had committed t1 as well, so t1's loss is the bridge's.
        List<Sent> stored = List.of(new Sent(i2m("t", 1), null, 9_800), new Sent(i2m("t", 2), null, 9_900));
        assertEquals(1, ChecksFaultInvariants.messages(Direction.IRC_TO_MATRIX, stored, List.of(new Received(i2m("t", 2), 12_000)), Set.of(),
                killed).lost());
        // Said 5 s before the kill: long enough to have been committed.
        assertEquals(1, ChecksFaultInvariants.messages(Direction.IRC_TO_MATRIX, List.of(new Sent(i2m("u", 1), null, 5_000)), List.of(),
                Set.of(), killed).lost());
    }

    @Test
    void aSoftKickIsOwedUntilTheBotInvitesOrTheUserJoins() {
        MemberEvent join = new MemberEvent(ALICE, "join", ALICE, false, 1);
        MemberEvent kick = new MemberEvent(ALICE, "leave", BOT, true, 2);
        MemberEvent invite = new MemberEvent(ALICE, "invite", BOT, false, 3);
        assertTrue(ChecksFaultInvariants.softKickedWithoutInvite(List.of(join, kick), ALICE, BOT));
        assertFalse(ChecksFaultInvariants.softKickedWithoutInvite(List.of(join, kick, invite), ALICE, BOT));
        assertTrue(ChecksFaultInvariants.softKickedWithoutInvite(List.of(join, kick, invite, join, kick), ALICE, BOT));
        assertFalse(ChecksFaultInvariants.softKickedWithoutInvite(List.of(join, kick, join), ALICE, BOT));
        // a plain kick (no soft-kick key) owes nothing
        assertFalse(ChecksFaultInvariants.softKickedWithoutInvite(List.of(join, new MemberEvent(ALICE, "leave", BOT, false, 2)), ALICE, BOT));
    }

    @Test
    void anInviteToAUserWhoLeftOnTheirOwnIsWrong() {
        MemberEvent join = new MemberEvent(ALICE, "join", ALICE, false, 1);
        MemberEvent softKick = new MemberEvent(ALICE, "leave", BOT, true, 2);
        MemberEvent ownLeave = new MemberEvent(ALICE, "leave", ALICE, false, 2);
        MemberEvent invite = new MemberEvent(ALICE, "invite", BOT, false, 3);
        assertEquals(1, ChecksFaultInvariants.invitesAfterOwnLeave(List.of(join, ownLeave, invite), BOT));
        assertEquals(0, ChecksFaultInvariants.invitesAfterOwnLeave(List.of(join, softKick, invite), BOT));
        assertEquals(0, ChecksFaultInvariants.invitesAfterOwnLeave(List.of(join, ownLeave, join, softKick, invite), BOT));
        // a leave of someone else does not make Alice's invite wrong
        assertEquals(0, ChecksFaultInvariants.invitesAfterOwnLeave(List.of(join, new MemberEvent("@bob:hs", "leave", "@bob:hs", false, 2),
                softKick, invite), BOT));
    }

    @Test
    void exposureIsTheAbsenceOfAJoinedUserBeyondTheGracePeriod() {
        List<MemberEvent> room = List.of(new MemberEvent(ALICE, "join", ALICE, false, 1_000),
                new MemberEvent(ALICE, "leave", BOT, true, 30_000));
        // on the channel from 1.5 s to 10 s; gone at 10 s, soft-kicked at 30 s: 20 s absent while joined, 15 s beyond 5 s
        List<Presence> presence = List.of(new Presence("a", true, 1_500), new Presence("a", false, 10_000));
        List<Received> arrivals = List.of(new Received(m2i("x", 1), 12_000), new Received(m2i("x", 2), 16_000),
                new Received(m2i("x", 3), 29_000), new Received(m2i("x", 4), 31_000));
        assertEquals(new Exposure(15_000, 2), ChecksFaultInvariants.exposure(room, ALICE, presence, arrivals, 5_000, 60_000));
    }

    @Test
    void aStretchStillOpenAtTheEndCountsUpToTheEnd() {
        List<MemberEvent> room = List.of(new MemberEvent(ALICE, "join", ALICE, false, 0));
        assertEquals(new Exposure(5_000, 0), ChecksFaultInvariants.exposure(room, ALICE, List.of(), List.of(), 5_000, 10_000));
        assertEquals(new Exposure(0, 0), ChecksFaultInvariants.exposure(room, ALICE, List.of(new Presence("a", true, 100)), List.of(), 5_000, 10_000));
    }

    @Test
    void theBotIsOnTheChannelFromItsArrivalUntilItsDeparture() {
        List<Presence> bot = List.of(new Presence("bot", true, 1_000), new Presence("bot", false, 5_000), new Presence("bot", true, 8_000));
        assertFalse(ChecksFaultInvariants.presentAt(bot, 500));
        assertTrue(ChecksFaultInvariants.presentAt(bot, 1_000));
        assertTrue(ChecksFaultInvariants.presentAt(bot, 4_999));
        assertFalse(ChecksFaultInvariants.presentAt(bot, 6_000));
        assertTrue(ChecksFaultInvariants.presentAt(bot, 9_000));
        assertFalse(ChecksFaultInvariants.presentAt(List.of(), 9_000));
    }

    @Test
    void aChangeInTheSameMillisecondAsTheLineCountsAsPresent() {
        List<Presence> bot = List.of(new Presence("bot", true, 1_000), new Presence("bot", false, 5_000), new Presence("bot", true, 8_000));
        assertTrue(ChecksFaultInvariants.presentAt(bot, 5_000));
        assertTrue(ChecksFaultInvariants.presentAt(bot, 8_000));
        assertFalse(ChecksFaultInvariants.presentAt(bot, 7_999));
    }
}
