package net.ircbridge.irc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.Networks;
import org.jboss.logging.Logger;

/**
 * When a Matrix user's connection that dropped is tried again: the reconnect side of {@link ConnectionLifecycle} for
 * every (user, network), with its backoff ({@link ConnectionLifecycle.Policy#user}: the network's
 * {@code reconnect-delay-seconds}, doubling to 5 minutes). The core asks for a reconnect when it has soft-kicked
 * the user; once it is due, this says so with {@link IrcEvent.ReconnectDue}, naming the channels asked for since the
 * last one, and the core decides which of them still wait for the user (only it knows the rooms) and connects them.
 *
 * <p>One reconnect is scheduled per user and network at a time: asking again before it is due adds channels to it.
 * Failures in a row make the wait longer; the connection being on a channel again makes the next one the first.
 */
@ApplicationScoped
public class SchedulesUsersReconnects {

    private static final Logger LOG = Logger.getLogger(SchedulesUsersReconnects.class);

    private final Networks networks;
    private final Instance<ReceivesIrcEvents> receivers;
    /** Each dropped connection's state and failures in a row. Forgotten once back on a channel, or given up on. */
    private final Map<IrcUserConnections.OwnerOnNetwork, ConnectionLifecycle> lifecycles = new ConcurrentHashMap<>();
    /** Reconnects scheduled, with the channels to offer back when due: one at a time per user and network. */
    private final Map<IrcUserConnections.OwnerOnNetwork, Set<String>> scheduled = new ConcurrentHashMap<>();

    public SchedulesUsersReconnects(Networks networks, Instance<ReceivesIrcEvents> receivers) {
        this.networks = networks;
        this.receivers = receivers;
    }

    /**
     * {@code owner}'s connection to the network dropped, or an attempt to make it again failed: due again after the
     * wait its failures in a row make, with {@code channels} (and any asked for meanwhile).
     */
    void reconnectLater(String network, String owner, Set<String> channels) {
        IrcUserConnections.OwnerOnNetwork key = new IrcUserConnections.OwnerOnNetwork(network, owner);
        // Before the guard below: a lookup that threw after it would leave the user with no reconnect ever again.
        ConnectionLifecycle.Policy policy = ConnectionLifecycle.Policy.user(networks.get(network).reconnectDelaySeconds());
        boolean[] first = new boolean[1];
        scheduled.compute(key, (k, waiting) -> {
            Set<String> all = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
            first[0] = waiting == null;
            all.addAll(channels);
            return all;
        });
        if (!first[0]) {
            return;
        }
        ConnectionLifecycle life = lifecycles.computeIfAbsent(key, k -> new ConnectionLifecycle(policy));
        long delay;
        synchronized (life) {
            // Dropped (or an attempt failed): lost, with the wait the failures in a row make. One that is lost
            // already has its retry on the way; this one waits as long.
            ConnectionLifecycle.Transition lost = life.ended(ConnectionLifecycle.End.DROPPED);
            delay = lost.changed() ? lost.retryInMillis() : policy.delayAfter(Math.max(0, life.failures() - 1));
        }
        LOG.infof("Reconnecting %s to %s in %d ms", owner, networks.displayName(network), delay);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            // Reconnecting from here on: a drop reported meanwhile is this attempt's failure, with a longer wait.
            synchronized (life) {
                life.retryDue();
            }
            Set<String> due = Set.copyOf(scheduled.remove(key));
            publish(new IrcEvent.ReconnectDue(network, owner, due));
        });
    }

    /** {@code owner}'s connection is on a channel again: the next drop waits the first delay again. */
    void backOnAChannel(String network, String owner) {
        lifecycles.remove(new IrcUserConnections.OwnerOnNetwork(network, owner));
    }

    /** No reconnect is wanted any more (refused for good, or nothing waits for the user): the failures are forgotten. */
    void forget(String network, String owner) {
        lifecycles.remove(new IrcUserConnections.OwnerOnNetwork(network, owner));
    }


    private void publish(IrcEvent event) {
        ReceivesIrcEvents.tellEach(receivers, event);
    }
}
