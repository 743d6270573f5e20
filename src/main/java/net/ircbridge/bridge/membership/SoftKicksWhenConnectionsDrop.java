package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.AFewAtATime;
import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.UserInRoom;
import net.ircbridge.bridge.UserLanes;
import net.ircbridge.bridge.UserOnNetwork;
import net.ircbridge.bridge.admin.TellsUsersInTheirAdminRoom;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.ConnectionLifecycle;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.matrix.MemberContent;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.OwedInviteStore.OwedInvite;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * The heart of the bridge's honesty (MSC3217): when a Matrix user's IRC connection drops, the bot soft-kicks them
 * from every bridged room of that network (a state PUT of their member event with
 * {@code org.matrix.msc3217.softkick: true} and a reason that names the network and the cause; {@code /kick} would
 * drop the key), remembers each room in the store, and has them reconnected with backoff (irc/ schedules it, and
 * says when it is due). Once they are back on a channel, the bot invites them back to its room, once per soft kick,
 * with a reason.
 *
 * <p>A connection the server refuses for good (a ban from the server, refused credentials) is not retried: the
 * user gets a plain kick that says why and what to do, and a message in their admin room.
 *
 * <p>Where the bot lacks the power to remove someone, it says so once in the room and to the bridge's admins,
 * since the room can then no longer be trusted to be private.
 */
@ApplicationScoped
public class SoftKicksWhenConnectionsDrop implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(SoftKicksWhenConnectionsDrop.class);

    private final PortalDirectory portals;
    private final OwedInviteStore owed;
    private final RoomLanes lanes;
    private final HomeserverClient homeserver;
    private final Texts texts;
    private final ConnectsMatrixUsersToIrc users;
    private final TellsUsersInTheirAdminRoom admin;
    private final HoldsIrcMessagesForAbsentUsers holds;
    private final RemembersOwedInvites remembered;
    private final Networks networks;
    private final PerformsIrcIntents irc;
    private final UserLanes userLanes;
    /** Rooms where the bot has said it cannot keep the room private; said once per room. */
    private final Set<String> toldCannotKeepPrivate = ConcurrentHashMap.newKeySet();

    public SoftKicksWhenConnectionsDrop(PortalDirectory portals, OwedInviteStore owed, RoomLanes lanes,
            HomeserverClient homeserver, Texts texts, ConnectsMatrixUsersToIrc users, Networks networks,
            TellsUsersInTheirAdminRoom admin, HoldsIrcMessagesForAbsentUsers holds, RemembersOwedInvites remembered,
            PerformsIrcIntents irc, UserLanes userLanes) {
        this.userLanes = userLanes;
        this.irc = irc;
        this.remembered = remembered;
        this.holds = holds;
        this.portals = portals;
        this.owed = owed;
        this.lanes = lanes;
        this.homeserver = homeserver;
        this.texts = texts;
        this.users = users;
        this.admin = admin;
        this.networks = networks;
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.ConnectionLost lost && !lost.channels().isEmpty()) {
            connectionLost(lost.owner(), lost.network(), lost.channels(), lost.reason());
        } else if (event instanceof IrcEvent.ConnectionFailed failed && !failed.channels().isEmpty()) {
            connectionRefused(failed.owner(), failed.network(), failed.channels(), failed.reason());
        } else if (event instanceof IrcEvent.JoinedChannel joined) {
            channelJoined(joined.owner(), joined.network(), joined.channel());
        } else if (event instanceof IrcEvent.ReconnectDue due) {
            // Which rooms wait is read from the store, and so is the reconnect's nick and login: on the user's
            // bookkeeping lane, after the nicks stored before, never on the thread that tells of IRC events.
            userLanes.submitBookkeeping(new UserOnNetwork(due.owner(), due.network()), () -> {
                reconnectIfAnyRoomWaits(due.owner(), due.network(), due.channels());
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    /**
     * A connection {@link ConnectsMatrixUsersToIrc} could not make: refused for good, or soft-kicked and reconnected
     * as a dropped one. Observed, not called, since this class depends on that one.
     */
    void couldNotConnect(@Observes ConnectionCouldNotBeMade failed) {
        if (failed.permanent()) {
            connectionRefused(failed.user(), failed.network(), failed.channels(), failed.reason());
        } else {
            connectionLost(failed.user(), failed.network(), failed.channels(), failed.reason());
        }
    }

    /**
     * A user was not on a room's channel within the absence grace: soft-kicked, owed an invite back. Observed, not
     * called, since {@link HoldsIrcMessagesForAbsentUsers} is used by this class.
     */
    void absentTooLong(@Observes AbsentTooLong absent) {
        softKick(absent.user(), absent.room(), absent.reason(), true);
    }

    /** A Matrix user's connection dropped (or could not be made): soft-kick them from the channels' rooms and reconnect them. */
    public void connectionLost(String user, String network, Set<String> channels, String cause) {
        String reason = Texts.fill(texts.templates().softKick(), "network", networkName(network), "cause", IrcText.clean(cause));
        List<CompletableFuture<Void>> owedStored = new ArrayList<>();
        for (String channel : channels) {
            portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> owedStored.add(softKick(user, room, reason, true)));
        }
        LOG.infof("%s's IRC connection to %s was lost (%s); soft-kicking them from %d rooms where they are still joined", user,
                networkName(network), cause, channels.size());
        // The reconnect goes back to the channels whose rooms owe an invite, read from the store when it is due: so
        // it is scheduled once those invites are stored (a loaded machine's commit can outlast the first delay).
        CompletableFuture.allOf(owedStored.toArray(CompletableFuture[]::new))
                .whenComplete((ok, failure) -> irc.perform(new IrcIntent.ReconnectLater(network, user, channels)));
    }

    /**
     * The server refused the user for good: a plain kick from the channels' rooms, saying why and what to do, a
     * message in their admin room, and no more attempts until the user joins a room again.
     */
    public void connectionRefused(String user, String network, Set<String> channels, String cause) {
        String reason = Texts.fill(texts.templates().refusedByNetwork(), "network", networkName(network), "cause", IrcText.clean(cause));
        irc.perform(new IrcIntent.ForgetReconnects(network, user));
        for (String channel : channels) {
            portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> plainKick(user, room, reason));
        }
        remembered.forgetAll(user, network);
        admin.tell(user, Texts.fill(texts.templates().refusedByNetworkNotice(), "network", networkName(network), "cause", IrcText.clean(cause)));
        LOG.warnf("%s's IRC connection to %s was refused for good (%s); kicked from %d rooms", user, network, cause, channels.size());
    }

    /**
     * Soft-kicks a user from a room: the bot sets their member event to {@code leave} with the soft-kick key and
     * the reason. With {@code owesInvite}, the room is remembered in the store, and the user is invited back once
     * on the channel again.
     *
     * <p>Decided on the room's lane, from the user's member event as the homeserver has it then: a user who left
     * on their own meanwhile (their leave may still be on its way to the bridge) is not kicked on top of it, and
     * owed nothing. Only a joined user is soft-kicked.
     */
    public CompletableFuture<Void> softKick(String user, PortalRoom room, String reason, boolean owesInvite) {
        // The invite owed is on disk before the soft kick goes out, so a crash in between loses neither. It is
        // written at once (a storm's soft kicks share one commit), and the lane task waits for it before it decides.
        CompletableFuture<Void> stored = owesInvite
                ? remembered.remember(new OwedInvite(user, room.roomId(), room.network(), room.channel(), reason))
                : CompletableFuture.completedFuture(null);
        MemberContent content = MemberContent.softKick(reason);
        // A store that fails must not keep the user in a room they can no longer be in: privacy comes first. So
        // does a member event that cannot be read: the soft kick goes out as if they were joined.
        changeMembership(room.roomId(), user, () -> stored.handle((ok, failure) -> ok)
                .thenCompose(ignored -> homeserver.memberEvent(room.roomId(), user).exceptionally(failure -> {
                    LOG.warnf("Cannot read %s's membership in %s before soft-kicking them: %s", user, room.roomId(),
                            Failures.cause(failure).getMessage());
                    return null;
                }))
                .thenCompose(member -> switch (member == null ? LeaveWinsOverSoftKicks.SoftKick.KICK
                        : LeaveWinsOverSoftKicks.softKick(member, homeserver.botUserId())) {
                    case KICK -> {
                        if (member != null && member.membership().isEmpty()) {
                            LOG.infof("%s has no member event in %s (their join lost to a concurrent change of the room's"
                                    + " state): soft-kicking them all the same, so their client knows", user, room.roomId());
                        }
                        yield homeserver.putState(null, room.roomId(), user, content).<Void>thenApply(id -> null);
                    }
                    case ALREADY_SOFT_KICKED -> CompletableFuture.<Void>completedFuture(null);
                    case GONE -> {
                        // Their own leave (or a ban) wins: no kick on top of it, nothing owed.
                        if (owesInvite) {
                            remembered.forget(user, room.roomId());
                        }
                        LOG.infof("Not soft-kicking %s from %s: their membership there is '%s' (by %s) already", user,
                                room.roomId(), member.membership(), member.sender());
                        yield CompletableFuture.<Void>completedFuture(null);
                    }
                })
                .exceptionally(failure -> cannotRemove(user, room, "soft-kick", failure)));
        // Out of the room (on the lane, ahead of anything held for them): messages need not wait for them.
        holds.gone(room, user);
        // Completes (never fails) once the owed invite is stored, or could not be.
        return stored.handle((ok, failure) -> null);
    }

    /**
     * A plain kick by the bot (no soft-kick key: the user is not invited back), with a reason. Someone who left or
     * was banned meanwhile is left as they are: the homeserver would refuse the kick.
     */
    public void plainKick(String user, PortalRoom room, String reason) {
        // What is owed now is forgotten on the owed invites' writer, from the room's lane, ahead of the kick and of any
        // later decision on an invite back there: callers include receivers of IRC events, whose threads must not
        // wait for the store. Only what is owed now: a soft kick after this one (the user back and dropped again)
        // owes its own invite, which this kick must not erase.
        long owedNow = remembered.owedNow(user, room.roomId());
        changeMembership(room.roomId(), user, () -> remembered.settle(user, room.roomId(), owedNow).handle((ok, failure) -> {
                    if (failure != null) {
                        LOG.errorf("Cannot forget the invite owed to %s in %s: %s", user, room.roomId(), Failures.cause(failure).getMessage());
                    }
                    return null;
                })
                .thenCompose(ignored -> homeserver.memberEvent(room.roomId(), user))
                .exceptionally(failure -> null)
                .thenCompose(member -> member != null && LeaveWinsOverSoftKicks.isGone(member)
                        ? CompletableFuture.<Void>completedFuture(null)
                        : homeserver.kick(null, room.roomId(), user, reason))
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

    /**
     * A reconnect is due: the user goes back to the channels whose rooms still wait for them, not to those they left
     * on their own meanwhile, nor to those they rejoined ahead of the invite (their connection is back already).
     */
    private void reconnectIfAnyRoomWaits(String user, String network, Set<String> channels) {
        Set<String> toRejoin = new HashSet<>();
        try {
            for (String channel : channels) {
                portals.byChannel(network, MatrixNames.fold(channel)).filter(room -> owed.has(user, room.roomId()))
                        .ifPresent(room -> toRejoin.add(channel));
            }
            if (toRejoin.isEmpty()) {
                irc.perform(new IrcIntent.ForgetReconnects(network, user));
                LOG.infof("Not reconnecting %s to %s: no room waits for them any more", user, networkName(network));
                return;
            }
            users.reconnect(network, user, toRejoin);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Reconnecting %s to %s failed", user, network);
            // All of them: the store may have failed half-way through finding which wait; the next try finds out.
            irc.perform(new IrcIntent.ReconnectLater(network, user, channels));
        }
    }

    /** A Matrix user's connection is on a channel: the invite owed for its room, if any, goes out now. */
    public void channelJoined(String user, String network, String channel) {
        if (!users.isOnChannel(network, user, channel)) {
            // A late sign of a connection that is gone already (the bot's view of its JOIN, say): the user is
            // not back, and the invite stays owed.
            return;
        }
        portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> {
            holds.arrived(room, user);
            // Decided on the room's lane, after the user's own membership events that came before it.
            changeMembership(room.roomId(), user, () -> inviteBackIfOwed(user, room, channel));
        });
    }

    /**
     * The invite owed for a room goes out only while the user's member event there is still the bot's soft kick
     * of a joined user. Someone who left on their own (their leave may still be on its way to the bridge, or the
     * soft kick landed on top of it) gets nothing and is taken off the channel again; someone who joined again
     * ahead of the invite needs none. The owed invite is forgotten once decided, after the invite is sent, so a
     * crash in between sends it at most once more: the next decision finds the user invited.
     *
     * <p>Only a sent invite or the homeserver's refusal for good (a 4xx) settles what is owed. Anything else (the
     * store or the homeserver down for a moment, the replaced event unreadable) decides nothing: the user is on the
     * channel already, so no join would bring the decision back; it is tried again with backoff while they stay.
     */
    private CompletableFuture<Void> inviteBackIfOwed(String user, PortalRoom room, String channel) {
        return inviteBackIfOwed(user, room, channel, 0);
    }

    private CompletableFuture<Void> inviteBackIfOwed(String user, PortalRoom room, String channel, int failures) {
        CompletableFuture<Boolean> settled;
        // Which soft kick's invite this decides about.
        long decidedAbout = remembered.owedNow(user, room.roomId());
        try {
            if (!users.isOnChannel(room.network(), user, channel)) {
                // Decided on the lane after a JOIN of a connection that is gone since (a server shutting down right
                // after it): the soft kick queued behind its end owns what is owed now, and their next join decides.
                return CompletableFuture.completedFuture(null);
            }
            if (!owed.has(user, room.roomId())) {
                return CompletableFuture.completedFuture(null);
            }
            settled = homeserver.memberEvent(room.roomId(), user)
                    .thenCompose(member -> previousMembership(room, member).thenApply(previous ->
                            LeaveWinsOverSoftKicks.inviteBack(member, previous, homeserver.botUserId())))
                    .thenCompose(decision -> decide(user, room, channel, decision, decidedAbout));
        } catch (RuntimeException e) {
            settled = CompletableFuture.failedFuture(e);
        }
        return settled.handle((decided, failure) -> {
            if (failure != null) {
                LOG.warnf("Cannot decide on %s's invite back to %s: %s", user, room.roomId(), Failures.cause(failure).getMessage());
            }
            if (failure != null || !decided) {
                // Still owed: decided again in a while, while the user stays on the channel (after a reconnect or
                // a restart, their next join decides).
                retryInviteBack(user, room, channel, failures);
            }
            return null;
        });
    }

    /** Carries out a decision; completes with whether what is owed is settled. */
    private CompletableFuture<Boolean> decide(String user, PortalRoom room, String channel, LeaveWinsOverSoftKicks.InviteBack decision,
            long decidedAbout) {
        return switch (decision) {
            case INVITE -> {
                LOG.infof("%s is back on %s: inviting them back to %s", user, channel, room.roomId());
                String reason = Texts.fill(texts.templates().inviteBack(), "network", networkName(room.network()));
                yield homeserver.invite(null, room.roomId(), user, reason).handle((ok, failure) -> {
                    if (failure == null) {
                        return true;
                    }
                    Throwable cause = Failures.cause(failure);
                    LOG.warnf("Cannot invite %s back to %s: %s", user, room.roomId(), cause.getMessage());
                    // Refused for good (a 4xx): asking again would be refused again. Anything else: still owed.
                    return cause instanceof MatrixException;
                }).thenCompose(done -> done ? settle(user, room, decidedAbout) : CompletableFuture.completedFuture(false));
            }
            case NOT_OWED -> {
                LOG.infof("%s is back on %s and joined or invited to %s already: no invite needed", user, channel, room.roomId());
                yield settle(user, room, decidedAbout);
            }
            case LEFT -> {
                LOG.infof("%s is back on %s but left %s on their own: no invite, and off the channel again", user,
                        channel, room.roomId());
                users.removedByTheBridge(room, user, texts.templates().matrixUserLeft());
                yield CompletableFuture.completedFuture(true);
            }
            case UNDECIDED -> {
                LOG.warnf("Cannot read the event %s's soft kick in %s replaced: their invite back stays owed", user, room.roomId());
                yield CompletableFuture.completedFuture(false);
            }
        };
    }

    /**
     * Forgets the invite a decision settled, unless a newer soft kick owes it since (see
     * {@link RemembersOwedInvites#settle}); completes with true either way: this decision is done.
     */
    private CompletableFuture<Boolean> settle(String user, PortalRoom room, long decidedAbout) {
        return remembered.settle(user, room.roomId(), decidedAbout).thenApply(forgotten -> true);
    }

    /** Invites back waiting to be decided again, per user and room: one retry at a time each. */
    private final Set<UserInRoom> retryingInvites = ConcurrentHashMap.newKeySet();

    private void retryInviteBack(String user, PortalRoom room, String channel, int failures) {
        UserInRoom key = new UserInRoom(user, room.roomId());
        long delay = ConnectionLifecycle.Policy.user(networks.get(room.network()).reconnectDelaySeconds()).delayAfter(failures);
        if (!retryingInvites.add(key)) {
            return;
        }
        LOG.infof("Deciding on %s's invite back to %s again in %d ms", user, room.roomId(), delay);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            retryingInvites.remove(key);
            if (!users.isOnChannel(room.network(), user, channel)) {
                // Off the channel again: their next join decides.
                return;
            }
            changeMembership(room.roomId(), user, () -> inviteBackIfOwed(user, room, channel, failures + 1));
        });
    }

    /** The membership the user's member event replaced, asked of the homeserver when it didn't say it with the event. */
    private CompletableFuture<String> previousMembership(PortalRoom room, HomeserverClient.MemberEvent member) {
        if (!member.previousMembership().isEmpty() || member.replacesState().isEmpty()
                || !LeaveWinsOverSoftKicks.isSoftKickBy(member, homeserver.botUserId())) {
            return CompletableFuture.completedFuture(member.previousMembership());
        }
        return homeserver.event(null, room.roomId(), member.replacesState())
                .thenApply(replaced -> replaced instanceof MemberChanged m && m.membership() != null ? m.membership() : "")
                // Unreadable for a moment is not unknown: null makes no decision (the user may have left on their
                // own), and it is asked again. Refused for good (a 4xx), it would never be known: a homeserver that
                // won't say is trusted, as one that doesn't say is, rather than owe the invite for ever.
                .exceptionally(failure -> Failures.cause(failure) instanceof MatrixException ? "" : null);
    }

    /** How many soft kicks or invites of one room are on their way to the homeserver at once. */
    static final int CHANGES_IN_FLIGHT = 4;

    /** A membership change of one user in a room. */
    private record Change(String user, java.util.function.Supplier<CompletableFuture<Void>> work) {
    }

    /** Membership changes waiting for their room's lane. */
    private final Map<String, java.util.Queue<Change>> waiting = new ConcurrentHashMap<>();

    /**
     * Makes a membership change on the room's lane. A server restart drops everyone at once: then the first lane
     * task takes every change waiting for the room and sends them a few at a time, and the tasks after it find
     * nothing left. One user's changes still go one after the other, in the order they were made (a soft kick
     * before the invite back); only different users' overlap. Work submitted to the lane after a change still
     * comes after it.
     */
    private void changeMembership(String roomId, String user, java.util.function.Supplier<CompletableFuture<Void>> change) {
        waiting.computeIfAbsent(roomId, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(new Change(user, change));
        lanes.submit(roomId, () -> {
            java.util.Queue<Change> queue = waiting.get(roomId);
            Map<String, java.util.List<java.util.function.Supplier<CompletableFuture<Void>>>> byUser = new java.util.LinkedHashMap<>();
            for (Change next; (next = queue.poll()) != null; ) {
                byUser.computeIfAbsent(next.user(), k -> new java.util.ArrayList<>()).add(next.work());
            }
            java.util.List<java.util.function.Supplier<CompletableFuture<Void>>> batch = new java.util.ArrayList<>();
            byUser.values().forEach(changes -> batch.add(() -> inTurn(changes)));
            return AFewAtATime.run(batch, CHANGES_IN_FLIGHT);
        });
    }

    /** Runs one user's changes one after the other; one that fails doesn't stop the next. */
    private static CompletableFuture<Void> inTurn(java.util.List<java.util.function.Supplier<CompletableFuture<Void>>> changes) {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (java.util.function.Supplier<CompletableFuture<Void>> change : changes) {
            all = all.handle((ok, failure) -> null).thenCompose(ignored -> change.get());
        }
        return all;
    }

    private String networkName(String network) {
        return networks.displayName(network);
    }

}
