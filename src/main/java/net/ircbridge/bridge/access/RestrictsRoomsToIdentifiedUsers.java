package net.ircbridge.bridge.access;

import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.membership.ConnectsMatrixUsersToIrc;
import net.ircbridge.bridge.portals.CreatesPortalRooms;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HistoryVisibility;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.PowerLevels;
import net.ircbridge.matrix.RoomCreation;
import net.ircbridge.matrix.RoomCreation.InitialState;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * Rooms of registered-only channels are {@code restricted} (MSC3083): their {@code allow} names a room per network
 * that the bridge manages, holding the Matrix users whose IRC connection is identified to an account. When a
 * connection logs in (900, after SASL or the network's services), the bot invites its user there (Matrix lets only
 * joined members through, so the user accepts the invite); when it logs out (901), the bot removes the user from
 * that room and, as the restricted rooms' admin, from every restricted room of the network, saying why; their
 * connection leaves those rooms' channels too.
 *
 * <p>On a network without accounts (no services) nobody is ever identified: the room stays
 * empty, and the homeserver refuses every join to a restricted room, while its IRC channel refuses the JOIN (477).
 * Members already in the room when the channel became registered-only stay, as they stay on the channel.
 *
 * <p>The room's id is kept in the bot's account data ({@code net.ircbridge.identified.<network>}).
 */
@ApplicationScoped
public class RestrictsRoomsToIdentifiedUsers implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(RestrictsRoomsToIdentifiedUsers.class);
    static final String ACCOUNT_DATA_PREFIX = "net.ircbridge.identified.";

    private final HomeserverClient homeserver;
    private final PortalDirectory portals;
    private final RoomLanes lanes;
    private final Texts texts;
    private final Networks networks;
    private final Map<String, CompletableFuture<String>> rooms = new ConcurrentHashMap<>();
    private final ConnectsMatrixUsersToIrc users;

    public RestrictsRoomsToIdentifiedUsers(HomeserverClient homeserver, PortalDirectory portals, RoomLanes lanes, Texts texts,
            Networks networks, ConnectsMatrixUsersToIrc users) {
        this.users = users;
        this.homeserver = homeserver;
        this.portals = portals;
        this.lanes = lanes;
        this.texts = texts;
        this.networks = networks;
    }

    /** The network's room of identified users, found in the bot's account data or made now. */
    public CompletableFuture<String> allowRoom(String network) {
        return rooms.computeIfAbsent(network, id -> findOrCreate(networks.get(id)).whenComplete((roomId, failure) -> {
            if (failure != null) {
                rooms.remove(id);
            }
        }));
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.AccountChanged e) || !e.owner().startsWith("@")) {
            return;
        }
        IrcConfig.Network network = networks.get(e.network());
        allowRoom(e.network()).thenAccept(roomId -> {
            if (e.account() != null) {
                LOG.infof("%s is identified as %s on %s", e.owner(), e.account(), network.displayName());
                String reason = Texts.fill(texts.templates().identifiedInvite(), "network", network.displayName(), "account", e.account());
                lanes.submit(roomId, () -> homeserver.invite(null, roomId, e.owner(), reason).exceptionally(f -> null));
            } else {
                LOG.infof("%s is no longer identified on %s", e.owner(), network.displayName());
                removeFromRestrictedRooms(network, e.owner(), roomId);
            }
        });
    }

    /** The user lost eligibility: out of the identified room and of every restricted room of the network. */
    private void removeFromRestrictedRooms(IrcConfig.Network network, String user, String identifiedRoom) {
        String reason = Texts.fill(texts.templates().identifiedRoomLeft(), "network", network.displayName());
        lanes.submit(identifiedRoom, () -> homeserver.kick(null, identifiedRoom, user, reason).exceptionally(f -> null));
        for (PortalRoom room : portals.all()) {
            if (!room.network().equals(network.id())) {
                continue;
            }
            String roomReason = Texts.fill(texts.templates().noLongerIdentified(), "channel", room.channel(),
                    "network", network.displayName());
            lanes.submit(room.roomId(), () -> homeserver.joinRules(room.roomId())
                    .thenCompose(rules -> "restricted".equals(rules.joinRule())
                            ? homeserver.kick(null, room.roomId(), user, roomReason)
                                    // Out of the room, so off the channel: registered-only channels keep no one out themselves.
                                    .thenRun(() -> users.removedByTheBridge(room, user, roomReason))
                            : CompletableFuture.completedFuture(null))
                    .exceptionally(f -> null));
        }
    }

    private CompletableFuture<String> findOrCreate(IrcConfig.Network network) {
        String type = ACCOUNT_DATA_PREFIX + network.id();
        return homeserver.roomInBotAccountData(type).thenCompose(known -> {
            if (known == null) {
                return create(network, type);
            }
            return homeserver.checkState(known, "m.room.create", "")
                    .handle((ok, failure) -> failure == null ? CompletableFuture.completedFuture(known) : create(network, type))
                    .thenCompose(f -> f);
        });
    }

    private CompletableFuture<String> create(IrcConfig.Network network, String type) {
        RoomCreation request = RoomCreation.preset("private_chat").version(CreatesPortalRooms.ROOM_VERSION)
                .named(Texts.fill(texts.templates().identifiedRoomName(), "network", network.displayName()))
                .visibility("private")
                // Only the bot decides who is in it.
                .powerLevels(PowerLevels.ofUsers(Map.of(homeserver.botUserId(), 100)).withInvite(100).withKick(100))
                .with(InitialState.of("", new HistoryVisibility("joined")));
        return homeserver.createRoom(null, request).thenCompose(roomId -> {
            LOG.infof("Created %s, the room of users identified on %s", roomId, network.displayName());
            return homeserver.setRoomInBotAccountData(type, roomId).thenApply(ignored -> roomId);
        });
    }
}
