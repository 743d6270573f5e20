package net.ircbridge.bridge.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JoinRuleForChannelModesTest {

    @Test
    void inviteOnlyAndKeyedChannelsTakeKnocks() {
        assertEquals("knock", FollowsChannelModesWithJoinRules.joinRuleFor("int", "R", "public"));
        assertEquals("knock", FollowsChannelModesWithJoinRules.joinRuleFor("knt", "R", "public"));
    }

    @Test
    void registeredOnlyChannelsAreRestrictedUnlessAnInviteIsNeededAnyway() {
        assertEquals("restricted", FollowsChannelModesWithJoinRules.joinRuleFor("Rnt", "R", "public"));
        assertEquals("restricted", FollowsChannelModesWithJoinRules.joinRuleFor("nrt", "r", "public"));
        assertEquals("knock", FollowsChannelModesWithJoinRules.joinRuleFor("Rint", "R", "public"));
    }

    @Test
    void otherChannelsHaveTheNetworksDefault() {
        assertEquals("public", FollowsChannelModesWithJoinRules.joinRuleFor("nt", "R", "public"));
        assertEquals("invite", FollowsChannelModesWithJoinRules.joinRuleFor("", "R", "invite"));
        // Solanum's +r is registered-only there; InspIRCd's +r is something else and must not count.
        assertEquals("public", FollowsChannelModesWithJoinRules.joinRuleFor("nrt", "R", "public"));
    }
}
