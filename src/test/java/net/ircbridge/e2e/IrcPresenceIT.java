package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IRC channel presence mirrored into Matrix room membership, with the IRC reasons. */
class IrcPresenceIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("presence");
    }

    @Test
    void joiningAChannelsAliasMakesAPortalRoomWithTheChannelsPeopleInIt() {
        String channel = "#" + bed.uniqueName("pres");
        try (IrcTestClient alice = IrcTestClient.connect(bed, bed.uniqueName("alice"))) {
            alice.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());

            JsonNode aliceJoined = awaitMembership(user, room, ghost(alice.nick()), "join");
            assertEquals("Joined " + channel + " on Test IRC", aliceJoined.path("content").path("reason").asText());
            assertEquals(alice.nick(), aliceJoined.path("content").path("displayname").asText());

            assertEquals("joined", user.state(room, "m.room.history_visibility", "").path("history_visibility").asText());
            assertEquals(100, user.state(room, "m.room.power_levels", "").path("users").path(bot).asInt());
            assertEquals("11", user.state(room, "m.room.create", "").path("room_version").asText());
            assertEquals(channel, user.state(room, "m.room.name", "").path("name").asText());
            String stateKey = "net.ircbridge://irc/testnet/%23" + channel.substring(1);
            JsonNode info = user.state(room, "m.bridge", stateKey);
            assertEquals("testnet", info.path("network").path("id").asText());
            assertEquals(channel, info.path("channel").path("id").asText());
            assertEquals(bot, info.path("bridgebot").asText());
            assertTrue(user.state(room, "uk.half-shot.bridge", stateKey) != null);
        }
    }

    @Test
    void joinsPartsAndQuitsOnIrcAreMirroredWithTheirReasons() {
        String channel = "#" + bed.uniqueName("jpq");
        try (IrcTestClient alice = IrcTestClient.connect(bed, bed.uniqueName("alice"));
                IrcTestClient bob = IrcTestClient.connect(bed, bed.uniqueName("bob"))) {
            alice.join(channel);
            alice.send("TOPIC " + channel + " :All about \u0002testing\u0002");
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            awaitMembership(user, room, ghost(alice.nick()), "join");
            user.awaitEvent(room, e -> "m.room.topic".equals(e.path("type").asText())
                    && "All about testing".equals(e.path("content").path("topic").asText()), WAIT);

            bob.join(channel);
            awaitMembership(user, room, ghost(bob.nick()), "join");

            bob.send("PART " + channel + " :off to \u000304lunch\u0003");
            JsonNode left = awaitMembership(user, room, ghost(bob.nick()), "leave");
            assertEquals("off to lunch", left.path("content").path("reason").asText());
            assertEquals(ghost(bob.nick()), left.path("sender").asText());

            alice.quit("gone fishing");
            JsonNode quit = awaitMembership(user, room, ghost(alice.nick()), "leave");
            assertTrue(quit.path("content").path("reason").asText().endsWith("gone fishing"), quit::toString);
        }
    }

    @Test
    void aKickOnIrcRemovesTheGhostWithTheKickersReason() {
        String channel = "#" + bed.uniqueName("kick");
        try (IrcTestClient op = IrcTestClient.connect(bed, bed.uniqueName("op"));
                IrcTestClient victim = IrcTestClient.connect(bed, bed.uniqueName("vic"))) {
            op.join(channel);
            // The channel's creator is its operator.
            victim.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            awaitMembership(user, room, ghost(victim.nick()), "join");

            op.send("KICK " + channel + " " + victim.nick() + " :behave yourself");
            JsonNode kicked = awaitMembership(user, room, ghost(victim.nick()), "leave");
            // The operator's ghost has the power (50) to kick a ghost without status, so it kicks itself.
            assertEquals(ghost(op.nick()), kicked.path("sender").asText());
            assertEquals("behave yourself", kicked.path("content").path("reason").asText());
        }
    }

    @Test
    void aKickTheKickersGhostHasNoPowerForIsMadeByTheBotNamingTheKicker() {
        String channel = "#" + bed.uniqueName("kick");
        try (IrcTestClient op = IrcTestClient.connect(bed, bed.uniqueName("op"));
                IrcTestClient otherOp = IrcTestClient.connect(bed, bed.uniqueName("op2"))) {
            op.join(channel);
            otherOp.join(channel);
            // The channel's creator is its operator.
            op.send("MODE " + channel + " +o " + otherOp.nick());
            op.awaitMessage(m -> m.is("MODE") && m.raw().contains(otherOp.nick()), WAIT);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            awaitMembership(user, room, ghost(otherOp.nick()), "join");
            net.ircbridge.testbed.Await.until(WAIT, "both operators' ghosts have power 50", () -> {
                JsonNode users = user.state(room, "m.room.power_levels", "").path("users");
                return users.path(ghost(op.nick())).asInt() == 50 && users.path(ghost(otherOp.nick())).asInt() == 50;
            });

            // Equal power cannot kick in Matrix, so the bot does it and says who kicked on IRC.
            op.send("KICK " + channel + " " + otherOp.nick() + " :behave yourself");
            JsonNode kicked = awaitMembership(user, room, ghost(otherOp.nick()), "leave");
            assertEquals(bot, kicked.path("sender").asText());
            assertEquals("Kicked by " + op.nick() + ": behave yourself", kicked.path("content").path("reason").asText());
        }
    }

    @Test
    void channelOperatorsAndVoicedUsersGetPowerThatFollowsTheirStatus() {
        String channel = "#" + bed.uniqueName("pl");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"));
                IrcTestClient dave = IrcTestClient.connect(bed, bed.uniqueName("dave"))) {
            oper.join(channel);
            // The channel's creator is its operator.
            dave.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            net.ircbridge.testbed.Await.until(WAIT, "the operator's ghost has power 50",
                    () -> user.state(room, "m.room.power_levels", "").path("users").path(ghost(oper.nick())).asInt() == 50);

            oper.send("MODE " + channel + " +v " + dave.nick());
            net.ircbridge.testbed.Await.until(WAIT, "the voiced ghost has power 10",
                    () -> user.state(room, "m.room.power_levels", "").path("users").path(ghost(dave.nick())).asInt() == 10);
            oper.send("MODE " + channel + " -v " + dave.nick());
            net.ircbridge.testbed.Await.until(WAIT, "the ghost's power is gone with the voice",
                    () -> !user.state(room, "m.room.power_levels", "").path("users").has(ghost(dave.nick())));
            assertEquals(100, user.state(room, "m.room.power_levels", "").path("users").path(bot).asInt());
        }
    }

    @Test
    void aNickChangeIsTheOldGhostLeavingAndTheNewOneJoining() {
        String channel = "#" + bed.uniqueName("nk");
        try (IrcTestClient frank = IrcTestClient.connect(bed, bed.uniqueName("frank"))) {
            frank.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            awaitMembership(user, room, ghost(frank.nick()), "join");

            String oldNick = frank.nick();
            String newNick = bed.uniqueName("franz");
            frank.send("NICK " + newNick);
            JsonNode left = awaitMembership(user, room, ghost(oldNick), "leave");
            assertEquals("Now known as " + newNick, left.path("content").path("reason").asText());
            JsonNode joined = awaitMembership(user, room, ghost(newNick), "join");
            assertEquals(newNick, joined.path("content").path("displayname").asText());
        }
    }
}
