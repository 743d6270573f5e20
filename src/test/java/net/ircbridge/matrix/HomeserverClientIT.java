package net.ircbridge.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.Registration;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The homeserver client's typed calls against a real Synapse, as the bot and as namespaced users. */
class HomeserverClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestBed bed;
    private static HomeserverClient client;
    private static String bot;

    @BeforeAll
    static void connect() throws Exception {
        bed = TestBed.get();
        bot = "@ircbridge:" + bed.serverName();
        client = new HomeserverClient(bed.synapseUrl(), Registration.read(bed.registrationFile()).asToken(), bot, JSON);
        client.registerUser("ircbridge").get(30, TimeUnit.SECONDS);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static String ghost(String name) throws Exception {
        String localpart = "irc_testnet_" + name;
        await(client.registerUser(localpart));
        await(client.registerUser(localpart)); // M_USER_IN_USE counts as success
        return "@" + localpart + ":" + bed.serverName();
    }

    private static RoomCreation roomAsBot(String aliasLocalpart) {
        RoomCreation request = RoomCreation.preset("public_chat").version("11").named("client test");
        return aliasLocalpart == null ? request : request.alias(aliasLocalpart);
    }

    @Test
    void membershipCallsCarryTheirReasons() throws Exception {
        String room = await(client.createRoom(null, roomAsBot(null)));
        String ghost = ghost(bed.uniqueName("m"));
        await(client.setDisplayName(ghost, "SomeNick"));
        await(client.invite(null, room, ghost, "invited for a test"));
        await(client.join(ghost, room, "joining from IRC"));
        assertEquals("SomeNick", await(client.joinedMembers(null, room)).get(ghost));

        await(client.kick(null, room, ghost, "kicked for a test"));
        await(client.ban(null, room, ghost, "banned for a test"));
        await(client.unban(null, room, ghost, "unbanned for a test"));

        MatrixTestClient observer = MatrixTestClient.register(bed, bed.uniqueName("obs"));
        observer.join(room);
        List<JsonNode> events = observer.roomMessages(room);
        for (String[] expected : List.of(new String[] {"invite", "invited for a test"}, new String[] {"join", "joining from IRC"},
                new String[] {"leave", "kicked for a test"}, new String[] {"ban", "banned for a test"},
                new String[] {"leave", "unbanned for a test"})) {
            assertTrue(events.stream().anyMatch(e -> "m.room.member".equals(e.path("type").asText())
                    && ghost.equals(e.path("state_key").asText())
                    && expected[0].equals(e.path("content").path("membership").asText())
                    && expected[1].equals(e.path("content").path("reason").asText())), "no " + expected[0] + " with its reason");
        }
    }

    @Test
    void aStatePutKeepsTheSoftKickKeyThatKickWouldDrop() throws Exception {
        String room = await(client.createRoom(null, roomAsBot(null)));
        String ghost = ghost(bed.uniqueName("s"));
        await(client.invite(null, room, ghost, null));
        await(client.join(ghost, room, null));
        await(client.putState(null, room, ghost, MemberContent.softKick("Your IRC connection was lost.")));
        JsonNode member = await(client.state(room, "m.room.member", ghost));
        assertEquals("leave", member.path("membership").asText());
        assertTrue(member.path("org.matrix.msc3217.softkick").asBoolean(), member::toString);
        assertEquals("Your IRC connection was lost.", member.path("reason").asText());
        HomeserverClient.MemberEvent event = await(client.memberEvent(room, ghost));
        assertTrue(event.softKick(), event::toString);
        assertEquals("join", event.previousMembership());
    }

    @Test
    void aliasesMessagesAndStateRoundTrip() throws Exception {
        String aliasLocalpart = "irc_testnet_" + bed.uniqueName("a");
        String alias = "#" + aliasLocalpart + ":" + bed.serverName();
        String room = await(client.createRoom(null, roomAsBot(null)));
        await(client.putRoomAlias(alias, room));
        assertEquals(room, await(client.resolveAlias(alias)));

        String eventId = await(client.sendText(null, room, "m.notice", "hello"));
        assertTrue(eventId.startsWith("$"));
        await(client.putState(null, room, "", new TopicContent("a topic")));
        assertEquals("a topic", await(client.roomState(null, room)).topic());
        assertEquals("a topic", await(client.topic(room)));
        assertEquals("client test", await(client.roomState(null, room)).name());
        assertTrue(await(client.members(null, room)).stream().anyMatch(m -> bot.equals(m.user()) && "join".equals(m.membership())));
        MatrixEvent notice = await(client.event(null, room, eventId));
        assertEquals("hello", assertInstanceOf(MessageSent.class, notice).message().body());

        await(client.deleteRoomAlias(alias));
        ExecutionException gone = assertThrows(ExecutionException.class, () -> await(client.resolveAlias(alias)));
        assertEquals("M_NOT_FOUND", assertInstanceOf(MatrixException.class, gone.getCause()).errcode());
    }

    @Test
    void aUserOutsideTheNamespaceCannotBeMasqueraded() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(client.createRoom("@someone:" + bed.serverName(), RoomCreation.preset("private_chat"))));
        MatrixException m = assertInstanceOf(MatrixException.class, e.getCause());
        assertEquals(403, m.status());
    }
}
