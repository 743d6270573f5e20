package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.AllowsSoManyAMinute;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.SaysAtMostOnceAMinute;
import net.ircbridge.bridge.membership.RegistersGhosts;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.ircbridge.config.BridgeConfig;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.matrix.AnswersAppserviceQueries;
import net.ircbridge.matrix.ThirdPartyLocation;
import net.ircbridge.matrix.ThirdPartyProtocol;
import net.ircbridge.matrix.ThirdPartyUser;
import net.ircbridge.store.RegisteredUserStore;

/**
 * Answers the homeserver's questions about the bridge's namespace: user queries (a ghost is registered when
 * asked for), alias queries, and the third-party lookups of protocol {@code irc}, with one instance per network.
 */
@ApplicationScoped
public class AnswersHomeserverQueries implements AnswersAppserviceQueries {

    static final String PROTOCOL = "irc";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AnswersHomeserverQueries.class);

    private final MatrixNames names;
    private final Networks networks;
    private final RegisteredUserStore registeredUsers;
    private final CreatesPortalRooms portals;
    private final RegistersGhosts ghosts;

    private final ShowsIrcState bots;
    private final AllowsSoManyAMinute ghostQueries;
    private final int ghostQueriesPerMinute;
    private final SaysAtMostOnceAMinute ghostRefusalLog = new SaysAtMostOnceAMinute();

    public AnswersHomeserverQueries(MatrixNames names, Networks networks, RegisteredUserStore registeredUsers,
            CreatesPortalRooms portals, RegistersGhosts ghosts, ShowsIrcState bots,
            BridgeConfig bridge) {
        this.bots = bots;
        this.ghostQueriesPerMinute = bridge.ghostQueriesPerMinute();
        this.ghostQueries = new AllowsSoManyAMinute(ghostQueriesPerMinute);
        this.portals = portals;
        this.ghosts = ghosts;
        this.names = names;
        this.networks = networks;
        this.registeredUsers = registeredUsers;
    }

    @Override
    public CompletionStage<Boolean> userExists(String userId) {
        Optional<MatrixNames.IrcName> ghost = names.parseGhost(userId);
        if (ghost.isEmpty() || !isNick(ghost.get().name())) {
            return CompletableFuture.completedFuture(false);
        }
        if (registeredUsers.contains(userId)) {
            return CompletableFuture.completedFuture(true);
        }
        // Anyone can make the homeserver ask (an invite, a profile lookup): each answer registers a user, so at a rate.
        if (!ghostQueries.tryTake()) {
            if (ghostRefusalLog.due()) {
                LOG.warnf("Not registering %s: more than %d ghosts asked for this minute (bridge.ghost-queries-per-minute);"
                        + " said once a minute", userId, ghostQueriesPerMinute);
            }
            return CompletableFuture.completedFuture(false);
        }
        return ghosts.namedGhost(ghost.get().network(), ghost.get().name()).thenApply(ignored -> true);
    }

    @Override
    public CompletionStage<Boolean> roomAliasExists(String alias) {
        return portals.roomForAlias(alias);
    }

    @Override
    public Optional<ThirdPartyProtocol> protocol(String protocol) {
        if (!PROTOCOL.equals(protocol)) {
            return Optional.empty();
        }
        Map<String, ThirdPartyProtocol.FieldType> types = new LinkedHashMap<>();
        types.put("network", new ThirdPartyProtocol.FieldType("[a-z0-9.-]+", networks.all().get(0).id()));
        types.put("nickname", new ThirdPartyProtocol.FieldType("[^\\s#&,:!@][^\\s,:!@]*", "nick"));
        types.put("channel", new ThirdPartyProtocol.FieldType("[#&][^\\s,]+", "#channel"));
        List<ThirdPartyProtocol.Instance> instances = networks.all().stream()
                .map(n -> new ThirdPartyProtocol.Instance(n.id(), n.displayName(), "", Map.of("network", n.id()))).toList();
        return Optional.of(new ThirdPartyProtocol(List.of("network", "nickname"), List.of("network", "channel"), "", types,
                instances));
    }

    @Override
    public Optional<List<ThirdPartyLocation>> locations(String protocol, Map<String, String> fields) {
        if (!PROTOCOL.equals(protocol)) {
            return Optional.empty();
        }
        String network = fields.get("network");
        String channel = fields.get("channel");
        if (!isNetwork(network) || channel == null || !bots.isChannelName(network, channel)) {
            return Optional.of(List.of());
        }
        return Optional.of(List.of(location(names.channelAlias(network, channel), network, channel)));
    }

    @Override
    public Optional<List<ThirdPartyUser>> users(String protocol, Map<String, String> fields) {
        if (!PROTOCOL.equals(protocol)) {
            return Optional.empty();
        }
        String network = fields.get("network");
        String nick = fields.get("nickname");
        if (!isNetwork(network) || nick == null || !isNick(nick)) {
            return Optional.of(List.of());
        }
        return Optional.of(List.of(user(names.ghostUserId(network, nick), network, nick)));
    }

    @Override
    public List<ThirdPartyLocation> locationsForAlias(String alias) {
        return names.parseAlias(alias)
                .filter(c -> bots.isChannelName(c.network(), c.name()))
                .map(c -> List.of(location(alias, c.network(), c.name())))
                .orElse(List.of());
    }

    @Override
    public List<ThirdPartyUser> usersForUserId(String userId) {
        return names.parseGhost(userId)
                .map(g -> List.of(user(userId, g.network(), g.name())))
                .orElse(List.of());
    }

    private static ThirdPartyLocation location(String alias, String network, String channel) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("network", network);
        fields.put("channel", channel);
        return new ThirdPartyLocation(alias, PROTOCOL, fields);
    }

    private static ThirdPartyUser user(String userId, String network, String nick) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("network", network);
        fields.put("nickname", nick);
        return new ThirdPartyUser(userId, PROTOCOL, fields);
    }

    private boolean isNetwork(String id) {
        return networks.isKnown(id);
    }

    private static boolean isNick(String nick) {
        return nick.matches("[^\\s#&,:!@*?][^\\s,:!@*?]*") && nick.length() <= 64;
    }
}
