package net.ircbridge.matrix;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.ircbridge.config.AppserviceConfig;
import net.ircbridge.config.HomeserverConfig;
import org.jboss.logging.Logger;

/**
 * Before the bridge goes to work: is the homeserver there, does it know the bridge's token, and can it reach the
 * bridge? Each failure is logged as what is wrong and what to fix, not as a stack trace.
 */
@ApplicationScoped
public class ChecksHomeserverAtStartup {

    private static final Logger LOG = Logger.getLogger(ChecksHomeserverAtStartup.class);
    /** Pings tried before a connection failure counts. */
    private static final int PING_ATTEMPTS = 3;

    private final HomeserverClient client;
    private final HomeserverConfig homeserver;
    private final AppserviceConfig appservice;

    public ChecksHomeserverAtStartup(HomeserverClient client, HomeserverConfig homeserver, AppserviceConfig appservice) {
        this.client = client;
        this.homeserver = homeserver;
        this.appservice = appservice;
    }

    /** Waits until the homeserver answers, checks the token and registers the bot; false if the bridge cannot go on. */
    public boolean homeserverAcceptsTheBridge() throws InterruptedException {
        long delay = 1000;
        while (true) {
            try {
                // Versions needs no token, but a homeserver may still check one that is sent: whoami then tells.
                client.versions().get(30, TimeUnit.SECONDS);
                break;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof MatrixException) {
                    break;
                }
                LOG.errorf("Cannot reach the homeserver at %s (%s). Is it running, and is homeserver.url right? Trying again in %d s.",
                        homeserver.url(), describe(e), delay / 1000);
            } catch (TimeoutException e) {
                LOG.errorf("The homeserver at %s does not answer. Is it running, and is homeserver.url right? Trying again in %d s.",
                        homeserver.url(), delay / 1000);
            }
            Thread.sleep(delay);
            delay = Math.min(delay * 2, 30_000);
        }
        try {
            String me = client.whoami(null).get(30, TimeUnit.SECONDS);
            if (!me.equals(client.botUserId())) {
                LOG.errorf("The homeserver says this bridge's as_token belongs to %s, but the configuration makes the bot %s:"
                        + " appservice.bot-localpart and homeserver.domain must match sender_localpart of the registration"
                        + " and the homeserver's server name.", me, client.botUserId());
                return false;
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MatrixException m && m.status() == 401) {
                LOG.errorf("The homeserver at %s does not know this bridge's as_token (%s). Add the registration file"
                        + " to the homeserver (Synapse: app_service_config_files), make sure its tokens match"
                        + " appservice.registration, and restart the homeserver.", homeserver.url(), m.errcode());
            } else {
                LOG.errorf("The homeserver at %s refused the bridge: %s", homeserver.url(), describe(e));
            }
            return false;
        } catch (TimeoutException e) {
            LOG.errorf("The homeserver at %s did not answer in time", homeserver.url());
            return false;
        }
        try {
            client.registerUser(appservice.botLocalpart()).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf("The homeserver at %s did not let the bridge register its bot: %s", homeserver.url(), describe(e));
            return false;
        }
        return true;
    }

    /**
     * Asks the homeserver to ping the bridge. The bridge's HTTP server must already be listening.
     *
     * @return whether the homeserver reached the bridge
     */
    public boolean homeserverReachesTheBridge() {
        // A loaded homeserver can fail one ping on its own side (Synapse: 502 M_CONNECTION_FAILED "AlreadyCalled"
        // when its request to the bridge timed out while the bridge was still starting): a connection failure is
        // tried again a few times before it counts, each with a fresh transaction id.
        for (int attempt = 1; ; attempt++) {
            try {
                long ms = client.pingAppservice(appservice.id(), "startup-" + UUID.randomUUID()).get(60, TimeUnit.SECONDS);
                LOG.infof("Homeserver ping succeeded: the homeserver reached the bridge at %s in %d ms", appservice.url(), ms);
                return true;
            } catch (ExecutionException | CompletionException e) {
                if (attempt == PING_ATTEMPTS || !(e.getCause() instanceof MatrixException m && m.errcode().startsWith("M_CONNECTION"))) {
                    return reportPingFailure(e);
                }
                LOG.warnf("The homeserver did not reach the bridge at attempt %d of %d (%s); asking again in %d s", attempt,
                        PING_ATTEMPTS, describe(e), 2 * attempt);
            } catch (TimeoutException e) {
                return reportPingFailure(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(2000L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Says what a failed ping means and what to fix; true only where the homeserver cannot ping at all. */
    private boolean reportPingFailure(Exception e) {
        if (e instanceof TimeoutException) {
            LOG.errorf("Homeserver ping failed: no answer within 60 s; the homeserver may be unable to reach the bridge at %s",
                    appservice.url());
            return false;
        }
        Throwable cause = e.getCause();
        if (cause instanceof MatrixException m && (m.errcode().startsWith("M_CONNECTION"))) {
            LOG.errorf("Homeserver ping failed: the homeserver cannot reach the bridge at %s (%s). Check that"
                    + " appservice.url (and url in the registration file) is the address at which the homeserver"
                    + " reaches this bridge, that the bridge listens there (appservice.address %s, port %d), and"
                    + " that the homeserver was restarted after the registration changed.",
                    appservice.url(), m.getMessage(), appservice.address(), appservice.port());
        } else if (cause instanceof MatrixException m && "M_BAD_STATUS".equals(m.errcode())) {
            LOG.errorf("Homeserver ping failed: the homeserver reached the bridge but the bridge refused it (%s): the"
                    + " hs_token the homeserver has differs from the bridge's. Restart the homeserver after"
                    + " regenerating the registration file.", m.getMessage());
        } else if (cause instanceof MatrixException m && m.status() == 403) {
            LOG.errorf("Homeserver ping failed (%s): appservice.id '%s' is not the id of the registration the"
                    + " homeserver loaded with this as_token.", m.getMessage(), appservice.id());
        } else if (cause instanceof MatrixException m && m.status() == 404 && "M_UNRECOGNIZED".equals(m.errcode())) {
            LOG.warnf("The homeserver does not support the appservice ping (spec v1.7); cannot check that it reaches the bridge");
            return true;
        } else {
            LOG.errorf("Homeserver ping failed: %s", describe(e));
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
