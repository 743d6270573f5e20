package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.store.PortalRoomStore;

/**
 * When a network refuses the bot on a bridged channel because one connection may be on only so many channels
 * (405), the portal's room is told, by a notice from the bot: without the bot on the channel nothing from IRC
 * reaches the room. Said once per channel while the bridge runs (a reconnect would otherwise repeat it).
 */
@ApplicationScoped
public class SaysWhenTheNetworkLimitsChannels implements ReceivesIrcEvents {

    private final PortalRoomStore portals;
    private final PostsNoticesInRooms notices;
    private final Map<String, String> networkNames = new ConcurrentHashMap<>();
    /** Rooms told already; at most one entry per portal room. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    public SaysWhenTheNetworkLimitsChannels(PortalRoomStore portals, PostsNoticesInRooms notices, IrcConfig irc) {
        this.portals = portals;
        this.notices = notices;
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
            notices.post(room.roomId(), notice, "that the bot could not join " + room.channel());
        });
    }

    static String notice(String network, String channel) {
        return "The bridge could not join " + channel + ": " + network + " limits how many channels one connection may"
                + " be on, and the bridge's bot is on that many. Messages from IRC will not reach this room until a"
                + " network operator raises the limit for the bridge.";
    }
}
