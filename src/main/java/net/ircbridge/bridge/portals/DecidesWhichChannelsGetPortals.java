package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.AllowsSoManyAMinute;
import net.ircbridge.bridge.SaysAtMostOnceAMinute;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcNicks;
import net.ircbridge.irc.ShowsIrcState;
import org.jboss.logging.Logger;

/**
 * Decides whether a channel asked for by its alias gets a portal room made now, by the network's
 * {@code dynamic-channels}: a channel name on that network, on-demand portals enabled, allowed and not denied by
 * the patterns, fewer than {@code max-rooms} made, within {@code new-rooms-per-minute}, and (with
 * {@code require-existing}) already on IRC. The homeserver's question carries no requester, so the limits hold for
 * every asker alike. Refusals are logged, each kind at most once a minute per network, so that a flood of questions
 * cannot flood the log.
 */
@ApplicationScoped
public class DecidesWhichChannelsGetPortals {

    private static final Logger LOG = Logger.getLogger(DecidesWhichChannelsGetPortals.class);

    private final ShowsIrcState bots;
    private final PortalDirectory portals;
    private final Map<String, Rules> rules = new ConcurrentHashMap<>();
    /** When each kind of refusal was last logged, by network and kind: a few keys per network, never more. */
    private final Map<Refusal, SaysAtMostOnceAMinute> refusalLogs = new ConcurrentHashMap<>();

    /** A kind of refusal on a network: its reason without the numbers in it. */
    private record Refusal(String network, String reason) {
    }

    /** One network's settings, with its patterns compiled and its bucket. */
    private record Rules(IrcConfig.Network network, MatchesChannelGlobs allow, MatchesChannelGlobs deny,
            AllowsSoManyAMinute rate) {
    }

    public DecidesWhichChannelsGetPortals(Networks networks, ShowsIrcState bots, PortalDirectory portals) {
        this.bots = bots;
        this.portals = portals;
        for (IrcConfig.Network n : networks.all()) {
            IrcConfig.DynamicChannels d = n.dynamicChannels();
            rules.put(n.id(), new Rules(n, new MatchesChannelGlobs(d.allow().orElse(List.of())),
                    new MatchesChannelGlobs(d.deny().orElse(List.of())), new AllowsSoManyAMinute(d.newRoomsPerMinute())));
        }
    }

    /** Completes with true when a portal may be made for the channel now; a refusal is logged and answers false. */
    public CompletableFuture<Boolean> mayMake(String network, String channel) {
        Rules r = rules.get(network);
        if (r == null) {
            return CompletableFuture.completedFuture(false);
        }
        Optional<String> refusal = refusal(r, channel);
        if (refusal.isPresent()) {
            return refused(r, refusal.get(), channel);
        }
        if (!r.network().dynamicChannels().requireExisting()) {
            return CompletableFuture.completedFuture(true);
        }
        return bots.channelExists(network, channel).thenCompose(exists -> exists ? CompletableFuture.completedFuture(true)
                : refused(r, "the channel does not exist on IRC (dynamic-channels.require-existing)", channel));
    }

    private Optional<String> refusal(Rules r, String channel) {
        IrcConfig.DynamicChannels d = r.network().dynamicChannels();
        if (!bots.isChannelName(r.network().id(), channel)) {
            return Optional.of("not a channel name on the network");
        }
        if (!d.enabled()) {
            return Optional.of("portals on demand are off (dynamic-channels.enabled)");
        }
        if (r.deny().matchesAny(channel)) {
            return Optional.of("the channel is denied (dynamic-channels.deny)");
        }
        if (!r.allow().isEmpty() && !r.allow().matchesAny(channel)) {
            return Optional.of("the channel is not allowed (dynamic-channels.allow)");
        }
        // Before the count, so that a flood of questions costs no more work than the budget allows.
        if (!r.rate().tryTake()) {
            return Optional.of("too many new rooms this minute (dynamic-channels.new-rooms-per-minute)");
        }
        long made = portals.countMadeFromAliases(r.network().id());
        if (made >= d.maxRooms()) {
            return Optional.of("the network has " + d.maxRooms() + " portal rooms already (dynamic-channels.max-rooms)");
        }
        return Optional.empty();
    }

    private CompletableFuture<Boolean> refused(Rules r, String reason, String channel) {
        Refusal key = new Refusal(r.network().id(), reason.replaceAll("[0-9]", ""));
        if (refusalLogs.computeIfAbsent(key, k -> new SaysAtMostOnceAMinute()).due()) {
            LOG.warnf("No portal room for %s on %s: %s (said once a minute; the alias is answered as unknown)",
                    IrcNicks.safeText(channel), r.network().displayName(), reason);
        }
        return CompletableFuture.completedFuture(false);
    }
}
