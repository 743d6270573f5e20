package net.ircbridge.bridge.admin;

import net.ircbridge.bridge.formatting.IrcText;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;

/**
 * The bridge's admins ({@code bridge.admins}) hear when the bot cannot connect to a network for a reason only they can
 * fix, such as a TLS certificate for another name: once, until the bot connects again (the irc layer keeps trying
 * with backoff). Without admins, the text goes to the log.
 */
@ApplicationScoped
public class TellsAdminsWhyTheBotCannotConnect implements ReceivesIrcEvents {

    private final TellsUsersInTheirAdminRoom admin;
    private final Networks networks;

    public TellsAdminsWhyTheBotCannotConnect(TellsUsersInTheirAdminRoom admin, Networks networks) {
        this.admin = admin;
        this.networks = networks;
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.BotCannotConnect e) {
            String name = networks.displayName(e.network());
            admin.tellAdmins("The bridge cannot connect to " + name + ": " + IrcText.clean(e.reason())
                    + ". It sends nothing there and tries again now and then; check the network's host, tls-ca-file and"
                    + " certificate.");
        }
    }
}
