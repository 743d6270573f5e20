package net.ircbridge.bridge.access;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.UserInRoom;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.membership.ConnectsMatrixUsersToIrc;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * A Matrix user who knocks on a bridged room (MSC2403) knocks on its channel: they get an IRC connection (nick from
 * their display name) and it sends {@code KNOCK #chan :<reason>}, their reason or {@code texts.knock-without-reason}
 * (CR, LF and NUL removed), which the channel's operators see (InspIRCd: 710 or a notice). Every answer is handled:
 * <ul>
 * <li>delivered (711, or InspIRCd's notice): the knock waits for an operator's INVITE (see
 * {@link InvitesMatrixUsersInvitedOnIrc}) or a Matrix moderator;</li>
 * <li>the channel is open (713) or they are on it already (714): the bot invites them at once, saying so;</li>
 * <li>the channel takes no knocks (480, {@code +K}) or the network has no KNOCK (421, ngircd): the bot declines the
 * knock (a kick of the knocking member, which is how Matrix declines) with a reason that says why and what to do;
 * likewise when no connection could be made.</li>
 * </ul>
 * A knock withdrawn (the knocker leaves) or denied (a moderator's kick or ban) leaves nothing behind on IRC: a
 * connection made for the knock and on no channel quits. A knock nobody answers stays pending in Matrix, which has
 * no expiry for knocks; its connection waits for an operator's INVITE for the network's {@code knock-timeout} (a
 * day), then quits if it is on no channel. A moderator may still accept the knock in Matrix; the knocker may
 * withdraw and knock again to ask IRC again. After a restart of the bridge, knocks still pending in Matrix and
 * younger than {@code knock-timeout} get their connection back (the KNOCK is not sent again: the operators saw it),
 * so that an operator's INVITE still reaches the knocker, for what is left of the timeout.
 */
@ApplicationScoped
public class TurnsKnocksIntoIrcKnocks implements HandlesMatrixEvent, ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(TurnsKnocksIntoIrcKnocks.class);

    private final PortalDirectory portals;
    private final ConnectsMatrixUsersToIrc users;
    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final HomeserverClient homeserver;
    private final RoomLanes lanes;
    private final MatrixNames names;
    private final Texts texts;
    private final Networks networks;
    /** Pending knocks, by user and room id; each knock is a new one, so that a timer of an earlier one leaves it be. */
    private final Map<UserInRoom, Knock> pending = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong knocks = new java.util.concurrent.atomic.AtomicLong();

    /** One pending knock on a room. */
    private record Knock(PortalRoom room, long id) {
    }

    public TurnsKnocksIntoIrcKnocks(PortalDirectory portals, ConnectsMatrixUsersToIrc users, ShowsIrcState connections,
            PerformsIrcIntents irc,
            HomeserverClient homeserver, RoomLanes lanes, MatrixNames names, Texts texts, Networks networks) {
        this.portals = portals;
        this.users = users;
        this.connections = connections;
        this.irc = irc;
        this.homeserver = homeserver;
        this.lanes = lanes;
        this.names = names;
        this.texts = texts;
        this.networks = networks;
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        if (!(event instanceof MemberChanged member)) {
            return HandlesMatrixEvent.done();
        }
        String user = member.user();
        if (names.isBridgeUser(user)) {
            return HandlesMatrixEvent.done();
        }
        Optional<PortalRoom> room = portal;
        if (room.isEmpty()) {
            return HandlesMatrixEvent.done();
        }
        String membership = member.membership();
        String before = member.previousMembership();
        if ("knock".equals(membership) && user.equals(event.sender())) {
            knock(room.get(), user, member.reason(), member.displayName());
        } else if ("knock".equals(before) && ("leave".equals(membership) || "ban".equals(membership))) {
            // Withdrawn by the knocker, or denied by a moderator (or declined by the bot): nothing stays on IRC.
            if (pending.remove(new UserInRoom(user, room.get().roomId())) != null) {
                LOG.infof("%s's knock on %s was %s", user, room.get().channel(), user.equals(event.sender()) ? "withdrawn" : "denied");
            }
            leaveNothingBehind(room.get().network(), user);
        } else if ("join".equals(membership)) {
            pending.remove(new UserInRoom(user, room.get().roomId()));
        }
        return HandlesMatrixEvent.done();
    }

    private void knock(PortalRoom room, String user, String reason, String displayName) {
        Knock knock = new Knock(room, knocks.incrementAndGet());
        pending.put(new UserInRoom(user, room.roomId()), knock);
        IrcConfig.Network network = networks.get(room.network());
        LOG.infof("%s knocks on %s (%s)", user, room.channel(), reason);
        // Not waited for: connecting takes a while, and the room's other events must not queue behind it.
        users.connection(room.network(), user, displayName).thenAccept(connection -> {
            if (!knock.equals(pending.get(new UserInRoom(user, room.roomId())))) {
                return;
            }
            String text = reason.isBlank() ? Texts.fill(texts.templates().knockWithoutReason(), "user", user,
                    "nick", connection.nick(), "channel", room.channel()) : reason;
            irc.perform(new IrcIntent.Knock(connection, room.channel(), text));
            stopWaitingAfter(knock, user, network.knockTimeout());
        }).exceptionally(failure -> {
            Throwable cause = Failures.cause(failure);
            if (cause instanceof DecidesWhoMayUseTheBridge.NotServed) {
                // Refused before any connection was made: nothing of theirs, their text least of all, reached IRC.
                decline(room, user, cause.getMessage());
                return null;
            }
            decline(room, user, Texts.fill(texts.templates().knockFailed(), "channel", room.channel(),
                    "network", network.displayName(), "cause", IrcText.clean(String.valueOf(cause.getMessage()))));
            return null;
        });
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.KnockAnswered answer)) {
            return;
        }
        Optional<PortalRoom> found = portals.byChannel(answer.network(), MatrixNames.fold(answer.channel()));
        if (found.isEmpty() || !pending.containsKey(new UserInRoom(answer.owner(), found.get().roomId()))) {
            return;
        }
        PortalRoom room = found.get();
        String user = answer.owner();
        String network = networks.get(room.network()).displayName();
        String nick = connections.find(room.network(), user).map(UserConnectionView::nick).orElse("");
        LOG.infof("%s's knock on %s was answered: %s %s", user, room.channel(), answer.answer(), answer.text());
        switch (answer.answer()) {
            case CHANNEL_OPEN -> invite(room, user, Texts.fill(texts.templates().knockChannelOpen(), "channel", room.channel(), "network", network));
            case ALREADY_ON_CHANNEL -> invite(room, user, Texts.fill(texts.templates().knockAlreadyOnChannel(), "channel", room.channel(),
                    "network", network));
            case NOT_ALLOWED -> decline(room, user, Texts.fill(texts.templates().knockNotAllowed(), "channel", room.channel(),
                    "network", network, "nick", nick, "cause", IrcText.clean(answer.text())));
            case UNSUPPORTED -> decline(room, user, Texts.fill(texts.templates().knockUnsupported(), "channel", room.channel(),
                    "network", network, "nick", nick));
            case DELIVERED -> {
                // It waits for an operator.
            }
        }
    }

    private void invite(PortalRoom room, String user, String reason) {
        pending.remove(new UserInRoom(user, room.roomId()));
        lanes.submit(room.roomId(), () -> homeserver.invite(null, room.roomId(), user, reason).exceptionally(failure -> {
            LOG.warnf("Cannot invite %s to %s: %s", user, room.roomId(), failure.getMessage());
            return null;
        }));
    }

    /** Declines a knock: the bot kicks the knocking member, with the reason. */
    private void decline(PortalRoom room, String user, String reason) {
        if (pending.remove(new UserInRoom(user, room.roomId())) == null) {
            return;
        }
        LOG.infof("Declining %s's knock on %s: %s", user, room.channel(), reason);
        lanes.submit(room.roomId(), () -> homeserver.kick(null, room.roomId(), user, reason).exceptionally(failure -> {
            LOG.warnf("Cannot decline %s's knock on %s: %s", user, room.roomId(), failure.getMessage());
            return null;
        }));
        leaveNothingBehind(room.network(), user);
    }

    /** A connection on no channel and waiting for no other knock has no business on IRC. */
    private void leaveNothingBehind(String network, String user) {
        boolean waiting = pending.entrySet().stream()
                .anyMatch(e -> e.getKey().user().equals(user) && e.getValue().room().network().equals(network));
        if (waiting) {
            return;
        }
        connections.find(network, user).filter(c -> c.channels().isEmpty()).ifPresent(c -> {
            LOG.infof("%s has no knock pending and is on no channel of %s: their connection quits", user, network);
            irc.perform(new IrcIntent.Quit(c, texts.templates().matrixUserQuit()));
        });
    }

    /**
     * A knock nobody answered within the network's {@code knock-timeout} stays pending in Matrix, but IRC stops
     * waiting for it: the connection quits unless it is on a channel or waits for another knock.
     */
    private void stopWaitingAfter(Knock knock, String user, java.time.Duration timeout) {
        PortalRoom room = knock.room();
        UserInRoom key = new UserInRoom(user, room.roomId());
        CompletableFuture.delayedExecutor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
            if (pending.remove(key, knock)) {
                LOG.infof("Nobody answered %s's knock on %s within %s: it stays pending in Matrix only", user, room.channel(), timeout);
                leaveNothingBehind(room.network(), user);
            }
        });
    }

    /**
     * At start: a knock pending in the room's Matrix state since {@code knockedAtMillis}, if less than
     * {@code knock-timeout} ago, waits again for an operator's INVITE on a connection of its own, for the rest of the
     * timeout.
     */
    public void restorePending(PortalRoom room, String user, String displayName, long knockedAtMillis) {
        IrcConfig.Network network = networks.get(room.network());
        java.time.Duration left = network.knockTimeout().minusMillis(Math.max(0, System.currentTimeMillis() - knockedAtMillis));
        if (left.isNegative() || left.isZero()) {
            return;
        }
        Knock knock = new Knock(room, knocks.incrementAndGet());
        pending.put(new UserInRoom(user, room.roomId()), knock);
        LOG.infof("%s's knock on %s is still pending: waiting for an INVITE for %s more", user, room.channel(), left);
        users.connection(room.network(), user, displayName)
                .thenRun(() -> stopWaitingAfter(knock, user, left))
                .exceptionally(failure -> {
                    Throwable cause = Failures.cause(failure);
                    LOG.warnf("Cannot connect %s for their pending knock on %s: %s", user, room.channel(), cause.getMessage());
                    if (cause instanceof DecidesWhoMayUseTheBridge.NotServed) {
                        // Knocked while the bridge served them, and it no longer does: the knock is declined, saying why.
                        decline(room, user, cause.getMessage());
                        return null;
                    }
                    pending.remove(new UserInRoom(user, room.roomId()), knock);
                    return null;
                });
    }

    /** Whether the user has a knock pending on the room. */
    public boolean isPending(String user, String roomId) {
        return pending.containsKey(new UserInRoom(user, roomId));
    }
}
