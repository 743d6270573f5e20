package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.access.DecidesWhoMayUseTheBridge;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcConnectionFailed;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.store.IrcIdentityStore;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * A Matrix user in a bridged room is on its IRC channel, through a connection of their own (one per network for
 * all their rooms), with a nick made from their display name by the network's template. Leaving the room parts
 * the channel with the user's reason; a kick parts it with "Kicked by …"; the connection quits when the user has
 * left every room of the network.
 */
@ApplicationScoped
public class ConnectsMatrixUsersToIrc implements HandlesMatrixEvent {

    private static final Logger LOG = Logger.getLogger(ConnectsMatrixUsersToIrc.class);

    private final PortalDirectory portals;
    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final MatrixUsersNicks nicks;
    private final MatrixNames names;
    private final HomeserverClient homeserver;
    private final DecidesWhoMayUseTheBridge access;
    private final Texts texts;
    private final IrcIdentityStore identities;
    /**
     * Observed by the soft kicks: they depend on this class (for reconnects, and for who is on a channel), so a
     * connection that cannot be made is told to them as an event (see {@link ConnectionCouldNotBeMade}).
     */
    private final Event<ConnectionCouldNotBeMade> couldNotConnect;
    private final RemembersRejoiningUsers rejoining;
    private final HoldsIrcMessagesForAbsentUsers holds;
    private final net.ircbridge.store.IrcLoginStore logins;
    private final Networks networks;
    private final RemembersOwedInvites remembered;

    public ConnectsMatrixUsersToIrc(PortalDirectory portals, ShowsIrcState connections, PerformsIrcIntents irc, MatrixUsersNicks nicks,
            MatrixNames names, HomeserverClient homeserver, DecidesWhoMayUseTheBridge access, Networks networks, Texts texts,
            IrcIdentityStore identities, Event<ConnectionCouldNotBeMade> couldNotConnect, RemembersRejoiningUsers rejoining,
            HoldsIrcMessagesForAbsentUsers holds, net.ircbridge.store.IrcLoginStore logins,
            RemembersOwedInvites remembered) {
        this.irc = irc;
        this.remembered = remembered;
        this.holds = holds;
        this.logins = logins;
        this.rejoining = rejoining;
        this.identities = identities;
        this.couldNotConnect = couldNotConnect;
        this.texts = texts;
        this.portals = portals;
        this.connections = connections;
        this.nicks = nicks;
        this.names = names;
        this.homeserver = homeserver;
        this.access = access;
        this.networks = networks;
        irc.setStopReason(texts.templates().bridgeStopping());
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
        boolean wasJoined = "join".equals(member.previousMembership());
        if ("join".equals(membership) && !wasJoined) {
            // Not waited for: connecting takes a second or more, and the room's other events must not queue behind it.
            putOnChannel(room.get(), user, member.displayName());
            return HandlesMatrixEvent.done();
        }
        String displayName = member.displayName();
        String previousName = member.previousDisplayName();
        if ("join".equals(membership) && wasJoined && displayName != null && !displayName.equals(previousName)) {
            // A new display name is a new nick, made by the same template.
            connections.find(room.get().network(), user).ifPresent(c -> irc.perform(new IrcIntent.ChangeNick(c,
                    desiredNick(room.get(), user, displayName), localpart(user))));
            return HandlesMatrixEvent.done();
        }
        boolean leftOrRemoved = ("leave".equals(membership) || "ban".equals(membership)) && wasJoined
                && !homeserver.botUserId().equals(event.sender());
        // An invite declined while their connection is on the channel: the bot's invite back, sent once it was.
        // They are done with the room, so the channel goes too (and the connection, with no room left).
        boolean declinedInviteBack = "leave".equals(membership) && "invite".equals(member.previousMembership())
                && user.equals(event.sender()) && isOnChannel(room.get().network(), user, room.get().channel());
        if (leftOrRemoved || declinedInviteBack) {
            String reason = member.reason();
            String partReason = declinedInviteBack ? texts.templates().matrixUserLeft()
                    : user.equals(event.sender()) ? (reason.isEmpty() ? texts.templates().matrixUserLeft() : reason)
                    : Texts.fill(texts.templates().kickedOnMatrix(), "kicker", event.sender(), "reason", reason);
            if (declinedInviteBack) {
                LOG.infof("%s declined the invite to %s: parting %s", user, room.get().roomId(), room.get().channel());
            } else {
                LOG.debugf("%s left %s: parting %s (%s)", user, room.get().roomId(), room.get().channel(), member);
            }
            // Gone on their own (or removed by a moderator): no invite back is owed any more.
            remembered.forget(user, room.get().roomId());
            holds.gone(room.get(), user);
            takeOffChannel(room.get(), user, partReason);
        }
        return HandlesMatrixEvent.done();
    }

    /** As {@link #putOnChannel}, for a user who was on the channel before (the bridge restarted). */
    public CompletionStage<?> putBackOnChannel(PortalRoom room, String user, String displayName) {
        rejoining.rejoining(user, room.network(), room.channel());
        return putOnChannel(room, user, displayName);
    }

    /** Connects the user (if needed) and joins the room's channel. */
    public CompletionStage<?> putOnChannel(PortalRoom room, String user, String displayName) {
        if (!networks.isKnown(room.network())) {
            // A portal of a network taken out of the configuration: the room is not bridged any more.
            LOG.infof("Not putting %s on %s: its network %s is not configured any more", user, room.channel(), room.network());
            return HandlesMatrixEvent.done();
        }
        if (!access.mayUse(user)) {
            return homeserver.kick(null, room.roomId(), user, DecidesWhoMayUseTheBridge.REFUSAL);
        }
        if (!isOnChannel(room.network(), user, room.channel())) {
            // Joined in Matrix, not on the channel yet: the room's IRC messages wait for them.
            holds.absent(room, user);
        }
        return connect(room.network(), user, displayName, room)
                .thenAccept(connection -> irc.perform(new IrcIntent.Join(connection, room.channel())))
                .exceptionally(failure -> {
                    Throwable cause = Failures.cause(failure);
                    if (cause instanceof java.util.concurrent.RejectedExecutionException) {
                        // The bridge is stopping: nothing was lost, and the next start puts them on the channel.
                        return null;
                    }
                    LOG.warnf("Could not put %s on %s: %s", user, room.channel(), cause.getMessage());
                    if (cause instanceof IrcConnectionFailed f) {
                        // Refused for good: kicked. Otherwise not on the channel, so not in the room: soft-kicked
                        // until the connection can be made.
                        couldNotConnect.fire(new ConnectionCouldNotBeMade(user, room.network(), java.util.Set.of(room.channel()),
                                f.reason(), f.permanent()));
                    } else {
                        homeserver.sendText(null, room.roomId(), "m.notice", "Could not connect " + user + " to "
                                + networks.displayName(room.network()) + ": " + cause.getMessage());
                    }
                    return null;
                });
    }

    private CompletableFuture<UserConnectionView> connect(String network, String user, String displayName,
            PortalRoom forNick) {
        // The one place where the bridge asks irc/ for a user's connection: whoever the bridge does not serve is
        // refused here, whatever path asked (a join, a knock, an invite, a private message, !login, a reconnect).
        if (!access.mayUse(user)) {
            return CompletableFuture.failedFuture(new DecidesWhoMayUseTheBridge.NotServed(user));
        }
        // The nick the user had before (kept across restarts) wins over the one the template would make now.
        String desired = identities.nick(user, network).orElseGet(() -> desiredNick(forNick, user, displayName));
        // A stored login identifies every new connection, reconnections too, before it joins anything.
        Optional<net.ircbridge.store.IrcLoginStore.IrcLogin> login = logins.find(network, user);
        return irc.connect(new IrcIntent.Connect(network, user, desired, localpart(user),
                login.map(l -> l.account()).orElse(null), login.map(l -> l.password()).orElse(null)));
    }

    /**
     * Connects a user again (after their connection dropped) and puts them back on the channels they were on; a
     * failed attempt is tried again with backoff.
     */
    public void reconnect(String network, String user, java.util.Set<String> channels) {
        java.util.Optional<PortalRoom> anyRoom = channels.stream()
                .flatMap(c -> portals.byChannel(network, MatrixNames.fold(c)).stream()).findFirst();
        if (anyRoom.isEmpty()) {
            return;
        }
        connect(network, user, null, anyRoom.get()).thenAccept(connection -> channels.forEach(channel -> {
                    rejoining.rejoining(user, network, channel);
                    irc.perform(new IrcIntent.Join(connection, channel));
                }))
                .exceptionally(failure -> {
                    Throwable cause = Failures.cause(failure);
                    if (cause instanceof java.util.concurrent.RejectedExecutionException) {
                        // The bridge is stopping: what is owed stays in the store for the next start.
                        return null;
                    }
                    if (cause instanceof DecidesWhoMayUseTheBridge.NotServed) {
                        // Soft-kicked under a configuration that served them: no invite back is owed any more.
                        LOG.infof("Not reconnecting %s to %s: %s", user, network, cause.getMessage());
                        irc.perform(new IrcIntent.ForgetReconnects(network, user));
                        channels.forEach(c -> portals.byChannel(network, MatrixNames.fold(c)).ifPresent(r -> remembered.forget(user, r.roomId())));
                    } else if (cause instanceof IrcConnectionFailed f && f.permanent()) {
                        couldNotConnect.fire(new ConnectionCouldNotBeMade(user, network, channels, f.reason(), true));
                    } else {
                        // The server is still down, say: tried again later, with a longer wait each time.
                        LOG.infof("Reconnecting %s to %s failed (%s)", user, network, cause.getMessage());
                        irc.perform(new IrcIntent.ReconnectLater(network, user, channels));
                    }
                    return null;
                });
    }

    private String desiredNick(PortalRoom room, String user, String displayName) {
        String localpart = localpart(user);
        return networks.get(room.network()).nickTemplate()
                .replace("{displayname}", displayName == null ? localpart : displayName).replace("{localpart}", localpart);
    }

    /** Whether the user's connection to the network is registered and on the channel now. */
    public boolean isOnChannel(String network, String user, String channel) {
        return connections.find(network, user).filter(c -> c.nick() != null && c.isOn(channel)).isPresent();
    }

    private static String localpart(String user) {
        return user.substring(1, user.indexOf(':'));
    }

    /**
     * The bridge itself took the user out of the room, because they may no longer be there (a restricted room they
     * lost eligibility for): their connection leaves the channel too, and nothing is owed or held for them. The
     * bridge's own leaves are otherwise not followed, since most of them (soft kicks, refusals) find the user already
     * off the channel.
     */
    public void removedByTheBridge(PortalRoom room, String user, String reason) {
        remembered.forget(user, room.roomId());
        holds.gone(room, user);
        takeOffChannel(room, user, reason);
    }

    private void takeOffChannel(PortalRoom room, String user, String reason) {
        connections.find(room.network(), user).ifPresent(connection -> {
            irc.perform(new IrcIntent.Part(connection, room.channel(), reason));
            if (connection.channels().isEmpty()) {
                if (connection.nick() != null) {
                    nicks.remove(room.network(), connection.nick());
                }
                irc.perform(new IrcIntent.Quit(connection, texts.templates().matrixUserQuit()));
            }
        });
    }

    /**
     * The user's connection to a network, connected now if they have none (for private messages, which need no
     * room of the network). The nick is the one they had, or the template's with their localpart.
     */
    public CompletableFuture<UserConnectionView> connection(String network, String user) {
        return connect(network, user, null, new PortalRoom(network, "", "", null));
    }

    /**
     * The user's connection to a network, connected now if they have none, with a nick made from this display name
     * (a knocker's, so that the nick IRC operators see and INVITE is the one they will join with).
     */
    public CompletableFuture<UserConnectionView> connection(String network, String user, String displayName) {
        return connect(network, user, displayName, new PortalRoom(network, "", "", null));
    }
}
