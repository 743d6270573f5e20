package net.ircbridge.bridge.access;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.membership.ConnectsMatrixUsersToIrc;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
 * Invites cross the bridge both ways.
 * <ul>
 * <li>An IRC user INVITEs a Matrix user's nick (after a knock or not): the bot invites the Matrix user to the room,
 * with a reason naming who invited them ("Invited to #chan by op on IRC"). When they join, their connection JOINs
 * and the IRC invite lets it through {@code +i}.</li>
 * <li>A Matrix user invites another Matrix user to a room that takes knocks (its channel is invite-only): when the
 * inviter's own connection is a channel operator, it INVITEs the invitee's nick on IRC (the invitee is connected
 * for it), so that their JOIN gets through; otherwise the room is told that the invitee will not get past
 * {@code +i} until a channel operator invites them on IRC.</li>
 * </ul>
 */
@ApplicationScoped
public class InvitesMatrixUsersInvitedOnIrc implements ReceivesIrcEvents, HandlesMatrixEvent {

    private static final Logger LOG = Logger.getLogger(InvitesMatrixUsersInvitedOnIrc.class);

    private final PortalDirectory portals;
    private final ConnectsMatrixUsersToIrc users;
    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final HomeserverClient homeserver;
    private final RoomLanes lanes;
    private final MatrixNames names;
    private final Texts texts;
    private final DecidesWhoMayUseTheBridge access;
    private final Networks networks;
    /** IRC invites the bridge sent for a Matrix invite (network, invitee, channel): no Matrix invite is owed for them. */
    private final Set<Invite> sentForMatrix = ConcurrentHashMap.newKeySet();

    /** The bridge is about to INVITE the user on IRC for its own reasons (a rejoin): that INVITE owes no Matrix invite. */
    public void expectBridgeInvite(String network, String user, String channel) {
        sentForMatrix.add(new Invite(network, user, channel));
    }

    public InvitesMatrixUsersInvitedOnIrc(PortalDirectory portals, ConnectsMatrixUsersToIrc users, ShowsIrcState connections,
            PerformsIrcIntents irc,
            HomeserverClient homeserver, RoomLanes lanes, MatrixNames names, Texts texts, Networks networks,
            DecidesWhoMayUseTheBridge access) {
        this.access = access;
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

    /** An IRC invite of a Matrix user's connection to a channel, folded as IRC compares names. */
    private record Invite(String network, String user, String channel) {
        Invite {
            channel = MatrixNames.fold(channel);
        }
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.InvitedToChannel invited) || !invited.owner().startsWith("@")) {
            return;
        }
        if (!access.mayUse(invited.owner())) {
            // Such a user gets no connection to be invited on; should one be there all the same, no invite follows.
            LOG.infof("%s invited %s to %s on IRC, who may not use the bridge: no Matrix invite", invited.inviter(),
                    invited.owner(), invited.channel());
            return;
        }
        if (sentForMatrix.remove(new Invite(invited.network(), invited.owner(), invited.channel()))) {
            return;
        }
        portals.byChannel(invited.network(), MatrixNames.fold(invited.channel())).ifPresent(room -> {
            String reason = Texts.fill(texts.templates().invitedOnIrc(), "channel", room.channel(),
                    "network", networks.displayName(room.network()), "inviter", invited.inviter());
            LOG.infof("%s invited %s to %s on IRC: inviting them to %s", invited.inviter(), invited.owner(), room.channel(),
                    room.roomId());
            lanes.submit(room.roomId(), () -> homeserver.invite(null, room.roomId(), invited.owner(), reason).exceptionally(failure -> {
                // In the room already, say: the IRC invite still lets their JOIN through.
                LOG.infof("Cannot invite %s to %s: %s", invited.owner(), room.roomId(), failure.getMessage());
                return null;
            }));
        });
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        if (!(event instanceof MemberChanged member) || !"invite".equals(member.membership())) {
            return done();
        }
        String invitee = member.user();
        String inviter = event.sender();
        if (inviter == null || names.isBridgeUser(inviter) || names.isBridgeUser(invitee)) {
            return done();
        }
        Optional<PortalRoom> found = portal;
        if (found.isEmpty()) {
            return done();
        }
        PortalRoom room = found.get();
        // On the room's lane already: the join rule read here is the one the invite was made under.
        return homeserver.joinRules(room.roomId()).<Object>thenCompose(rules -> {
            if (!"knock".equals(rules.joinRule())) {
                return done();
            }
            Optional<UserConnectionView> own = connections.find(room.network(), inviter)
                    .filter(c -> c.nick() != null && c.isOn(room.channel()) && c.isOperator(room.channel()));
            if (own.isEmpty()) {
                String text = Texts.fill(texts.templates().cannotInviteOnIrc(), "inviter", inviter, "user", invitee,
                        "channel", room.channel());
                return homeserver.sendText(null, room.roomId(), "m.notice", text).thenApply(id -> (Object) id);
            }
            users.connection(room.network(), invitee, null).thenAccept(connection -> {
                LOG.infof("%s (%s) invites %s (%s) to %s on IRC", inviter, own.get().nick(), invitee, connection.nick(), room.channel());
                sentForMatrix.add(new Invite(room.network(), invitee, room.channel()));
                irc.perform(new IrcIntent.Invite(own.get(), connection.nick(), room.channel()));
            }).exceptionally(failure -> {
                // A user the bridge does not serve is refused here (nothing is sent to IRC), and kicked if they join.
                LOG.warnf("Cannot connect %s to invite them to %s on IRC: %s", invitee, room.channel(),
                        Failures.cause(failure).getMessage());
                return null;
            });
            return done();
        }).exceptionally(failure -> {
            LOG.warnf("Cannot bridge the invite of %s to %s: %s", invitee, room.roomId(), failure.getMessage());
            return null;
        });
    }

    private static CompletableFuture<Object> done() {
        return CompletableFuture.completedFuture(null);
    }
}
