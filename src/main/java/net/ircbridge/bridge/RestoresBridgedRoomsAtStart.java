package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.irc.KeepsTheBotOnEachNetwork;
import net.ircbridge.matrix.HomeserverClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.ircbridge.store.DirectChatStore;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.PortalRoomStore;
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

    private final PortalRoomStore portals;
    private final KeepsTheBotOnEachNetwork bots;
    private final HomeserverClient homeserver;
    private final MatrixNames names;
    private final ConnectsMatrixUsersToIrc users;
    private final RoomLanes lanes;
    private final IrcConfig irc;
    private final Texts texts;
    private final OwedInviteStore owed;
    private final DirectChatStore directChats;
    private final DecidesWhoMayUseTheBridge access;
    private final TurnsKnocksIntoIrcKnocks knocks;
    private final JoinsMappedRooms mapped;

    public RestoresBridgedRoomsAtStart(PortalRoomStore portals, KeepsTheBotOnEachNetwork bots, HomeserverClient homeserver,
            MatrixNames names, ConnectsMatrixUsersToIrc users, RoomLanes lanes, IrcConfig irc, Texts texts, OwedInviteStore owed,
            DirectChatStore directChats, DecidesWhoMayUseTheBridge access, TurnsKnocksIntoIrcKnocks knocks,
            JoinsMappedRooms mapped) {
        this.mapped = mapped;
        this.access = access;
        this.knocks = knocks;
        this.owed = owed;
        this.directChats = directChats;
        this.texts = texts;
        this.irc = irc;
        this.portals = portals;
        this.bots = bots;
        this.homeserver = homeserver;
        this.names = names;
        this.users = users;
        this.lanes = lanes;
    }

    public void restore() {
        for (IrcConfig.Network network : irc.networks()) {
            for (IrcConfig.ChannelMapping mapping : network.channels()) {
                String channel = MatrixNames.fold(mapping.channel());
                portals.put(new PortalRoom(network.id(), channel, mapping.room(), null));
                // A private room's invite left pending (even one made before the mapping) lets the bot in here.
                lanes.submit(mapping.room(), () -> mapped.join(mapping.room()));
            }
        }
        // Users soft-kicked before the stop are owed an invite: reconnect them, and the invite follows.
        Map<String, Set<String>> owedChannels = new HashMap<>();
        for (OwedInviteStore.OwedInvite invite : owed.all()) {
            owedChannels.computeIfAbsent(invite.network() + "\n" + invite.userId(), k -> new HashSet<>()).add(invite.channel());
        }
        owedChannels.forEach((key, channels) -> {
            String[] parts = key.split("\n", 2);
            LOG.infof("Reconnecting %s to %s: owed invites back to %s", parts[1], parts[0], channels);
            users.reconnect(parts[0], parts[1], channels);
        });
        // A private message to a Matrix user's nick must find it on IRC, even if the user is in no bridged room.
        Set<String> withChats = new java.util.TreeSet<>();
        for (DirectChatStore.DirectChat chat : directChats.all()) {
            boolean known = irc.networks().stream().anyMatch(n -> n.id().equals(chat.network()));
            if (known && access.mayUse(chat.userId()) && withChats.add(chat.network() + "\n" + chat.userId())) {
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
            boolean known = irc.networks().stream().anyMatch(n -> n.id().equals(room.network()));
            if (!known || !bots.isChannelName(room.network(), room.channel())) {
                LOG.warnf("Skipping the portal %s: '%s' is not a channel name on %s", room.roomId(),
                        room.channel().replaceAll("\\p{Cntrl}", "?"), room.network());
                continue;
            }
            bots.joinChannel(room.network(), room.channel());
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
                    String userId = member.path("state_key").asText();
                    if (names.isBridgeUser(userId)) {
                        return;
                    }
                    String displayName = member.path("content").path("displayname").asText(null);
                    switch (member.path("content").path("membership").asText()) {
                        case "join" -> users.putBackOnChannel(room, userId, displayName);
                        case "knock" -> knocks.restorePending(room, userId, displayName, member.path("origin_server_ts").asLong());
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
