package net.ircbridge.bridge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.OwedInviteStore.OwedInvite;
import net.ircbridge.store.PortalRoomStore;
import org.jboss.logging.Logger;

/**
 * The heart of the bridge's honesty (MSC3217): when a Matrix user's IRC connection drops, the bot soft-kicks them
 * from every bridged room of that network (a state PUT of their member event with
 * {@code org.matrix.msc3217.softkick: true} and a reason that names the network and the cause; {@code /kick} would
 * drop the key), remembers each room in the store, and reconnects them with backoff. Once they are back on a
 * channel, the bot invites them back to its room, once per soft kick, with a reason.
 */
@ApplicationScoped
public class SoftKicksWhenConnectionsDrop {

    private static final Logger LOG = Logger.getLogger(SoftKicksWhenConnectionsDrop.class);
    static final String SOFT_KICK_KEY = "org.matrix.msc3217.softkick";

    private final PortalRoomStore portals;
    private final OwedInviteStore owed;
    private final RoomLanes lanes;
    private final HomeserverClient homeserver;
    private final Texts texts;
    private final ConnectsMatrixUsersToIrc users;
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    private final Map<String, Integer> reconnectDelaySeconds = new ConcurrentHashMap<>();
    /** Reconnect attempts in a row per user and network, for the backoff. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    public SoftKicksWhenConnectionsDrop(PortalRoomStore portals, OwedInviteStore owed, RoomLanes lanes,
            HomeserverClient homeserver, Texts texts, ConnectsMatrixUsersToIrc users, IrcConfig irc) {
        this.portals = portals;
        this.owed = owed;
        this.lanes = lanes;
        this.homeserver = homeserver;
        this.texts = texts;
        this.users = users;
        irc.networks().forEach(n -> {
            networkNames.put(n.id(), n.displayName());
            reconnectDelaySeconds.put(n.id(), n.reconnectDelaySeconds());
        });
    }

    /** A Matrix user's connection dropped: soft-kick them from the channels' rooms and reconnect them. */
    public void connectionLost(String user, String network, Set<String> channels, String cause) {
        String reason = Texts.fill(texts.templates().softKick(), "network", networkNames.getOrDefault(network, network),
                "cause", IrcText.clean(cause));
        for (String channel : channels) {
            portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> {
                owed.put(new OwedInvite(user, room.roomId(), network, room.channel(), reason));
                ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "leave").put("reason", reason)
                        .put(SOFT_KICK_KEY, true);
                lanes.submit(room.roomId(), () -> homeserver.putState(null, room.roomId(), "m.room.member", user, content)
                        .exceptionally(failure -> {
                            LOG.errorf("Cannot soft-kick %s from %s (%s): %s", user, room.roomId(), room.channel(), failure.getMessage());
                            return null;
                        }));
            });
        }
        LOG.infof("%s's IRC connection to %s was lost (%s); soft-kicked from %d rooms", user, network, cause, channels.size());
        scheduleReconnect(user, network, channels);
    }

    /** A reconnect attempt failed (the server is still down, say): try again later. */
    public void reconnectFailed(String user, String network, Set<String> channels, String why) {
        LOG.infof("Reconnecting %s to %s failed (%s)", user, network, why);
        scheduleReconnect(user, network, channels);
    }

    private void scheduleReconnect(String user, String network, Set<String> channels) {
        int attempt = attempts.merge(user + "\n" + network, 1, Integer::sum);
        long delay = backoffMs(attempt - 1, reconnectDelaySeconds.getOrDefault(network, 2));
        LOG.debugf("Reconnecting %s to %s in %d ms", user, network, delay);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            try {
                users.reconnect(network, user, channels);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Reconnecting %s to %s failed", user, network);
                scheduleReconnect(user, network, channels);
            }
        });
    }

    /** A Matrix user's connection is on a channel: the invite owed for its room, if any, goes out now. */
    public void channelJoined(String user, String network, String channel) {
        attempts.remove(user + "\n" + network);
        portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> {
            if (!owed.remove(user, room.roomId())) {
                return;
            }
            String reason = Texts.fill(texts.templates().inviteBack(), "network", networkNames.getOrDefault(network, network));
            lanes.submit(room.roomId(), () -> homeserver.getState(null, room.roomId(), "m.room.member", user)
                    .thenCompose(member -> {
                        // Someone who rejoined on their own, or left for good, gets no invite.
                        if (!"leave".equals(member.path("membership").asText())
                                || !member.path(SOFT_KICK_KEY).asBoolean(false)) {
                            return CompletableFuture.completedFuture(null);
                        }
                        return homeserver.invite(null, room.roomId(), user, reason);
                    }).exceptionally(failure -> {
                        LOG.errorf("Cannot invite %s back to %s: %s", user, room.roomId(), failure.getMessage());
                        return null;
                    }));
        });
    }

    /**
     * The network's delay at first, doubling to 5 minutes, with jitter so that a server restart doesn't bring every
     * user back at once; a server that just dropped everyone is given a moment first.
     */
    static long backoffMs(int failures, int firstDelaySeconds) {
        long base = Math.min(300_000L, (firstDelaySeconds * 1000L) << Math.min(failures, 8));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
