package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A registered-only channel (+R on InspIRCd) makes a {@code restricted} room whose {@code allow} names the network's
 * room of identified users. Here nobody identifies to an account, as on a network without services: the
 * never-eligible path, where the homeserver refuses every new join, and members who were in the room before stay
 * (as they stay on the channel). {@link IdentifiedUsersIT} identifies with real services.
 */
class RestrictedRoomsIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("restricted");
    }

    @Test
    void aRegisteredOnlyChannelMakesARestrictedRoomThatNobodyUnidentifiedCanJoin() {
        String channel = "#" + bed.uniqueName("reg");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.join(channel);
            MatrixTestClient member = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = member.join(alias(channel));
            oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);
            Await.until(WAIT, "the bot and the member on " + channel, () -> oper.names(channel).size() >= 3);

            oper.send("MODE " + channel + " +R");
            JsonNode rules = member.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                    && "restricted".equals(e.path("content").path("join_rule").asText()), WAIT);
            assertEquals(bot, rules.path("sender").asText());
            JsonNode allow = rules.path("content").path("allow");
            assertEquals(1, allow.size(), rules::toString);
            assertEquals("m.room_membership", allow.path(0).path("type").asText());
            String identifiedRoom = allow.path(0).path("room_id").asText();
            assertTrue(identifiedRoom.startsWith("!"), rules::toString);
            member.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                    && e.path("content").path("body").asText().startsWith(oper.nick() + " set +R on " + channel), WAIT);

            // Nobody unidentified gets in: a newcomer cannot join, in Matrix as on IRC.
            MatrixTestClient newcomer = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            MatrixTestClient.Response join = newcomer.post("join/" + MatrixTestClient.enc(room), Map.of());
            assertEquals(403, join.status(), join.body()::toString);
            assertFalse(newcomer.post("join/" + MatrixTestClient.enc(identifiedRoom), Map.of()).ok(),
                    "the room of identified users is the bridge's to fill");
            // The member who was there before stays, as they stay on the channel.
            assertTrue(member.members(room).contains(member.userId()));

            oper.send("MODE " + channel + " -R");
            member.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                    && "restricted".equals(e.path("unsigned").path("prev_content").path("join_rule").asText())
                    && "public".equals(e.path("content").path("join_rule").asText()), WAIT);
            assertTrue(newcomer.post("join/" + MatrixTestClient.enc(room), Map.of()).ok());
        }
    }
}
