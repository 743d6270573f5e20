package net.ircbridge.bridge.membership;

import net.ircbridge.store.PortalRoomStore.PortalRoom;

import java.util.Optional;

import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.UserOnNetwork;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.matrix.MatrixEvent;
import org.jboss.logging.Logger;

/**
 * On networks with an {@code idle-timeout}, a Matrix user who has done nothing in the network's bridged rooms for
 * that long is disconnected: soft-kicked with a reason that says so and that joining again reconnects, and not
 * invited back (nothing will change by itself). Idleness is counted from the last activity this process saw, so a
 * restart of the bridge starts everyone's count afresh: the bridge errs towards keeping people connected.
 */
@ApplicationScoped
public class DisconnectsIdleUsers implements HandlesMatrixEvent {

    private static final Logger LOG = Logger.getLogger(DisconnectsIdleUsers.class);

    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final PortalDirectory portals;
    private final MatrixNames names;
    private final SoftKicksWhenConnectionsDrop softKicks;
    private final Texts texts;
    private final Map<String, Duration> timeouts = new ConcurrentHashMap<>();
    private final Networks networks;
    /** Last activity per user and network (System.nanoTime). */
    private final Map<UserOnNetwork, Long> lastActive = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks;

    public DisconnectsIdleUsers(ShowsIrcState connections, PerformsIrcIntents irc, PortalDirectory portals,
            MatrixNames names, SoftKicksWhenConnectionsDrop softKicks, Texts texts, Networks networks) {
        this.connections = connections;
        this.irc = irc;
        this.portals = portals;
        this.names = names;
        this.softKicks = softKicks;
        this.texts = texts;
        this.networks = networks;
        networks.all().forEach(n -> n.idleTimeout().ifPresent(t -> timeouts.put(n.id(), t)));
        if (timeouts.isEmpty()) {
            checks = null;
            return;
        }
        checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-users");
            t.setDaemon(true);
            return t;
        });
        // Checked a few times per timeout (at least once a minute), so nobody stays much longer than it.
        long shortest = timeouts.values().stream().mapToLong(Duration::toMillis).min().orElse(60_000);
        long every = Math.max(200, Math.min(60_000, shortest / 4));
        checks.scheduleWithFixedDelay(this::disconnectIdleUsers, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        String sender = event.sender();
        if (!timeouts.isEmpty() && sender != null && !names.isBridgeUser(sender)) {
            portal.ifPresent(room -> lastActive.put(new UserOnNetwork(sender, room.network()), System.nanoTime()));
        }
        return CompletableFuture.completedFuture(null);
    }

    void disconnectIdleUsers() {
        try {
            long now = System.nanoTime();
            timeouts.forEach((network, timeout) -> connections.onNetwork(network).forEach(connection -> {
                UserOnNetwork key = new UserOnNetwork(connection.owner(), network);
                // A connection the bridge has not seen any activity for yet starts counting now.
                long since = lastActive.computeIfAbsent(key, k -> now);
                if (now - since >= timeout.toNanos() && connection.nick() != null) {
                    disconnect(network, connection, timeout);
                    lastActive.remove(key);
                }
            }));
        } catch (RuntimeException e) {
            LOG.error("Checking for idle users failed", e);
        }
    }

    private void disconnect(String network, UserConnectionView connection, Duration timeout) {
        String idle = describe(timeout);
        String reason = Texts.fill(texts.templates().idleSoftKick(), "network", networks.displayName(network), "idle", idle);
        LOG.infof("Disconnecting %s from %s after %s without activity", connection.owner(), networks.displayName(network), idle);
        for (String channel : connection.channels()) {
            portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> softKicks.softKick(connection.owner(), room, reason, false));
        }
        irc.perform(new IrcIntent.Quit(connection, Texts.fill(texts.templates().idleQuit(), "idle", idle)));
    }

    /** A duration as people say it: "30 days", "12 hours", "90 seconds". */
    static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0 && s > 0) {
            return plural(s / 86_400, "day");
        }
        if (s % 3600 == 0 && s > 0) {
            return plural(s / 3600, "hour");
        }
        if (s % 60 == 0 && s > 0) {
            return plural(s / 60, "minute");
        }
        return plural(s, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    @PreDestroy
    void stop() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }
}
