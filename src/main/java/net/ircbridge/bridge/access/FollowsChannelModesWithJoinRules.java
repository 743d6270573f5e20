package net.ircbridge.bridge.access;

import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.JoinRules;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * A room's join rule follows its channel's modes: invite-only ({@code +i}) and keyed ({@code +k}, a key that cannot
 * be shown to Matrix users) channels make {@code knock} rooms (MSC2403), whose knocks become IRC KNOCKs;
 * registered-only channels ({@code +R}, the network's {@code registered-only-mode}) make {@code restricted} rooms
 * whose {@code allow} names the network's room of identified users (MSC3083); any other channel has the network's
 * {@code default-join-rule}. Invite-only wins over registered-only, since an IRC invite is needed either way.
 *
 * <p>The bot makes the change (it has power 100 in portal rooms) on the room's lane, and when someone changed the
 * modes on IRC, a notice in the room names them. The modes the bot finds when it joins are followed silently, except
 * that a room mapped by configuration is not opened to the default join rule then (its admins chose its rule).
 */
@ApplicationScoped
public class FollowsChannelModesWithJoinRules implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(FollowsChannelModesWithJoinRules.class);

    private final PortalDirectory portals;
    private final RoomLanes lanes;
    private final HomeserverClient homeserver;
    private final Texts texts;
    private final RestrictsRoomsToIdentifiedUsers identified;
    private final Networks networks;

    public FollowsChannelModesWithJoinRules(PortalDirectory portals, RoomLanes lanes, HomeserverClient homeserver, Texts texts,
            RestrictsRoomsToIdentifiedUsers identified, Networks networks) {
        this.portals = portals;
        this.lanes = lanes;
        this.homeserver = homeserver;
        this.texts = texts;
        this.identified = identified;
        this.networks = networks;
    }

    /** The join rule a channel with these modes gives its room. */
    static String joinRuleFor(String modes, String registeredOnlyMode, String defaultJoinRule) {
        if (modes.indexOf('i') >= 0 || modes.indexOf('k') >= 0) {
            return "knock";
        }
        if (modes.contains(registeredOnlyMode)) {
            return "restricted";
        }
        return defaultJoinRule;
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.ChannelModeChanged e)) {
            return;
        }
        IrcConfig.Network network = networks.get(e.network());
        portals.byChannel(e.network(), MatrixNames.fold(e.channel())).ifPresent(room -> {
            String rule = joinRuleFor(e.modes(), network.registeredOnlyMode(), network.defaultJoinRule());
            if (e.setBy() == null && room.alias() == null && rule.equals(network.defaultJoinRule())) {
                // A room mapped by configuration keeps the join rule its admins gave it until a mode changes on IRC:
                // the bot joining an open channel must not open a private room.
                return;
            }
            lanes.submit(room.roomId(), () -> follow(room, network, rule, e)).exceptionally(failure -> {
                LOG.errorf("Cannot make the join rule of %s (%s) %s: %s", room.roomId(), room.channel(), rule, failure.getMessage());
                return null;
            });
        });
    }

    private CompletableFuture<Void> follow(PortalRoom room, IrcConfig.Network network, String rule, IrcEvent.ChannelModeChanged e) {
        CompletableFuture<String> allowRoom = "restricted".equals(rule) ? identified.allowRoom(room.network())
                : CompletableFuture.completedFuture(null);
        return allowRoom.thenCompose(allow -> homeserver.joinRules(room.roomId())
                .exceptionally(failure -> JoinRules.UNKNOWN)
                .thenCompose(current -> {
                    JoinRules wanted = new JoinRules(rule, allow == null ? null : List.of(JoinRules.Allow.membersOf(allow)));
                    if (current.equals(wanted)) {
                        return CompletableFuture.completedFuture(null);
                    }
                    LOG.infof("%s on %s has modes +%s: the join rule of %s becomes %s", e.channel(), network.displayName(),
                            e.modes(), room.roomId(), rule);
                    CompletableFuture<?> set = homeserver.putState(null, room.roomId(), "", wanted);
                    if (e.setBy() == null) {
                        return set.thenApply(ignored -> null);
                    }
                    String template = switch (rule) {
                        case "knock" -> texts.templates().joinRuleKnock();
                        case "restricted" -> texts.templates().joinRuleRestricted();
                        default -> texts.templates().joinRuleDefault();
                    };
                    String notice = Texts.fill(template, "nick", e.setBy(), "mode", e.change(), "channel", e.channel(),
                            "network", network.displayName(), "rule", rule);
                    return set.thenCompose(ignored -> homeserver.sendText(null, room.roomId(), "m.notice", notice))
                            .thenApply(ignored -> null);
                }));
    }
}
