package net.ircbridge.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured IRC networks by id, built once from {@link IrcConfig}: the one place that answers "which network is
 * this id, and what is it called", so that no behaviour keeps a copy of the configuration of its own. In
 * {@code config/}, beside what it is made from, so that {@code irc/} may use it as well as the core. Ids are unique
 * ({@link ChecksConfiguration} refuses a configuration where two networks share one); the configuration is read once,
 * so the map never changes.
 */
@ApplicationScoped
public class Networks {

    private final List<IrcConfig.Network> all;
    private final Map<String, IrcConfig.Network> byId;

    @Inject
    public Networks(IrcConfig irc) {
        this(irc.networks());
    }

    /** The networks of a configuration, in its order (for tests, and for what builds one without CDI). */
    public Networks(List<IrcConfig.Network> networks) {
        this.all = List.copyOf(networks);
        Map<String, IrcConfig.Network> map = new LinkedHashMap<>();
        for (IrcConfig.Network n : this.all) {
            map.putIfAbsent(n.id(), n);
        }
        this.byId = Collections.unmodifiableMap(map);
    }

    /** The network with this id, if one is configured. */
    public Optional<IrcConfig.Network> byId(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /**
     * The network with this id, for callers that only ever hold ids of configured networks.
     *
     * @throws IllegalArgumentException when no network has this id
     */
    public IrcConfig.Network get(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException(
                "No network with the id '" + id + "' is configured (irc.networks[].id: " + byId.keySet() + ")"));
    }

    /** The name shown to Matrix users for the network, or the id itself when no network has it. */
    public String displayName(String id) {
        return byId(id).map(IrcConfig.Network::displayName).orElse(id);
    }

    /** Every configured network, in the configuration's order. */
    public List<IrcConfig.Network> all() {
        return all;
    }

    /** Whether a network with this id is configured. */
    public boolean isKnown(String id) {
        return byId(id).isPresent();
    }
}
