package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.MatrixNames;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.matrix.BridgeInfo;
import net.ircbridge.matrix.HistoryVisibility;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.PowerLevels;
import net.ircbridge.matrix.RoomCreation;
import net.ircbridge.matrix.RoomCreation.InitialState;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * Makes the room for an IRC channel when someone joins its alias ({@code #irc_network_channel:domain}): the
 * homeserver asks the bridge about the alias, the bridge creates the room (version 11, history visible to joined
 * members only, the bot at power 100, bridge-info state) with that alias, and the bot joins the channel.
 */
@ApplicationScoped
public class CreatesPortalRooms {

    private static final Logger LOG = Logger.getLogger(CreatesPortalRooms.class);
    public static final String ROOM_VERSION = "11";

    private final MatrixNames names;
    private final Networks networks;
    private final HomeserverClient homeserver;
    private final PortalDirectory portals;
    private final ShowsIrcState bots;
    private final PerformsIrcIntents irc;
    private final KeepsASpacePerNetwork spaces;
    private final DecidesWhichChannelsGetPortals decisions;
    /** Creations under way, so two queries for the same alias make one room. */
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> creating = new ConcurrentHashMap<>();

    public CreatesPortalRooms(MatrixNames names, Networks networks, HomeserverClient homeserver, PortalDirectory portals,
            ShowsIrcState bots, PerformsIrcIntents irc, KeepsASpacePerNetwork spaces,
            DecidesWhichChannelsGetPortals decisions) {
        this.decisions = decisions;
        this.spaces = spaces;
        this.names = names;
        this.networks = networks;
        this.homeserver = homeserver;
        this.portals = portals;
        this.bots = bots;
        this.irc = irc;
    }

    /**
     * Answers an alias query: true once the room exists (made now if the alias names a channel of the network and
     * its {@code dynamic-channels} let it have one). A name that is no channel name ({@code =00}, {@code =0a},
     * {@code =20}, {@code =2c} unescape to NUL, LF, space and comma) is refused before anything is stored.
     */
    public CompletionStage<Boolean> roomForAlias(String alias) {
        Optional<MatrixNames.IrcName> channel = names.parseAlias(alias);
        if (channel.isEmpty() || !bots.isChannelName(channel.get().network(), channel.get().name())) {
            return CompletableFuture.completedFuture(false);
        }
        String network = channel.get().network();
        String name = channel.get().name();
        if (portals.byChannel(network, name).isPresent()) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> underway = creating.putIfAbsent(alias, mine);
        if (underway != null) {
            return underway;
        }
        decisions.mayMake(network, name)
                .thenCompose(may -> may ? create(network, name, alias) : CompletableFuture.completedFuture(false))
                .whenComplete((ok, failure) -> {
                    creating.remove(alias, mine);
                    if (failure != null) {
                        mine.completeExceptionally(failure);
                    } else {
                        mine.complete(ok);
                    }
                });
        return mine;
    }

    private CompletableFuture<Boolean> create(String networkId, String channel, String alias) {
        IrcConfig.Network network = networks.get(networkId);
        String localpart = alias.substring(1, alias.lastIndexOf(':'));
        BridgeInfo info = bridgeInfo(network, channel);
        String stateKey = "net.ircbridge://irc/" + networkId + "/" + URLEncoder.encode(channel, StandardCharsets.UTF_8);
        RoomCreation request = RoomCreation.preset("public_chat").version(ROOM_VERSION).alias(localpart).named(channel)
                .visibility(network.publishRooms() ? "public" : "private");
        if (!network.dynamicChannels().federate()) {
            request = request.local();
        }
        request = request.powerLevels(PowerLevels.ofUsers(Map.of(homeserver.botUserId(), 100)))
                .with(InitialState.of("", new HistoryVisibility("joined")))
                .with(InitialState.of(stateKey, info))
                .with(new InitialState(BridgeInfo.HALF_SHOT_TYPE, stateKey, info));
        return homeserver.createRoom(null, request).thenApply(roomId -> {
            PortalRoom room = new PortalRoom(networkId, channel, roomId, alias);
            portals.put(room);
            // Listed in the network's space; not waited for, the room is usable without it.
            spaces.roomBridged(room).exceptionally(failure -> {
                LOG.warnf("Cannot list %s in the space of %s: %s", roomId, network.displayName(), failure.getMessage());
                return null;
            });
            LOG.infof("Created %s for %s on %s", roomId, channel, network.displayName());
            irc.perform(new IrcIntent.BotJoin(networkId, channel));
            if (network.publishRooms()) {
                warnIfNotPublished(roomId, channel);
            }
            return true;
        });
    }

    /** Synapse creates the room but silently leaves it out of the directory unless its rules allow publishing. */
    private void warnIfNotPublished(String roomId, String channel) {
        homeserver.directoryVisibility(roomId).thenAccept(visibility -> {
            if (!"public".equals(visibility)) {
                LOG.warnf("The homeserver did not publish %s (%s) in its room directory: allow the bridge bot %s in its"
                        + " room_list_publication_rules (Synapse), or set publish-rooms: false", roomId, channel,
                        homeserver.botUserId());
            }
        });
    }

    private BridgeInfo bridgeInfo(IrcConfig.Network network, String channel) {
        return new BridgeInfo(homeserver.botUserId(), new BridgeInfo.Named("irc", "IRC"),
                new BridgeInfo.Named(network.id(), network.displayName()), new BridgeInfo.Named(channel, channel));
    }
}
