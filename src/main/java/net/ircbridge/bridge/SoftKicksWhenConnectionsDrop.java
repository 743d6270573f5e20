package net.ircbridge.bridge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.OwedInviteStore.OwedInvite;
import net.ircbridge.store.PortalRoomStore;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * The heart of the bridge's honesty (MSC3217): when a Matrix user's IRC connection drops, the bot soft-kicks them
 * from every bridged room of that network (a state PUT of their member event with
 * {@code org.matrix.msc3217.softkick: true} and a reason that names the network and the cause; {@code /kick} would
 * drop the key), remembers each room in the store, and reconnects them with backoff. Once they are back on a
 * channel, the bot invites them back to its room, once per soft kick, with a reason.
 *
 * <p>A connection the server refuses for good (a ban from the server, refused credentials) is not retried: the
 * user gets a plain kick that says why and what to do, and a message in their admin room.
 *
 * <p>Where the bot lacks the power to remove someone, it says so once in the room and to the bridge's admins,
 * since the room can then no longer be trusted to be private.
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
    private final TellsUsersInTheirAdminRoom admin;
    private final HoldsIrcMessagesForAbsentUsers holds;
    private final RemembersOwedInvites remembered;
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    private final Map<String, Integer> reconnectDelaySeconds = new ConcurrentHashMap<>();
    /** Reconnect attempts in a row per user and network, for the backoff. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    /** Reconnects scheduled per user and network, with the channels to go back to: one at a time. */
    private final Map<String, Set<String>> scheduled = new ConcurrentHashMap<>();
    /** Rooms where the bot has said it cannot keep the room private; said once per room. */
    private final Set<String> toldCannotKeepPrivate = ConcurrentHashMap.newKeySet();

    public SoftKicksWhenConnectionsDrop(PortalRoomStore portals, OwedInviteStore owed, RoomLanes lanes,
            HomeserverClient homeserver, Texts texts, ConnectsMatrixUsersToIrc users, IrcConfig irc,
            TellsUsersInTheirAdminRoom admin, HoldsIrcMessagesForAbsentUsers holds, RemembersOwedInvites remembered) {
        this.remembered = remembered;
        this.holds = holds;
        this.portals = portals;
        this.owed = owed;
        this.lanes = lanes;
        this.homeserver = homeserver;
        this.texts = texts;
        this.users = users;
        this.admin = admin;
        irc.networks().forEach(n -> {
            networkNames.put(n.id(), n.displayName());
            reconnectDelaySeconds.put(n.id(), n.reconnectDelaySeconds());
        });
    }

    /** A Matrix user's connection dropped (or could not be made): soft-kick them from the channels' rooms and reconnect them. */
    public void connectionLost(String user, String network, Set<String> channels, String cause) {
        String reason = Texts.fill(texts.templates().softKick(), "network", networkName(network), "cause", IrcText.clean(cause));
        for (String channel : channels) {
            portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> softKick(user, room, reason, true));
        }
        LOG.infof("%s's IRC connection to %s was lost (%s); soft-kicked from %d rooms", user, networkName(network), cause, channels.size());
        scheduleReconnect(user, network, channels);
    }

    /**
     * The server refused the user for good: a plain kick from the channels' rooms, saying why and what to do, a
     * message in their admin room, and no more attempts until the user joins a room again.
     */
    public void connectionRefused(String user, String network, Set<String> channels, String cause) {
        String reason = Texts.fill(texts.templates().refusedByNetwork(), "network", networkName(network), "cause", IrcText.clean(cause));
        attempts.remove(user + "\n" + network);
        for (String channel : channels) {
            portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> plainKick(user, room, reason));
        }
        owed.removeAll(user, network);
        admin.tell(user, Texts.fill(texts.templates().refusedByNetworkNotice(), "network", networkName(network), "cause", IrcText.clean(cause)));
        LOG.warnf("%s's IRC connection to %s was refused for good (%s); kicked from %d rooms", user, network, cause, channels.size());
    }

    /** A reconnect attempt failed (the server is still down, say): try again later. */
    public void reconnectFailed(String user, String network, Set<String> channels, String why) {
        LOG.infof("Reconnecting %s to %s failed (%s)", user, network, why);
        scheduleReconnect(user, network, channels);
    }

    /**
     * Soft-kicks a user from a room: the bot sets their member event to {@code leave} with the soft-kick key and
     * the reason. With {@code owesInvite}, the room is remembered in the store, and the user is invited back once
     * on the channel again.
     */
    public void softKick(String user, PortalRoom room, String reason, boolean owesInvite) {
        // The invite owed is on disk before the soft kick goes out, so a crash in between loses neither.
        CompletableFuture<Void> stored = owesInvite
                ? remembered.remember(new OwedInvite(user, room.roomId(), room.network(), room.channel(), reason))
                : CompletableFuture.completedFuture(null);
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "leave").put("reason", reason)
                .put(SOFT_KICK_KEY, true);
        // A store that fails must not keep the user in a room they can no longer be in: privacy comes first.
        changeMembership(room.roomId(), () -> stored.handle((ok, failure) -> ok)
                .thenCompose(ignored -> homeserver.putState(null, room.roomId(), "m.room.member", user, content))
                .<Void>thenApply(eventId -> null).exceptionally(failure -> cannotRemove(user, room, "soft-kick", failure)));
        // Out of the room (on the lane, ahead of anything held for them): messages need not wait for them.
        holds.gone(room, user);
    }

    /** A plain kick by the bot (no soft-kick key: the user is not invited back), with a reason. */
    public void plainKick(String user, PortalRoom room, String reason) {
        owed.remove(user, room.roomId());
        changeMembership(room.roomId(), () -> homeserver.kick(null, room.roomId(), user, reason)
                .exceptionally(failure -> cannotRemove(user, room, "kick", failure)));
        holds.gone(room, user);
    }

    private Void cannotRemove(String user, PortalRoom room, String what, Throwable failure) {
        Throwable cause = Failures.cause(failure);
        LOG.errorf("Cannot %s %s from %s (%s): %s", what, user, room.roomId(), room.channel(), cause.getMessage());
        if (cause instanceof MatrixException m && m.status() == 403 && toldCannotKeepPrivate.add(room.roomId())) {
            String text = Texts.fill(texts.templates().cannotKeepPrivate(), "user", user, "channel", room.channel(),
                    "network", networkName(room.network()), "bot", homeserver.botUserId());
            homeserver.sendText(null, room.roomId(), "m.notice", text);
            admin.tellAdmins(text + " (" + room.roomId() + ")");
        }
        return null;
    }

    private void scheduleReconnect(String user, String network, Set<String> channels) {
        String key = user + "\n" + network;
        boolean[] first = new boolean[1];
        scheduled.compute(key, (k, waiting) -> {
            Set<String> all = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
            first[0] = waiting == null;
            all.addAll(channels);
            return all;
        });
        if (!first[0]) {
            return;
        }
        int attempt = attempts.merge(key, 1, Integer::sum);
        long delay = backoffMs(attempt - 1, reconnectDelaySeconds.getOrDefault(network, 2));
        LOG.infof("Reconnecting %s to %s in %d ms", user, networkName(network), delay);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            // Only the channels whose rooms still wait for the user: not those they left on their own meanwhile,
            // nor those they rejoined ahead of the invite (their connection is back already).
            Set<String> toRejoin = new HashSet<>();
            for (String channel : scheduled.remove(key)) {
                portals.byChannel(network, MatrixNames.fold(channel)).filter(room -> owed.has(user, room.roomId()))
                        .ifPresent(room -> toRejoin.add(channel));
            }
            if (toRejoin.isEmpty()) {
                attempts.remove(key);
                LOG.infof("Not reconnecting %s to %s: no room waits for them any more", user, networkName(network));
                return;
            }
            try {
                users.reconnect(network, user, toRejoin);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Reconnecting %s to %s failed", user, network);
                scheduleReconnect(user, network, toRejoin);
            }
        });
    }

    /** A Matrix user's connection is on a channel: the invite owed for its room, if any, goes out now. */
    public void channelJoined(String user, String network, String channel) {
        if (!users.isOnChannel(network, user, channel)) {
            // A late sign of a connection that is gone already (the bot's view of its JOIN, say): the user is
            // not back, and the invite stays owed.
            return;
        }
        attempts.remove(user + "\n" + network);
        portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> {
            holds.arrived(room, user);
            // Someone who left on their own, or rejoined ahead of the invite, is owed nothing any more (both
            // forget the owed invite), so what is still owed goes out without asking the homeserver first.
            if (!owed.remove(user, room.roomId())) {
                return;
            }
            LOG.infof("%s is back on %s: inviting them back to %s", user, channel, room.roomId());
            String reason = Texts.fill(texts.templates().inviteBack(), "network", networkName(network));
            changeMembership(room.roomId(), () -> homeserver.invite(null, room.roomId(), user, reason).exceptionally(failure -> {
                // Joined already in a race with the invite: nothing is lost.
                LOG.warnf("Cannot invite %s back to %s: %s", user, room.roomId(), failure.getMessage());
                return null;
            }));
        });
    }

    /** How many soft kicks or invites of one room are on their way to the homeserver at once. */
    static final int CHANGES_IN_FLIGHT = 4;

    /** Membership changes waiting for their room's lane. */
    private final Map<String, java.util.Queue<java.util.function.Supplier<CompletableFuture<Void>>>> waiting = new ConcurrentHashMap<>();

    /**
     * Makes a membership change on the room's lane. A server restart drops everyone at once: then the first lane
     * task takes every change waiting for the room and sends them a few at a time (their order doesn't matter,
     * each is about another user), and the tasks after it find nothing left. Work submitted to the lane after a
     * change still comes after it.
     */
    private void changeMembership(String roomId, java.util.function.Supplier<CompletableFuture<Void>> change) {
        waiting.computeIfAbsent(roomId, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(change);
        lanes.submit(roomId, () -> {
            java.util.Queue<java.util.function.Supplier<CompletableFuture<Void>>> queue = waiting.get(roomId);
            java.util.List<java.util.function.Supplier<CompletableFuture<Void>>> batch = new java.util.ArrayList<>();
            for (java.util.function.Supplier<CompletableFuture<Void>> next; (next = queue.poll()) != null; ) {
                batch.add(next);
            }
            return AFewAtATime.run(batch, CHANGES_IN_FLIGHT);
        });
    }

    private String networkName(String network) {
        return networkNames.getOrDefault(network, network);
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
