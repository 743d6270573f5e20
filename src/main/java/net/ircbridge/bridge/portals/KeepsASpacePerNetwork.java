package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.HomeserverConfig;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.matrix.HistoryVisibility;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.matrix.PowerLevels;
import net.ircbridge.matrix.RoomAvatar;
import net.ircbridge.matrix.RoomCreation;
import net.ircbridge.matrix.RoomCreation.InitialState;
import net.ircbridge.matrix.RoomName;
import net.ircbridge.matrix.SpaceChild;
import net.ircbridge.matrix.SpaceParent;
import net.ircbridge.matrix.StateContent;
import net.ircbridge.matrix.TopicContent;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * Each network has a space (MSC1772), made by the bot with the name, topic and avatar of the network's
 * {@code space} settings, that lists every bridged room of the network ({@code m.space.child} with {@code via});
 * each room points back to it ({@code m.space.parent}, canonical). Rooms are added as they are bridged; at start
 * the space is brought in line with the bridged rooms, and rooms no longer bridged are taken out of it.
 *
 * <p>The space's room id is kept in the bot's account data ({@code net.ircbridge.space.<network>}), on the
 * homeserver the space lives on: a new data directory finds the same space.
 */
@ApplicationScoped
public class KeepsASpacePerNetwork {

    private static final Logger LOG = Logger.getLogger(KeepsASpacePerNetwork.class);
    static final String ACCOUNT_DATA_PREFIX = "net.ircbridge.space.";

    private final HomeserverClient homeserver;
    private final PortalDirectory portals;
    private final RoomLanes lanes;
    private final String domain;
    private final Networks networks;
    /** The space of each network, once it is found or made. */
    private final Map<String, CompletableFuture<String>> spaces = new ConcurrentHashMap<>();

    public KeepsASpacePerNetwork(HomeserverClient homeserver, PortalDirectory portals, RoomLanes lanes,
            HomeserverConfig homeserverConfig, Networks networks) {
        this.homeserver = homeserver;
        this.portals = portals;
        this.lanes = lanes;
        this.domain = homeserverConfig.domain();
        this.networks = networks;
    }

    /** Finds or makes each network's space, and lists in it exactly the network's bridged rooms. */
    public void start() {
        for (IrcConfig.Network network : networks.all()) {
            space(network.id()).thenCompose(spaceId -> reconcile(network.id(), spaceId)).exceptionally(failure -> {
                LOG.errorf("The space of %s could not be made or brought up to date: %s", network.displayName(), failure.getMessage());
                return null;
            });
        }
    }

    /** The network's space, found in the bot's account data or made now. */
    public CompletableFuture<String> space(String network) {
        return spaces.computeIfAbsent(network, id -> findOrCreate(networks.get(id)).whenComplete((spaceId, failure) -> {
            if (failure != null) {
                // Tried again by the next caller.
                spaces.remove(id);
            }
        }));
    }

    /** A room was bridged: it becomes a child of the network's space, and the space its parent. */
    public CompletableFuture<Void> roomBridged(PortalRoom room) {
        return space(room.network()).thenCompose(spaceId -> CompletableFuture.allOf(addChild(spaceId, room.roomId()),
                addParent(spaceId, room.roomId())));
    }

    /** A room is bridged no more: it leaves the network's space, and its parent event is emptied. */
    public CompletableFuture<Void> roomUnbridged(String network, String roomId) {
        return space(network).thenCompose(spaceId -> CompletableFuture.allOf(
                lanes.submit(spaceId, () -> homeserver.putState(null, spaceId, roomId, SpaceChild.REMOVED)),
                lanes.submit(roomId, () -> homeserver.putState(null, roomId, spaceId, SpaceParent.REMOVED)
                        .exceptionally(failure -> {
                            LOG.warnf("Cannot remove the space of %s from %s: %s", network, roomId, failure.getMessage());
                            return null;
                        }))));
    }

    private CompletableFuture<String> findOrCreate(IrcConfig.Network network) {
        String type = ACCOUNT_DATA_PREFIX + network.id();
        return homeserver.roomInBotAccountData(type).thenCompose(known -> {
            if (known == null) {
                return create(network, type);
            }
            // A space the bot is no longer in (deleted, or the bot was removed) is made again.
            return homeserver.checkState(known, "m.room.create", "").thenCompose(create -> updateLook(network, known))
                    .handle((ok, failure) -> failure == null ? CompletableFuture.completedFuture(known) : create(network, type))
                    .thenCompose(f -> f);
        });
    }

    private CompletableFuture<String> create(IrcConfig.Network network, String accountDataType) {
        RoomCreation request = RoomCreation.preset("public_chat").version(CreatesPortalRooms.ROOM_VERSION).space()
                .named(spaceName(network)).topic(spaceTopic(network))
                .visibility(network.publishRooms() ? "public" : "private")
                // Only the bot arranges the space: its children follow the bridged channels.
                .powerLevels(PowerLevels.ofUsers(Map.of(homeserver.botUserId(), 100)).withEventsDefault(100).withStateDefault(100)
                        .withInvite(0))
                .with(InitialState.of("", new HistoryVisibility("world_readable")));
        Optional<String> avatar = network.space().avatar();
        if (avatar.isPresent()) {
            request = request.with(InitialState.of("", new RoomAvatar(avatar.get())));
        }
        return homeserver.createRoom(null, request).thenCompose(spaceId -> {
            LOG.infof("Created the space %s of %s", spaceId, network.displayName());
            return homeserver.setRoomInBotAccountData(accountDataType, spaceId)
                    .thenApply(ignored -> spaceId);
        });
    }

    /** Name, topic and avatar follow the configuration, also for a space made earlier. */
    private CompletableFuture<Void> updateLook(IrcConfig.Network network, String spaceId) {
        return lanes.submit(spaceId, () -> homeserver.roomState(null, spaceId).thenCompose(state -> {
            CompletableFuture<?> all = CompletableFuture.completedFuture(null);
            all = setIfDiffers(all, spaceId, state.name(), new RoomName(spaceName(network)), RoomName::name);
            all = setIfDiffers(all, spaceId, state.topic(), new TopicContent(spaceTopic(network)), TopicContent::topic);
            all = setIfDiffers(all, spaceId, state.avatarUrl(), new RoomAvatar(network.space().avatar().orElse(null)),
                    RoomAvatar::url);
            return all.thenApply(ignored -> null);
        }));
    }

    private <C extends StateContent> CompletableFuture<?> setIfDiffers(CompletableFuture<?> before, String spaceId, String now,
            C wanted, java.util.function.Function<C, String> value) {
        if (java.util.Objects.equals(now, value.apply(wanted))) {
            return before;
        }
        return before.thenCompose(ignored -> homeserver.putState(null, spaceId, "", wanted));
    }

    /** Lists every bridged room of the network in its space, and only those. */
    private CompletableFuture<Void> reconcile(String network, String spaceId) {
        List<PortalRoom> bridged = portals.all().stream().filter(r -> r.network().equals(network)).toList();
        return lanes.submit(spaceId, () -> homeserver.roomState(null, spaceId)).thenCompose(state -> {
            Set<String> children = state.spaceChildren();
            Set<String> bridgedIds = new HashSet<>();
            CompletableFuture<?>[] work = new CompletableFuture<?>[0];
            List<CompletableFuture<?>> all = new java.util.ArrayList<>();
            for (PortalRoom room : bridged) {
                bridgedIds.add(room.roomId());
                if (!children.contains(room.roomId())) {
                    all.add(addChild(spaceId, room.roomId()));
                }
                all.add(lanes.submit(room.roomId(), () -> homeserver.hasSpaceParent(room.roomId(), spaceId)
                        .handle((has, failure) -> failure == null && has)
                        .thenCompose(has -> has ? CompletableFuture.completedFuture(null) : putParent(spaceId, room.roomId()))));
            }
            for (String child : children) {
                if (!bridgedIds.contains(child)) {
                    LOG.infof("%s is not bridged to %s any more: taking it out of the space", child, network);
                    all.add(roomUnbridged(network, child));
                }
            }
            return CompletableFuture.allOf(all.toArray(work));
        });
    }

    private CompletableFuture<?> addChild(String spaceId, String roomId) {
        SpaceChild content = new SpaceChild(List.of(domain));
        return lanes.submit(spaceId, () -> homeserver.putState(null, spaceId, roomId, content));
    }

    private CompletableFuture<?> addParent(String spaceId, String roomId) {
        return lanes.submit(roomId, () -> putParent(spaceId, roomId));
    }

    private CompletableFuture<Object> putParent(String spaceId, String roomId) {
        SpaceParent content = new SpaceParent(List.of(domain), true);
        return homeserver.putState(null, roomId, spaceId, content).<Object>thenApply(id -> id)
                .exceptionally(failure -> {
                    // A mapped room where the bot may not set state: the space still lists it.
                    Throwable cause = Failures.cause(failure);
                    LOG.warnf("Cannot point %s to its network's space: %s", roomId,
                            cause instanceof MatrixException m ? m.errcode() + " " + m.getMessage() : cause.getMessage());
                    return null;
                });
    }

    private static String spaceName(IrcConfig.Network network) {
        return network.space().name().orElse(network.displayName());
    }

    private static String spaceTopic(IrcConfig.Network network) {
        return Texts.fill(network.space().topic(), "network", network.displayName());
    }
}
