package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.store.PortalRoomStore;
import org.jboss.logging.Logger;

/**
 * When a network refuses the bot on a bridged channel because one connection may be on only so many channels
 * (405), the portal's room is told, by a notice from the bot: without the bot on the channel nothing from IRC
 * reaches the room. Said once per channel while the bridge runs (a reconnect would otherwise repeat it).
 */
@ApplicationScoped
public class SaysWhenTheNetworkLimitsChannels implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(SaysWhenTheNetworkLimitsChannels.class);

    private final PortalRoomStore portals;
    private final HomeserverClient homeserver;
    private final RoomLanes lanes;
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    /** Rooms told already; at most one entry per portal room. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    public SaysWhenTheNetworkLimitsChannels(PortalRoomStore portals, HomeserverClient homeserver, RoomLanes lanes, IrcConfig irc) {
        this.portals = portals;
        this.homeserver = homeserver;
        this.lanes = lanes;
        irc.networks().forEach(n -> networkNames.put(n.id(), n.displayName()));
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.BotOnTooManyChannels refused)) {
            return;
        }
        portals.byChannel(refused.network(), MatrixNames.fold(refused.channel())).ifPresent(room -> {
            if (!told.add(room.roomId())) {
                return;
            }
            String notice = notice(networkNames.getOrDefault(refused.network(), refused.network()), room.channel());
            lanes.submit(room.roomId(), () -> homeserver.sendText(null, room.roomId(), "m.notice", notice)).exceptionally(failure -> {
                LOG.warnf("Cannot tell %s that the bot could not join %s: %s", room.roomId(), room.channel(), failure.getMessage());
                return null;
            });
        });
    }

    static String notice(String network, String channel) {
        return "The bridge could not join " + channel + ": " + network + " limits how many channels one connection may"
                + " be on, and the bridge's bot is on that many. Messages from IRC will not reach this room until a"
                + " network operator raises the limit for the bridge.";
    }
}
