package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.config.IrcConfig;
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
    private final IrcConfig irc;

    public TellsAdminsWhyTheBotCannotConnect(TellsUsersInTheirAdminRoom admin, IrcConfig irc) {
        this.admin = admin;
        this.irc = irc;
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.BotCannotConnect e) {
            String name = irc.networks().stream().filter(n -> n.id().equals(e.network())).findFirst()
                    .map(IrcConfig.Network::displayName).orElse(e.network());
            admin.tellAdmins("The bridge cannot connect to " + name + ": " + IrcText.clean(e.reason())
                    + ". It sends nothing there and tries again now and then; check the network's host, tls-ca-file and"
                    + " certificate.");
        }
    }
}
