package net.ircbridge.bridge.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.ircbridge.bridge.membership.LeaveWinsOverSoftKicks.InviteBack;
import net.ircbridge.bridge.membership.LeaveWinsOverSoftKicks.SoftKick;
import net.ircbridge.matrix.HomeserverClient.MemberEvent;
import org.junit.jupiter.api.Test;

class LeaveWinsOverSoftKicksTest {

    private static final String BOT = "@ircbridge:example.org";
    private static final String USER = "@alice:example.org";

    private static MemberEvent member(String sender, String membership, boolean softKick) {
        return new MemberEvent("$e", sender, membership, softKick, "$before", "");
    }

    @Test
    void softKicksOnlyAJoinedUser() {
        assertEquals(SoftKick.KICK, LeaveWinsOverSoftKicks.softKick(member(USER, "join", false), BOT));
    }

    @Test
    void doesNotSoftKickAUserWhoLeftOnTheirOwn() {
        assertEquals(SoftKick.GONE, LeaveWinsOverSoftKicks.softKick(member(USER, "leave", false), BOT));
    }

    @Test
    void doesNotSoftKickABannedUserOrOneSomeoneElseInvited() {
        assertEquals(SoftKick.GONE, LeaveWinsOverSoftKicks.softKick(member("@mod:example.org", "ban", false), BOT));
        assertEquals(SoftKick.GONE, LeaveWinsOverSoftKicks.softKick(member("@mod:example.org", "invite", false), BOT));
    }

    @Test
    void takesBackTheBotsInviteBackWhenTheConnectionDroppedAgain() {
        assertEquals(SoftKick.KICK, LeaveWinsOverSoftKicks.softKick(member(BOT, "invite", false), BOT));
        // The soft kick that took it back owes the invite again.
        assertEquals(InviteBack.INVITE, LeaveWinsOverSoftKicks.inviteBack(member(BOT, "leave", true), "invite", BOT));
    }

    @Test
    void softKicksAUserWhoseJoinTheRoomsStateLost() {
        assertEquals(SoftKick.KICK, LeaveWinsOverSoftKicks.softKick(MemberEvent.NONE, BOT));
    }

    @Test
    void aSecondSoftKickKeepsWhatTheFirstOwes() {
        assertEquals(SoftKick.ALREADY_SOFT_KICKED, LeaveWinsOverSoftKicks.softKick(member(BOT, "leave", true), BOT));
    }

    @Test
    void invitesBackAUserStillSoftKickedFromAJoin() {
        assertEquals(InviteBack.INVITE, LeaveWinsOverSoftKicks.inviteBack(member(BOT, "leave", true), "join", BOT));
        assertEquals(InviteBack.INVITE, LeaveWinsOverSoftKicks.inviteBack(member(BOT, "leave", true), "", BOT));
    }

    @Test
    void doesNotInviteBackWhenTheSoftKickLandedOnTheUsersOwnLeave() {
        assertEquals(InviteBack.LEFT, LeaveWinsOverSoftKicks.inviteBack(member(BOT, "leave", true), "leave", BOT));
    }

    @Test
    void aFailedReadOfTheReplacedEventDecidesNothing() {
        assertEquals(InviteBack.UNDECIDED, LeaveWinsOverSoftKicks.inviteBack(member(BOT, "leave", true), null, BOT));
    }

    @Test
    void doesNotInviteBackAUserWhoLeftOnTheirOwnOrWasRemoved() {
        assertEquals(InviteBack.LEFT, LeaveWinsOverSoftKicks.inviteBack(member(USER, "leave", false), "", BOT));
        assertEquals(InviteBack.LEFT, LeaveWinsOverSoftKicks.inviteBack(member("@mod:example.org", "ban", false), "", BOT));
        // The bot's plain kick (no soft-kick key) owes nothing either.
        assertEquals(InviteBack.LEFT, LeaveWinsOverSoftKicks.inviteBack(member(BOT, "leave", false), "join", BOT));
        // Someone else's leave carrying the key is not the bot's soft kick.
        assertEquals(InviteBack.LEFT, LeaveWinsOverSoftKicks.inviteBack(member(USER, "leave", true), "join", BOT));
    }

    @Test
    void sendsNoInviteToAUserWhoIsBackOrInvitedAlready() {
        assertEquals(InviteBack.NOT_OWED, LeaveWinsOverSoftKicks.inviteBack(member(USER, "join", false), "leave", BOT));
        assertEquals(InviteBack.NOT_OWED, LeaveWinsOverSoftKicks.inviteBack(member(BOT, "invite", false), "leave", BOT));
    }

    @Test
    void aHomeserverThatGivesTheContentAloneStillGetsItsInvitesBack() {
        MemberEvent contentOnly = new MemberEvent("", "", "leave", true, "", "");
        assertEquals(InviteBack.INVITE, LeaveWinsOverSoftKicks.inviteBack(contentOnly, "", BOT));
    }

    @Test
    void aKickIsOnlyForSomeoneStillThere() {
        assertFalse(LeaveWinsOverSoftKicks.isGone(member(USER, "join", false)));
        assertFalse(LeaveWinsOverSoftKicks.isGone(member(BOT, "invite", false)));
        assertTrue(LeaveWinsOverSoftKicks.isGone(member(USER, "leave", false)));
        assertTrue(LeaveWinsOverSoftKicks.isGone(member("@mod:example.org", "ban", false)));
        assertTrue(LeaveWinsOverSoftKicks.isGone(MemberEvent.NONE));
    }
}
