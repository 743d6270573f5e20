package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.PowerLevels;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * Channel operators and voiced users on IRC get power in the room: the level for their status comes from the
 * network's {@code power-levels}; losing the status lowers it again. This holds for ghosts and for Matrix users
 * (whose IRC status is that of their own connection), except that a level above every mapped one (a room admin's
 * 100, say) is never lowered. Changes go through the room's lane; one power-levels event carries all the changes a
 * NAMES list brings.
 */
@ApplicationScoped
public class MapsChannelStatusToPowerLevels implements ReceivesIrcEvents {

    private final PortalDirectory portals;
    private final RoomLanes lanes;
    private final HomeserverClient homeserver;
    private final MatrixNames names;
    private final MatrixUsersNicks matrixUsers;
    private final Networks networks;

    public MapsChannelStatusToPowerLevels(PortalDirectory portals, RoomLanes lanes, HomeserverClient homeserver,
            MatrixNames names, MatrixUsersNicks matrixUsers, Networks networks) {
        this.portals = portals;
        this.lanes = lanes;
        this.homeserver = homeserver;
        this.names = names;
        this.matrixUsers = matrixUsers;
        this.networks = networks;
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.ChannelMembersListed e) {
            Map<String, String> prefixes = new HashMap<>();
            e.prefixesByNick().forEach((nick, prefix) -> {
                if (!prefix.isEmpty()) {
                    prefixes.put(nick, prefix);
                }
            });
            if (!prefixes.isEmpty()) {
                update(e.network(), e.channel(), prefixes);
            }
        } else if (event instanceof IrcEvent.UserStatusChanged e) {
            update(e.network(), e.channel(), Map.of(e.nick(), e.prefix()));
        }
    }

    /** The power level for a status prefix, or 0 for none. */
    static int levelFor(String prefix, IrcConfig.PowerLevels levels) {
        return switch (prefix) {
            case "~", "&", "@" -> levels.operator();
            case "%" -> levels.halfOperator();
            case "+" -> levels.voice();
            default -> 0;
        };
    }

    private void update(String network, String channel, Map<String, String> prefixByNick) {
        portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> lanes.submit(room.roomId(),
                () -> homeserver.powerLevels(room.roomId())
                        .thenCompose(current -> apply(room, current, prefixByNick))));
    }

    private CompletableFuture<?> apply(PortalRoom room, PowerLevels current, Map<String, String> prefixByNick) {
        PowerLevels content = current;
        boolean changed = false;
        IrcConfig.PowerLevels mapped = networks.get(room.network()).powerLevels();
        int highestMapped = Math.max(mapped.operator(), Math.max(mapped.halfOperator(), mapped.voice()));
        for (Map.Entry<String, String> e : prefixByNick.entrySet()) {
            String user = matrixUsers.userOf(room.network(), e.getKey())
                    .orElseGet(() -> names.ghostUserId(room.network(), e.getKey()));
            int level = levelFor(e.getValue(), mapped);
            int now = content.levelOf(user);
            if (level == now || now > highestMapped) {
                continue;
            }
            content = level == 0 ? content.withoutUser(user) : content.withUser(user, level);
            changed = true;
        }
        return changed ? homeserver.putState(null, room.roomId(), "", content)
                : CompletableFuture.completedFuture(null);
    }
}
