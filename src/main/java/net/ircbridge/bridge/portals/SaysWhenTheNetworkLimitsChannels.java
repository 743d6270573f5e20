package net.ircbridge.bridge.portals;

import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

import java.util.Optional;

import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.PostsNoticesInRooms;
import net.ircbridge.bridge.UserInRoom;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.MatrixEvent;

/**
 * When a network refuses the bot on a bridged channel because one connection may be on only so many channels
 * (405), the portal's room is told, by a notice from the bot: without the bot on the channel nothing from IRC
 * reaches the room. Said once per channel while the bridge runs (a reconnect would otherwise repeat it), and again
 * to each user who joins the room afterwards: the room shows history to joined members only, so the first notice
 * (often posted while the room is still being made for its first user) is not theirs to read.
 */
@ApplicationScoped
public class SaysWhenTheNetworkLimitsChannels implements ReceivesIrcEvents, HandlesMatrixEvent {

    private final PortalDirectory portals;
    private final PostsNoticesInRooms notices;
    private final Networks networks;
    private final MatrixNames names;
    /** Rooms told already, with what they were told; at most one entry per portal room. */
    private final Map<String, String> told = new ConcurrentHashMap<>();
    /** Users told on joining, by room and user; bounded, eldest forgotten. */
    private final Set<UserInRoom> toldOnJoining = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UserInRoom, Boolean> eldest) {
            return size() > 10_000;
        }
    }));

    public SaysWhenTheNetworkLimitsChannels(PortalDirectory portals, PostsNoticesInRooms notices, Networks networks, MatrixNames names) {
        this.portals = portals;
        this.notices = notices;
        this.names = names;
        this.networks = networks;
    }

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.BotOnTooManyChannels refused)) {
            return;
        }
        portals.byChannel(refused.network(), MatrixNames.fold(refused.channel())).ifPresent(room -> {
            String notice = notice(networks.displayName(refused.network()), room.channel());
            if (told.putIfAbsent(room.roomId(), notice) != null) {
                return;
            }
            notices.post(room.roomId(), notice, "that the bot could not join " + room.channel());
        });
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        String notice = told.get(event.roomId());
        if (notice != null && event instanceof MemberChanged member && "join".equals(member.membership())
                && event.sender() != null && event.sender().equals(event.stateKey()) && !names.isBridgeUser(event.sender())
                && toldOnJoining.add(new UserInRoom(event.sender(), event.roomId()))) {
            notices.post(event.roomId(), notice, "that the bot could not join its channel");
        }
        return CompletableFuture.completedFuture(null);
    }

    static String notice(String network, String channel) {
        return "The bridge could not join " + channel + ": " + network + " limits how many channels one connection may"
                + " be on, and the bridge's bot is on that many. Messages from IRC will not reach this room until a"
                + " network operator raises the limit for the bridge.";
    }
}
