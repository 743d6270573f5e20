package net.ircbridge.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON of the typed contents is the JSON the bridge built by hand before them: the same keys and values. */
class WritesMatrixJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void aSoftKickIsALeaveWithItsReasonAndTheSoftKickKey() throws Exception {
        assertEquals(json("{'membership':'leave','reason':'Lost','org.matrix.msc3217.softkick':true}"),
                WritesMatrixJson.state(MemberContent.softKick("Lost")));
    }

    @Test
    void aNamedJoinHasItsDisplayNameAndAReasonOnlyWhenThereIsOne() throws Exception {
        assertEquals(json("{'membership':'join','reason':'from IRC','displayname':'Nick'}"),
                WritesMatrixJson.state(MemberContent.join("Nick", "from IRC")));
        assertEquals(json("{'membership':'join','displayname':'Nick'}"), WritesMatrixJson.state(MemberContent.join("Nick", null)));
    }

    @Test
    void anIrcLineIsATextWithHtmlAndAlwaysItsMentions() throws Exception {
        MessageContent line = MessageContent.of("m.emote", "waves").withHtml("<b>waves</b>").mentioning(List.of("@a:hs"));
        assertEquals(json("{'msgtype':'m.emote','body':'waves','format':'org.matrix.custom.html','formatted_body':'<b>waves</b>',"
                + "'m.mentions':{'user_ids':['@a:hs']}}"), WritesMatrixJson.message(line));
        assertEquals(json("{'msgtype':'m.text','body':'hi','m.mentions':{'user_ids':[]}}"),
                WritesMatrixJson.message(MessageContent.text("hi").mentioning(List.of())));
    }

    @Test
    void aNoticeAnsweringAnEventMentionsItsSenderAndRepliesToIt() throws Exception {
        assertEquals(json("{'msgtype':'m.notice','body':'not sent','m.mentions':{'user_ids':['@u:hs']},"
                        + "'m.relates_to':{'m.in_reply_to':{'event_id':'$e'}}}"),
                WritesMatrixJson.message(MessageContent.notice("not sent").mentioning(List.of("@u:hs")).replyingTo("$e")));
        assertEquals(json("{'msgtype':'m.notice','body':'plain'}"), WritesMatrixJson.message(MessageContent.notice("plain")));
    }

    @Test
    void changingUsersLevelsKeepsEveryOtherKeyOfTheRoom() throws Exception {
        PowerLevels room = PowerLevels.read(json("{'users':{'@bot:hs':100,'@a:hs':50},'users_default':0,'events':{'m.room.name':50},"
                + "'org.example.custom':{'x':1},'ban':50}"));
        PowerLevels changed = room.withUser("@b:hs", 50).withoutUser("@a:hs");
        assertEquals(json("{'users':{'@bot:hs':100,'@b:hs':50},'users_default':0,'events':{'m.room.name':50},"
                + "'org.example.custom':{'x':1},'ban':50}"), WritesMatrixJson.state(changed));
        assertEquals(50, room.levelOf("@a:hs"), "the levels read stay as they were");
        assertEquals(0, changed.levelOf("@a:hs"));
        assertNotEquals(room, changed);
    }

    @Test
    void powerLevelsWithoutUsersOrWithUsersOfTheWrongTypeGetAUsersObject() throws Exception {
        assertEquals(json("{'users':{'@a:hs':50}}"), WritesMatrixJson.state(PowerLevels.read(json("{}")).withUser("@a:hs", 50)));
        assertEquals(json("{'users':{'@a:hs':50}}"), WritesMatrixJson.state(PowerLevels.read(json("{'users':[1]}")).withUser("@a:hs", 50)));
        assertEquals(json("{}"), WritesMatrixJson.state(PowerLevels.read(json("[1]"))));
    }

    @Test
    void joinRulesSayTheRuleAndForARestrictedRoomWhoMayJoin() throws Exception {
        assertEquals(json("{'join_rule':'knock'}"), WritesMatrixJson.state(JoinRules.of("knock")));
        assertEquals(json("{'join_rule':'restricted','allow':[{'type':'m.room_membership','room_id':'!i:hs'}]}"),
                WritesMatrixJson.state(new JoinRules("restricted", List.of(JoinRules.Allow.membersOf("!i:hs")))));
    }

    @Test
    void aPortalRoomIsMadeAsBefore() throws Exception {
        BridgeInfo info = new BridgeInfo("@bot:hs", new BridgeInfo.Named("irc", "IRC"), new BridgeInfo.Named("net", "Net"),
                new BridgeInfo.Named("#c", "#c"));
        RoomCreation portal = RoomCreation.preset("public_chat").version("11").alias("irc_net_#c").named("#c").visibility("private")
                .local().powerLevels(PowerLevels.ofUsers(Map.of("@bot:hs", 100)))
                .with(RoomCreation.InitialState.of("", new HistoryVisibility("joined")))
                .with(RoomCreation.InitialState.of("k", info))
                .with(new RoomCreation.InitialState(BridgeInfo.HALF_SHOT_TYPE, "k", info));
        String infoJson = "{'bridgebot':'@bot:hs','protocol':{'id':'irc','displayname':'IRC'},'network':{'id':'net','displayname':'Net'},"
                + "'channel':{'id':'#c','displayname':'#c'}}";
        assertEquals(json("{'room_version':'11','room_alias_name':'irc_net_#c','name':'#c','preset':'public_chat','visibility':'private',"
                + "'creation_content':{'m.federate':false},'power_level_content_override':{'users':{'@bot:hs':100}},"
                + "'initial_state':[{'type':'m.room.history_visibility','state_key':'','content':{'history_visibility':'joined'}},"
                + "{'type':'m.bridge','state_key':'k','content':" + infoJson + "},"
                + "{'type':'uk.half-shot.bridge','state_key':'k','content':" + infoJson + "}]}"), WritesMatrixJson.room(portal));
    }

    @Test
    void aSpaceAndADirectChatAreMadeAsBefore() throws Exception {
        RoomCreation space = RoomCreation.preset("public_chat").version("11").space().named("Net").topic("IRC").visibility("public")
                .powerLevels(PowerLevels.ofUsers(Map.of("@bot:hs", 100)).withEventsDefault(100).withStateDefault(100).withInvite(0))
                .with(RoomCreation.InitialState.of("", new HistoryVisibility("world_readable")))
                .with(RoomCreation.InitialState.of("", new RoomAvatar("mxc://hs/a")));
        assertEquals(json("{'room_version':'11','creation_content':{'type':'m.space'},'name':'Net','topic':'IRC','preset':'public_chat',"
                + "'visibility':'public','power_level_content_override':{'events_default':100,'state_default':100,'invite':0,"
                + "'users':{'@bot:hs':100}},'initial_state':[{'type':'m.room.history_visibility','state_key':'',"
                + "'content':{'history_visibility':'world_readable'}},{'type':'m.room.avatar','state_key':'','content':{'url':'mxc://hs/a'}}]}"),
                WritesMatrixJson.room(space));
        assertEquals(json("{'preset':'trusted_private_chat','is_direct':true,'room_version':'11','invite':['@u:hs']}"),
                WritesMatrixJson.room(RoomCreation.preset("trusted_private_chat").version("11").direct(List.of("@u:hs"))));
    }

    @Test
    void spaceLinksListServersAndAreEmptiedToRemoveThem() throws Exception {
        assertEquals(json("{'via':['hs']}"), WritesMatrixJson.state(new SpaceChild(List.of("hs"))));
        assertEquals(json("{'canonical':true,'via':['hs']}"), WritesMatrixJson.state(new SpaceParent(List.of("hs"), true)));
        assertEquals(json("{}"), WritesMatrixJson.state(SpaceChild.REMOVED));
        assertEquals(json("{}"), WritesMatrixJson.state(SpaceParent.REMOVED));
        assertEquals(json("{}"), WritesMatrixJson.state(new RoomName(null)));
        assertEquals(json("{'topic':'t'}"), WritesMatrixJson.state(new TopicContent("t")));
    }

    @Test
    void thirdPartyAnswersAreTheSpecsObjects() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("network", "net");
        fields.put("channel", "#c");
        assertEquals(json("{'alias':'#a:hs','protocol':'irc','fields':{'network':'net','channel':'#c'}}"),
                WritesMatrixJson.location(new ThirdPartyLocation("#a:hs", "irc", fields)));
        assertEquals(json("{'userid':'@g:hs','protocol':'irc','fields':{'network':'net'}}"),
                WritesMatrixJson.user(new ThirdPartyUser("@g:hs", "irc", Map.of("network", "net"))));
        ThirdPartyProtocol protocol = new ThirdPartyProtocol(List.of("network", "nickname"), List.of("network", "channel"), "",
                Map.of("network", new ThirdPartyProtocol.FieldType("[a-z]+", "net")),
                List.of(new ThirdPartyProtocol.Instance("net", "Net", "", Map.of("network", "net"))));
        assertEquals(json("{'user_fields':['network','nickname'],'location_fields':['network','channel'],'icon':'',"
                + "'field_types':{'network':{'regexp':'[a-z]+','placeholder':'net'}},"
                + "'instances':[{'network_id':'net','desc':'Net','icon':'','fields':{'network':'net'}}]}"),
                WritesMatrixJson.protocol(protocol));
    }
}
