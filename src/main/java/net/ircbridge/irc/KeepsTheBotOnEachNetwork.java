package net.ircbridge.irc;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.engio.mbassy.listener.Handler;
import net.ircbridge.config.IrcConfig;
import org.jboss.logging.Logger;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;
import org.kitteh.irc.client.library.event.client.ClientNegotiationCompleteEvent;

/**
 * One bot connection per network, kept up: connected at start, reconnected with exponential backoff and jitter
 * when it drops (KICL's own reconnect is off), and QUIT with a reason when the bridge stops.
 */
@ApplicationScoped
public class KeepsTheBotOnEachNetwork {

    private static final Logger LOG = Logger.getLogger(KeepsTheBotOnEachNetwork.class);
    static final String QUIT_REASON = "The bridge is shutting down";

    private final IrcClientFactory factory;
    private final List<IrcConfig.Network> networks;
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "irc-bot-reconnect");
        t.setDaemon(true);
        return t;
    });
    private final List<BotConnection> bots;
    private volatile boolean stopping;

    public KeepsTheBotOnEachNetwork(IrcClientFactory factory, IrcConfig irc) {
        this.factory = factory;
        this.networks = irc.networks();
        this.bots = networks.stream().map(BotConnection::new).toList();
    }

    /** Connects the bot to every network. */
    public void connectAll() {
        bots.forEach(BotConnection::connect);
    }

    /** Whether the bot has completed registration on the network. */
    public boolean isConnected(String networkId) {
        return bots.stream().anyMatch(b -> b.network.id().equals(networkId) && b.registered);
    }

    @PreDestroy
    void quitAll() {
        stopping = true;
        reconnects.shutdownNow();
        bots.forEach(BotConnection::quit);
    }

    /** The bot's connection to one network. */
    final class BotConnection {
        private final IrcConfig.Network network;
        private volatile Client client;
        private volatile boolean registered;
        private int failures;

        BotConnection(IrcConfig.Network network) {
            this.network = network;
        }

        synchronized void connect() {
            if (stopping) {
                return;
            }
            IrcConnectionSpec spec = IrcConnectionSpec.of(network.id() + "-bot", network.host(), network.port(), network.tls(),
                    network.botNick(), "bridge", "Matrix bridge bot").withServerPassword(network.password().orElse(null));
            LOG.infof("Connecting the bot to %s (%s:%d) as %s", network.displayName(), network.host(), network.port(),
                    network.botNick());
            client = factory.connect(spec, this);
        }

        @Handler
        public void registered(ClientNegotiationCompleteEvent event) {
            registered = true;
            failures = 0;
            LOG.infof("The bot is connected to %s as %s", network.displayName(), event.getClient().getNick());
        }

        @Handler
        public void ended(ClientConnectionEndedEvent event) {
            registered = false;
            Client ended = event.getClient();
            ended.shutdown();
            if (stopping || ended != client) {
                return;
            }
            long delay = backoffMs(failures++);
            LOG.warnf("The bot's connection to %s ended (%s); reconnecting in %d ms", network.displayName(),
                    event.getCause().map(Throwable::getMessage).orElse(event.getClass().getSimpleName()), delay);
            reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }

        void quit() {
            Client c = client;
            if (c != null) {
                c.shutdown(QUIT_REASON);
            }
        }
    }

    /** 1 s doubling to 5 minutes, with jitter so that bridges restarting together don't reconnect together. */
    static long backoffMs(int failures) {
        long base = Math.min(300_000L, 1000L << Math.min(failures, 9));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
