package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.HomeserverConfig;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixException;
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
    private final ObjectMapper json;
    private final String domain;
    private final Networks networks;
    /** The space of each network, once it is found or made. */
    private final Map<String, CompletableFuture<String>> spaces = new ConcurrentHashMap<>();

    public KeepsASpacePerNetwork(HomeserverClient homeserver, PortalDirectory portals, RoomLanes lanes, ObjectMapper json,
            HomeserverConfig homeserverConfig, Networks networks) {
        this.homeserver = homeserver;
        this.portals = portals;
        this.lanes = lanes;
        this.json = json;
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
                lanes.submit(spaceId, () -> homeserver.putState(null, spaceId, "m.space.child", roomId, json.createObjectNode())),
                lanes.submit(roomId, () -> homeserver.putState(null, roomId, "m.space.parent", spaceId, json.createObjectNode())
                        .exceptionally(failure -> {
                            LOG.warnf("Cannot remove the space of %s from %s: %s", network, roomId, failure.getMessage());
                            return null;
                        }))));
    }

    private CompletableFuture<String> findOrCreate(IrcConfig.Network network) {
        String type = ACCOUNT_DATA_PREFIX + network.id();
        return homeserver.botAccountData(type).thenCompose(data -> {
            String known = data == null ? null : data.path("room_id").asText(null);
            if (known == null) {
                return create(network, type);
            }
            // A space the bot is no longer in (deleted, or the bot was removed) is made again.
            return homeserver.getState(null, known, "m.room.create", "").thenCompose(create -> updateLook(network, known))
                    .handle((ok, failure) -> failure == null ? CompletableFuture.completedFuture(known) : create(network, type))
                    .thenCompose(f -> f);
        });
    }

    private CompletableFuture<String> create(IrcConfig.Network network, String accountDataType) {
        ObjectNode request = json.createObjectNode();
        request.put("room_version", CreatesPortalRooms.ROOM_VERSION);
        request.putObject("creation_content").put("type", "m.space");
        request.put("name", spaceName(network));
        request.put("topic", spaceTopic(network));
        request.put("preset", "public_chat");
        request.put("visibility", network.publishRooms() ? "public" : "private");
        // Only the bot arranges the space: its children follow the bridged channels.
        request.putObject("power_level_content_override").put("events_default", 100).put("state_default", 100)
                .put("invite", 0).putObject("users").put(homeserver.botUserId(), 100);
        var initialState = request.putArray("initial_state");
        initialState.addObject().put("type", "m.room.history_visibility").put("state_key", "")
                .putObject("content").put("history_visibility", "world_readable");
        network.space().avatar().ifPresent(avatar -> initialState.addObject().put("type", "m.room.avatar").put("state_key", "")
                .putObject("content").put("url", avatar));
        return homeserver.createRoom(null, request).thenCompose(spaceId -> {
            LOG.infof("Created the space %s of %s", spaceId, network.displayName());
            return homeserver.setBotAccountData(accountDataType, json.createObjectNode().put("room_id", spaceId))
                    .thenApply(ignored -> spaceId);
        });
    }

    /** Name, topic and avatar follow the configuration, also for a space made earlier. */
    private CompletableFuture<Void> updateLook(IrcConfig.Network network, String spaceId) {
        return lanes.submit(spaceId, () -> homeserver.roomState(null, spaceId).thenCompose(state -> {
            Map<String, JsonNode> current = new ConcurrentHashMap<>();
            state.forEach(e -> {
                if (e.path("state_key").asText().isEmpty()) {
                    current.put(e.path("type").asText(), e.path("content"));
                }
            });
            CompletableFuture<?> all = CompletableFuture.completedFuture(null);
            all = setIfDiffers(all, spaceId, current, "m.room.name", "name", spaceName(network));
            all = setIfDiffers(all, spaceId, current, "m.room.topic", "topic", spaceTopic(network));
            all = setIfDiffers(all, spaceId, current, "m.room.avatar", "url", network.space().avatar().orElse(null));
            return all.thenApply(ignored -> null);
        }));
    }

    private CompletableFuture<?> setIfDiffers(CompletableFuture<?> before, String spaceId, Map<String, JsonNode> current,
            String type, String field, String value) {
        String now = current.getOrDefault(type, json.createObjectNode()).path(field).asText(null);
        if (java.util.Objects.equals(now, value)) {
            return before;
        }
        ObjectNode content = json.createObjectNode();
        if (value != null) {
            content.put(field, value);
        }
        return before.thenCompose(ignored -> homeserver.putState(null, spaceId, type, "", content));
    }

    /** Lists every bridged room of the network in its space, and only those. */
    private CompletableFuture<Void> reconcile(String network, String spaceId) {
        List<PortalRoom> bridged = portals.all().stream().filter(r -> r.network().equals(network)).toList();
        return lanes.submit(spaceId, () -> homeserver.roomState(null, spaceId)).thenCompose(state -> {
            Set<String> children = new HashSet<>();
            state.forEach(e -> {
                if ("m.space.child".equals(e.path("type").asText()) && e.path("content").has("via")) {
                    children.add(e.path("state_key").asText());
                }
            });
            Set<String> bridgedIds = new HashSet<>();
            CompletableFuture<?>[] work = new CompletableFuture<?>[0];
            List<CompletableFuture<?>> all = new java.util.ArrayList<>();
            for (PortalRoom room : bridged) {
                bridgedIds.add(room.roomId());
                if (!children.contains(room.roomId())) {
                    all.add(addChild(spaceId, room.roomId()));
                }
                all.add(lanes.submit(room.roomId(), () -> homeserver.getState(null, room.roomId(), "m.space.parent", spaceId)
                        .handle((parent, failure) -> parent != null && parent.has("via"))
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
        ObjectNode content = json.createObjectNode();
        content.putArray("via").add(domain);
        return lanes.submit(spaceId, () -> homeserver.putState(null, spaceId, "m.space.child", roomId, content));
    }

    private CompletableFuture<?> addParent(String spaceId, String roomId) {
        return lanes.submit(roomId, () -> putParent(spaceId, roomId));
    }

    private CompletableFuture<Object> putParent(String spaceId, String roomId) {
        ObjectNode content = json.createObjectNode().put("canonical", true);
        content.putArray("via").add(domain);
        return homeserver.putState(null, roomId, "m.space.parent", spaceId, content).<Object>thenApply(id -> id)
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
