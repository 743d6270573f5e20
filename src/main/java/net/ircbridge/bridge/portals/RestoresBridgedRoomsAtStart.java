package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.UserOnNetwork;
import net.ircbridge.bridge.access.DecidesWhoMayUseTheBridge;
import net.ircbridge.bridge.access.TurnsKnocksIntoIrcKnocks;
import net.ircbridge.bridge.membership.ConnectsMatrixUsersToIrc;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.matrix.HomeserverClient;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.ircbridge.store.DirectChatStore;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * At start: rooms mapped to channels in the configuration are bridged (the bot joins them, saying why), and after
 * a restart the bot goes back on every bridged channel (its NAMES then re-syncs the ghosts, without
 * duplicate joins or spurious leaves), and the Matrix users joined to bridged rooms are put back on IRC. Users
 * with direct chats are connected again too, so that IRC users can reach them before they next write, and knocks
 * still pending wait again for an operator's INVITE.
 */
@ApplicationScoped
public class RestoresBridgedRoomsAtStart {

    private static final Logger LOG = Logger.getLogger(RestoresBridgedRoomsAtStart.class);

    private final PortalDirectory portals;
    private final ShowsIrcState bots;
    private final PerformsIrcIntents irc;
    private final HomeserverClient homeserver;
    private final MatrixNames names;
    private final ConnectsMatrixUsersToIrc users;
    private final RoomLanes lanes;
    private final Networks networks;
    private final Texts texts;
    private final OwedInviteStore owed;
    private final DirectChatStore directChats;
    private final DecidesWhoMayUseTheBridge access;
    private final TurnsKnocksIntoIrcKnocks knocks;
    private final JoinsMappedRooms mapped;

    public RestoresBridgedRoomsAtStart(PortalDirectory portals, ShowsIrcState bots, PerformsIrcIntents irc, HomeserverClient homeserver,
            MatrixNames names, ConnectsMatrixUsersToIrc users, RoomLanes lanes, Networks networks, Texts texts, OwedInviteStore owed,
            DirectChatStore directChats, DecidesWhoMayUseTheBridge access, TurnsKnocksIntoIrcKnocks knocks,
            JoinsMappedRooms mapped) {
        this.mapped = mapped;
        this.access = access;
        this.knocks = knocks;
        this.owed = owed;
        this.directChats = directChats;
        this.texts = texts;
        this.networks = networks;
        this.portals = portals;
        this.bots = bots;
        this.irc = irc;
        this.homeserver = homeserver;
        this.names = names;
        this.users = users;
        this.lanes = lanes;
    }

    public void restore() {
        for (IrcConfig.Network network : networks.all()) {
            for (IrcConfig.ChannelMapping mapping : network.channels()) {
                String channel = MatrixNames.fold(mapping.channel());
                portals.put(new PortalRoom(network.id(), channel, mapping.room(), null));
                // A private room's invite left pending (even one made before the mapping) lets the bot in here.
                lanes.submit(mapping.room(), () -> mapped.join(mapping.room()));
            }
        }
        // Users soft-kicked before the stop are owed an invite: reconnect them, and the invite follows.
        Map<UserOnNetwork, Set<String>> owedChannels = new LinkedHashMap<>();
        for (OwedInviteStore.OwedInvite invite : owed.all()) {
            owedChannels.computeIfAbsent(new UserOnNetwork(invite.userId(), invite.network()), k -> new HashSet<>()).add(invite.channel());
        }
        owedChannels.forEach((key, channels) -> {
            if (!networks.isKnown(key.network())) {
                // A network taken out of the configuration: nothing can reconnect them there. What is owed stays in
                // the store, so that the invites follow if the network is configured again; the rest starts.
                LOG.warnf("Not reconnecting %s to %s: the network is not configured any more (invites back to %s stay owed)",
                        key.user(), key.network(), channels);
                return;
            }
            LOG.infof("Reconnecting %s to %s: owed invites back to %s", key.user(), key.network(), channels);
            users.reconnect(key.network(), key.user(), channels);
        });
        // A private message to a Matrix user's nick must find it on IRC, even if the user is in no bridged room.
        Set<UserOnNetwork> withChats = new HashSet<>();
        for (DirectChatStore.DirectChat chat : directChats.all()) {
            boolean known = networks.isKnown(chat.network());
            if (known && access.mayUse(chat.userId()) && withChats.add(new UserOnNetwork(chat.userId(), chat.network()))) {
                users.connection(chat.network(), chat.userId()).exceptionally(failure -> {
                    LOG.warnf("Cannot connect %s to %s for their direct chats: %s", chat.userId(), chat.network(),
                            Failures.cause(failure).getMessage());
                    return null;
                });
            }
        }
        for (PortalRoom room : portals.all()) {
            // Stored before names were checked (an alias with =00 made a portal for "#x\0"): left alone, so it
            // can never again stop the bot's other JOINs.
            boolean known = networks.isKnown(room.network());
            if (!known || !bots.isChannelName(room.network(), room.channel())) {
                LOG.warnf("Skipping the portal %s: '%s' is not a channel name on %s", room.roomId(),
                        room.channel().replaceAll("\\p{Cntrl}", "?"), room.network());
                continue;
            }
            irc.perform(new IrcIntent.BotJoin(room.network(), room.channel()));
            putMembersOnIrc(room);
        }
    }

    /**
     * The room's members go on IRC: the joined on the channel, the knocking wait again for an operator's INVITE (at
     * start, and when the bot gets into a mapped room later, invited).
     */
    public void putMembersOnIrc(PortalRoom room) {
        // One read of the members serves both: the joined go back on the channel, the knocking wait again.
        lanes.submit(room.roomId(), () -> homeserver.members(null, room.roomId()).thenAccept(members ->
                members.forEach(member -> {
                    String userId = member.user();
                    if (names.isBridgeUser(userId)) {
                        return;
                    }
                    String displayName = member.displayName();
                    switch (String.valueOf(member.membership())) {
                        case "join" -> users.putBackOnChannel(room, userId, displayName);
                        case "knock" -> knocks.restorePending(room, userId, displayName, member.envelope().originServerTs());
                        default -> {
                            // invited or banned: nothing to restore on IRC
                        }
                    }
                })).exceptionally(failure -> {
                    LOG.warnf("Cannot read the members of %s (%s): %s", room.roomId(), room.channel(), failure.getMessage());
                    return null;
                }));
    }
}
