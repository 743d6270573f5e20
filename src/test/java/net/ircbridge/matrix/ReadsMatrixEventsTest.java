package net.ircbridge.matrix;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadsMatrixEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MatrixEvent read(String json) throws Exception {
        return ReadsMatrixEvents.read(JSON.readTree(json));
    }

    private static String event(String type, String stateKey, String content) {
        return "{\"type\":\"" + type + "\",\"room_id\":\"!r:hs\",\"sender\":\"@u:hs\",\"event_id\":\"$e\",\"origin_server_ts\":42"
                + (stateKey == null ? "" : ",\"state_key\":\"" + stateKey + "\"") + (content == null ? "" : ",\"content\":" + content) + "}";
    }

    @Test
    void aMemberEventSaysWhoWhatWhyAndWhatItReplaced() throws Exception {
        MemberChanged member = assertInstanceOf(MemberChanged.class, read("{\"type\":\"m.room.member\",\"room_id\":\"!r:hs\","
                + "\"sender\":\"@bot:hs\",\"event_id\":\"$e\",\"state_key\":\"@u:hs\",\"origin_server_ts\":42,"
                + "\"content\":{\"membership\":\"leave\",\"reason\":\"lost\",\"displayname\":\"U\",\"org.matrix.msc3217.softkick\":true},"
                + "\"unsigned\":{\"prev_content\":{\"membership\":\"join\",\"displayname\":\"Old\"}}}"));
        assertEquals(new MatrixEvent.Envelope("m.room.member", "!r:hs", "@bot:hs", "$e", "@u:hs", 42), member.envelope());
        assertEquals("@u:hs", member.user());
        assertEquals("leave", member.membership());
        assertEquals("join", member.previousMembership());
        assertEquals("lost", member.reason());
        assertEquals("U", member.displayName());
        assertEquals("Old", member.previousDisplayName());
        assertTrue(member.softKick());
        assertFalse(member.direct());
    }

    @Test
    void aMemberEventWithoutContentOrStateKeyReadsAsAbsentNotAsAFailure() throws Exception {
        MemberChanged bare = assertInstanceOf(MemberChanged.class, read(event("m.room.member", "@u:hs", null)));
        assertNull(bare.membership());
        assertEquals("", bare.previousMembership());
        assertEquals("", bare.reason());
        assertNull(bare.displayName());
        assertFalse(bare.softKick());
        // Without a state key it is no one's membership.
        assertInstanceOf(OtherEvent.class, read(event("m.room.member", null, "{\"membership\":\"join\"}")));
    }

    @Test
    void fieldsOfTheWrongTypeReadAsTheirTextOrAsAbsent() throws Exception {
        MemberChanged odd = assertInstanceOf(MemberChanged.class, read(event("m.room.member", "@u:hs",
                "{\"membership\":5,\"reason\":{\"a\":1},\"displayname\":null,\"org.matrix.msc3217.softkick\":\"yes\",\"is_direct\":1}")));
        assertEquals("5", odd.membership());
        assertEquals("", odd.reason());
        assertNull(odd.displayName());
        assertFalse(odd.softKick());
        assertTrue(odd.direct());
        MemberChanged contentIsText = assertInstanceOf(MemberChanged.class, read(event("m.room.member", "@u:hs", "\"join\"")));
        assertNull(contentIsText.membership());
        MatrixEvent numbers = read("{\"type\":7,\"room_id\":[1],\"sender\":{},\"event_id\":null,\"origin_server_ts\":\"soon\"}");
        assertInstanceOf(OtherEvent.class, numbers);
        assertEquals("7", numbers.type());
        assertNull(numbers.eventId());
        assertEquals(0, numbers.envelope().originServerTs());
    }

    @Test
    void anythingButAnObjectIsAnEventOfNothing() throws Exception {
        for (String json : List.of("[]", "null", "\"text\"", "12", "{}")) {
            MatrixEvent event = read(json);
            assertInstanceOf(OtherEvent.class, event, json);
            assertNull(event.type(), json);
            assertNull(event.roomId(), json);
        }
        assertInstanceOf(OtherEvent.class, ReadsMatrixEvents.read(null));
    }

    @Test
    void aMessageSaysItsTypeTextHtmlAndReply() throws Exception {
        MessageSent message = assertInstanceOf(MessageSent.class, read(event("m.room.message", null,
                "{\"msgtype\":\"m.text\",\"body\":\"> <@a:hs> hi\\n\\nhello\",\"format\":\"org.matrix.custom.html\","
                        + "\"formatted_body\":\"<b>hello</b>\",\"m.relates_to\":{\"m.in_reply_to\":{\"event_id\":\"$orig\"}}}")));
        assertEquals("m.text", message.message().msgtype());
        assertEquals("> <@a:hs> hi\n\nhello", message.message().body());
        assertTrue(message.message().isHtml());
        assertEquals("<b>hello</b>", message.message().formattedBody());
        assertEquals("$orig", message.relation().inReplyTo());
        assertTrue(message.relation().isReply());
        assertFalse(message.isEdit());
        assertFalse(message.isSticker());
    }

    @Test
    void anEditCarriesItsNewContentAndAThreadsFallbackIsNoReply() throws Exception {
        MessageSent edit = assertInstanceOf(MessageSent.class, read(event("m.room.message", null,
                "{\"msgtype\":\"m.text\",\"body\":\"* fixed\",\"m.new_content\":{\"msgtype\":\"m.notice\",\"body\":\"fixed\"},"
                        + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$old\"}}")));
        assertTrue(edit.isEdit());
        assertEquals("fixed", edit.replacement().body());
        assertEquals("m.notice", edit.replacement().msgtype());
        assertEquals("$old", edit.relation().eventId());
        MessageSent thread = assertInstanceOf(MessageSent.class, read(event("m.room.message", null,
                "{\"body\":\"x\",\"m.relates_to\":{\"rel_type\":\"m.thread\",\"is_falling_back\":true,"
                        + "\"m.in_reply_to\":{\"event_id\":\"$last\"}}}")));
        assertFalse(thread.relation().isReply());
    }

    @Test
    void aMessageWithOddPartsReadsWithoutThem() throws Exception {
        MessageSent odd = assertInstanceOf(MessageSent.class, read(event("m.room.message", null,
                "{\"body\":[1,2],\"format\":null,\"m.relates_to\":\"$e\",\"m.new_content\":null}")));
        assertEquals("", odd.message().body(), "a container's text is empty, as Jackson reads it");
        assertEquals("", odd.message().format());
        assertFalse(odd.message().isHtml());
        assertEquals(Relation.NONE, odd.relation());
        assertEquals(MessageBody.EMPTY, odd.replacement(), "an m.new_content that is null is an empty one");
        MessageSent empty = assertInstanceOf(MessageSent.class, read(event("m.room.message", null, null)));
        assertEquals(MessageBody.EMPTY, empty.message());
        assertNull(empty.replacement());
        assertEquals("fallback", empty.message().bodyOr("fallback"));
    }

    @Test
    void stickersAreMessagesWithAFileAndReactionsHaveAKey() throws Exception {
        MessageSent sticker = assertInstanceOf(MessageSent.class, read(event("m.sticker", null,
                "{\"body\":\"cat\",\"url\":\"mxc://hs/cat\"}")));
        assertTrue(sticker.isSticker());
        assertEquals("mxc://hs/cat", sticker.message().url());
        Reacted reaction = assertInstanceOf(Reacted.class, read(event("m.reaction", null,
                "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$m\",\"key\":\"👍\"}}")));
        assertEquals(new Relation("m.annotation", "$m", "👍", "", false), reaction.relation());
    }

    @Test
    void stateEventsOfTheRoomAreTyped() throws Exception {
        TopicChanged topic = assertInstanceOf(TopicChanged.class, read(event("m.room.topic", "", "{\"topic\":\"t\"}")));
        assertEquals("t", topic.topic());
        assertEquals("12", assertInstanceOf(TopicChanged.class, read(event("m.room.topic", "", "{\"topic\":12}"))).topic());
        assertEquals("", assertInstanceOf(TopicChanged.class, read(event("m.room.topic", "", "{\"topic\":null}"))).topic());
        PowerLevelsChanged levels = assertInstanceOf(PowerLevelsChanged.class, read(event("m.room.power_levels", "",
                "{\"users\":{\"@a:hs\":100,\"@b:hs\":\"50\"},\"users_default\":10}")));
        assertEquals(100, levels.levels().levelOf("@a:hs"));
        assertEquals(50, levels.levels().levelOf("@b:hs"));
        assertEquals(10, levels.levels().levelOf("@c:hs"));
        JoinRulesChanged rules = assertInstanceOf(JoinRulesChanged.class, read(event("m.room.join_rules", "",
                "{\"join_rule\":\"restricted\",\"allow\":[{\"type\":\"m.room_membership\",\"room_id\":\"!i:hs\"}]}")));
        assertEquals(new JoinRules("restricted", List.of(JoinRules.Allow.membersOf("!i:hs"))), rules.rules());
        Redacted old = assertInstanceOf(Redacted.class, read("{\"type\":\"m.room.redaction\",\"redacts\":\"$x\",\"content\":{}}"));
        assertEquals("$x", old.redacts());
        Redacted v11 = assertInstanceOf(Redacted.class, read(event("m.room.redaction", null, "{\"redacts\":\"$y\",\"reason\":\"spam\"}")));
        assertEquals("$y", v11.redacts());
        assertEquals("spam", v11.reason());
    }

    @Test
    void joinRulesWithAnAllowTheBridgeWouldNotMakeAreNeverTakenForItsOwn() throws Exception {
        JoinRules wanted = new JoinRules("restricted", List.of(JoinRules.Allow.membersOf("!i:hs")));
        for (String allow : List.of("[{\"type\":\"m.room_membership\",\"room_id\":\"!i:hs\",\"via\":[\"hs\"]}]",
                "[{\"type\":\"m.room_membership\",\"room_id\":5}]", "\"!i:hs\"", "null", "[]")) {
            JoinRules read = ReadsMatrixEvents.joinRules(JSON.readTree("{\"join_rule\":\"restricted\",\"allow\":" + allow + "}"));
            assertFalse(read.equals(wanted), allow);
        }
        assertEquals(JoinRules.of("knock"), ReadsMatrixEvents.joinRules(JSON.readTree("{\"join_rule\":\"knock\"}")));
        assertFalse(JoinRules.of("knock").equals(ReadsMatrixEvents.joinRules(JSON.readTree("{\"join_rule\":\"knock\",\"allow\":[]}"))));
        assertEquals(JoinRules.UNKNOWN, ReadsMatrixEvents.joinRules(JSON.readTree("[]")));
    }

    @Test
    void aRoomsStateGivesItsLookAndItsListedChildren() throws Exception {
        RoomState state = ReadsMatrixEvents.roomState(JSON.readTree("["
                + "{\"type\":\"m.room.name\",\"state_key\":\"\",\"content\":{\"name\":\"N\"}},"
                + "{\"type\":\"m.room.topic\",\"state_key\":\"\",\"content\":{}},"
                + "{\"type\":\"m.space.child\",\"state_key\":\"!a:hs\",\"content\":{\"via\":[\"hs\"]}},"
                + "{\"type\":\"m.space.child\",\"state_key\":\"!gone:hs\",\"content\":{}},"
                + "\"not an event\", 5, null]"));
        assertEquals(new RoomState("N", null, null, Set.of("!a:hs")), state);
        assertEquals(new RoomState(null, null, null, Set.of()), ReadsMatrixEvents.roomState(JSON.readTree("{\"a\":1}")));
    }

    @Test
    void noEventOfOddValuesInAnyFieldMakesReadingThrow() {
        List<String> values = List.of("null", "1", "true", "\"x\"", "[]", "[null]", "{}", "{\"a\":[{}]}");
        List<String> types = List.of("m.room.member", "m.room.message", "m.sticker", "m.reaction", "m.room.topic",
                "m.room.power_levels", "m.room.join_rules", "m.room.redaction", "x.other");
        List<String> fields = List.of("content", "unsigned", "state_key", "redacts", "sender", "origin_server_ts");
        List<String> contentFields = List.of("membership", "reason", "displayname", "body", "msgtype", "format", "formatted_body",
                "url", "filename", "m.relates_to", "m.new_content", "topic", "users", "users_default", "join_rule", "allow",
                MemberContent.SOFT_KICK_KEY, "is_direct");
        for (String type : types) {
            for (String value : values) {
                for (String field : fields) {
                    ObjectNode event = JSON.createObjectNode().put("type", type).put("state_key", "");
                    assertDoesNotThrow(() -> event.set(field, JSON.readTree(value)));
                    assertDoesNotThrow(() -> read(event.toString()), type + " " + field + "=" + value);
                }
                for (String field : contentFields) {
                    String json = "{\"type\":\"" + type + "\",\"state_key\":\"\",\"content\":{\"" + field + "\":" + value + "},"
                            + "\"unsigned\":{\"prev_content\":{\"" + field + "\":" + value + "}}}";
                    MatrixEvent event = assertDoesNotThrow(() -> read(json), json);
                    if (event instanceof PowerLevelsChanged levels) {
                        assertDoesNotThrow(() -> levels.levels().withUser("@u:hs", 50).levelOf("@u:hs"), json);
                    }
                }
            }
        }
    }

    @Test
    void membersOfADirectChatInviteSayItIsDirect() throws Exception {
        MemberChanged invite = assertInstanceOf(MemberChanged.class, read(event("m.room.member", "@ghost:hs",
                "{\"membership\":\"invite\",\"is_direct\":true}")));
        assertTrue(invite.direct());
    }
}
