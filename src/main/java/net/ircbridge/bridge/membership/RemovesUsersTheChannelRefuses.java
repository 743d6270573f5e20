package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.UserInRoom;
import net.ircbridge.bridge.access.InvitesMatrixUsersInvitedOnIrc;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.portals.PortalDirectory;

import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.ChannelRefusal;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * A Matrix user whom a channel doesn't have on it may not stay in its room. Kicked on IRC: kicked in Matrix, by the
 * kicker's ghost, with the IRC reason. Refused at JOIN: banned (474) is a plain kick with the ban's words;
 * invite-only (473), key (475), full (471), registered-only (477) and TLS-only (489) are soft kicks whose reason
 * says which and what to do, with no invite back (nothing will change by itself); anything else (437, 405) is
 * retried a few times first.
 *
 * <p>A user who was on an invite-only channel and comes back (their connection dropped, or the bridge restarted)
 * is let in again by the bot, with an INVITE, when the bot is a channel operator there: they had been admitted
 * before, and the channel becoming {@code +i} since does not put out those already on it. Without operator status
 * the bot cannot, and the refusal is a soft kick as above.
 */
@ApplicationScoped
public class RemovesUsersTheChannelRefuses implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(RemovesUsersTheChannelRefuses.class);
    /** JOINs refused for a passing reason are tried this many times more, 5, 10 and 20 seconds apart. */
    static final int RETRIES = 3;

    private final PortalDirectory portals;
    private final RoomLanes lanes;
    private final KicksAsTheIrcKicker kicks;
    private final SoftKicksWhenConnectionsDrop softKicks;
    private final ShowsIrcState connections;
    private final Texts texts;
    private final HoldsIrcMessagesForAbsentUsers holds;
    private final Networks networks;
    private final Map<UserInRoom, Integer> retries = new ConcurrentHashMap<>();
    /** Written by whoever puts a user back on a channel; here, only read (so neither depends on the other). */
    private final RemembersRejoiningUsers rejoining;
    /** Rejoining users waiting for the bot's INVITE to reach their connection before they JOIN again. */
    private final java.util.Set<UserInRoom> awaitingInvite = ConcurrentHashMap.newKeySet();
    private final PerformsIrcIntents irc;
    private final InvitesMatrixUsersInvitedOnIrc invites;

    public RemovesUsersTheChannelRefuses(PortalDirectory portals, RoomLanes lanes, KicksAsTheIrcKicker kicks,
            SoftKicksWhenConnectionsDrop softKicks, ShowsIrcState connections, Texts texts, Networks networks,
            HoldsIrcMessagesForAbsentUsers holds, PerformsIrcIntents irc, InvitesMatrixUsersInvitedOnIrc invites,
            RemembersRejoiningUsers rejoining) {
        this.rejoining = rejoining;
        this.irc = irc;
        this.invites = invites;
        this.holds = holds;
        this.portals = portals;
        this.lanes = lanes;
        this.kicks = kicks;
        this.softKicks = softKicks;
        this.connections = connections;
        this.texts = texts;
        this.networks = networks;
    }

    /** An IRC operator kicked the user's connection from a channel. */
    private void kicked(String user, String network, String channel, String kicker, String reason) {
        portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> {
            LOG.infof("%s was kicked from %s by %s: %s", user, channel, kicker, reason);
            lanes.submit(room.roomId(), () -> kicks.kick(room, kicker, user, IrcText.clean(reason)).exceptionally(failure -> {
                softKicks.plainKick(user, room, Texts.fill(texts.templates().kickedOnIrc(), "kicker", kicker, "reason", IrcText.clean(reason)));
                return null;
            }));
            holds.gone(room, user);
        });
        quitIfOnNoChannel(network, user);
    }

    /** The channel refused the user's JOIN. */
    private void refused(String user, String network, String channel, ChannelRefusal refusal, String serverText, String nick) {
        Optional<PortalRoom> room = portals.byChannel(network, MatrixNames.fold(channel));
        if (room.isEmpty()) {
            return;
        }
        LOG.infof("%s (%s) could not join %s: %s (%s)", user, nick, channel, refusal, serverText);
        UserInRoom key = new UserInRoom(user, room.get().roomId());
        if (refusal == ChannelRefusal.INVITE_ONLY && rejoining.wasRejoining(key) && connections.isBotChannelOperator(network, channel)) {
            LOG.infof("%s was on %s before: the bot invites %s back", user, channel, nick);
            awaitingInvite.add(key);
            invites.expectBridgeInvite(network, user, channel);
            irc.perform(new IrcIntent.BotInvite(network, nick, channel));
            return;
        }
        if (refusal == ChannelRefusal.OTHER) {
            int attempt = retries.merge(key, 1, Integer::sum);
            if (attempt <= RETRIES) {
                CompletableFuture.delayedExecutor(5L << (attempt - 1), TimeUnit.SECONDS).execute(() ->
                        connections.find(network, user).ifPresent(c -> irc.perform(new IrcIntent.Join(c, room.get().channel()))));
                return;
            }
        }
        retries.remove(key);
        remove(user, room.get(), refusal, IrcText.clean(serverText), nick);
        quitIfOnNoChannel(network, user);
    }

    /** The user is on the channel: passing refusals are forgotten. */
    private void joined(String user, String network, String channel) {
        portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> {
            retries.remove(new UserInRoom(user, room.roomId()));
            rejoining.rejoined(new UserInRoom(user, room.roomId()));
        });
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.JoinRefused refused) {
            refused(refused.owner(), refused.network(), refused.channel(), refused.refusal(), refused.text(), refused.nick());
        } else if (event instanceof IrcEvent.KickedFromChannel kicked) {
            kicked(kicked.owner(), kicked.network(), kicked.channel(), kicked.kicker(), kicked.reason());
        } else if (event instanceof IrcEvent.JoinedChannel joined) {
            joined(joined.owner(), joined.network(), joined.channel());
        } else if (event instanceof IrcEvent.InvitedToChannel invited) {
            // The bot's INVITE reached a rejoining user's connection: now it JOINs again.
            portals.byChannel(invited.network(), MatrixNames.fold(invited.channel()))
                    .filter(room -> awaitingInvite.remove(new UserInRoom(invited.owner(), room.roomId())))
                    .ifPresent(room -> connections.find(invited.network(), invited.owner())
                            .ifPresent(c -> irc.perform(new IrcIntent.Join(c, room.channel()))));
        }
    }

    private void remove(String user, PortalRoom room, ChannelRefusal refusal, String cause, String nick) {
        String network = networks.displayName(room.network());
        String template = switch (refusal) {
            case BANNED -> texts.templates().bannedFromChannel();
            case INVITE_ONLY -> texts.templates().channelInviteOnly();
            case BAD_KEY -> texts.templates().channelNeedsKey();
            case FULL -> texts.templates().channelFull();
            case REGISTERED_ONLY -> texts.templates().channelRegisteredOnly();
            case SECURE_ONLY, OTHER -> texts.templates().channelRefused();
        };
        String reason = Texts.fill(template, "channel", room.channel(), "network", network, "nick", nick, "cause", cause);
        if (refusal == ChannelRefusal.BANNED) {
            softKicks.plainKick(user, room, reason);
        } else {
            softKicks.softKick(user, room, reason, false);
        }
    }

    private void quitIfOnNoChannel(String network, String user) {
        connections.find(network, user).filter(c -> c.channels().isEmpty())
                .ifPresent(c -> irc.perform(new IrcIntent.Quit(c, texts.templates().matrixUserQuit())));
    }
}
