package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.admin.AnswersInAdminRoom;
import net.ircbridge.bridge.admin.TellsUsersInTheirAdminRoom;
import net.ircbridge.bridge.formatting.IrcText;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.matrix.HomeserverClient;
import org.jboss.logging.Logger;

/**
 * The bot joins the rooms mapped to channels by the configuration ({@code irc.networks[].channels}), saying why
 * ("Bridging #chan on Network"): at start, and whenever it is invited to one, since a private room lets it in only
 * by an invite. An invite to a room that no mapping names is left pending rather than declined (see
 * {@link AnswersInAdminRoom}), so that the join at the next start, once an operator has mapped the room, gets in.
 * When the bot cannot get into a mapped room, the bridge's admins are told what to do.
 */
@ApplicationScoped
public class JoinsMappedRooms {

    private static final Logger LOG = Logger.getLogger(JoinsMappedRooms.class);

    /** A mapping and the network it belongs to. */
    private record Mapped(IrcConfig.Network network, IrcConfig.ChannelMapping mapping) {
    }

    private final HomeserverClient homeserver;
    private final Texts texts;
    private final TellsUsersInTheirAdminRoom admins;
    /** The configured mappings by room id (fixed at start: the configuration is read once). */
    private final Map<String, Mapped> byRoom = new ConcurrentHashMap<>();

    public JoinsMappedRooms(HomeserverClient homeserver, Texts texts, TellsUsersInTheirAdminRoom admins, Networks networks) {
        this.homeserver = homeserver;
        this.texts = texts;
        this.admins = admins;
        for (IrcConfig.Network network : networks.all()) {
            for (IrcConfig.ChannelMapping mapping : network.channels()) {
                byRoom.putIfAbsent(mapping.room(), new Mapped(network, mapping));
            }
        }
    }

    /** Whether the configuration maps this room to a channel. */
    public boolean isMapped(String roomId) {
        return byRoom.containsKey(roomId);
    }

    /**
     * Joins a mapped room (call it on the room's lane). A join that fails is logged and the admins are told what to
     * do; the answer says whether the bot is in.
     */
    public CompletableFuture<Boolean> join(String roomId) {
        Mapped mapped = byRoom.get(roomId);
        if (mapped == null) {
            return CompletableFuture.completedFuture(false);
        }
        String channel = mapped.mapping().channel();
        String network = mapped.network().displayName();
        return homeserver.join(null, roomId, Texts.fill(texts.templates().bridging(), "channel", channel, "network", network))
                .thenApply(joined -> true)
                .exceptionally(failure -> {
                    String cause = Failures.cause(failure).getMessage();
                    LOG.errorf("The bot cannot join %s, mapped to %s on %s (%s); invite %s to the room.", roomId, channel, network,
                            cause, homeserver.botUserId());
                    admins.tellAdmins("I cannot join " + roomId + ", which irc.networks[].channels maps to " + channel + " on "
                            + network + " (" + IrcText.clean(String.valueOf(cause)) + "). If it is a private room, have one of its"
                            + " admins invite " + homeserver.botUserId() + " to it: I join as soon as I am invited.");
                    return false;
                });
    }
}
