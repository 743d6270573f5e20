package net.ircbridge.irc.kicl;

import java.util.ArrayList;
import java.util.List;

import net.engio.mbassy.listener.Handler;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.defaults.listener.AbstractDefaultListenerBase;
import org.kitteh.irc.client.library.element.ServerMessage;
import org.kitteh.irc.client.library.event.client.ClientReceiveMotdEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;
import org.kitteh.irc.client.library.feature.filter.NumericFilter;

/**
 * Replacement for KICL's {@code DefaultMotdListener} that does not keep the MOTD after it was delivered.
 *
 * <p><b>Why:</b> the default listener keeps every MOTD line twice for the life of the client (the text lines and
 * the raw {@code ServerMessage}s, each holding the full raw line) and copies the text into {@code ServerInfo}.
 * Real networks send MOTDs of 2–10 KB, so that is several KB to tens of KB of heap per idle connection, times
 * thousands of connections, for text nobody reads again. This listener still fires {@link ClientReceiveMotdEvent}
 * with the lines, then drops them. {@code client.getServerInfo().getMotd()} stays empty.
 */
public class TransientMotdListener extends AbstractDefaultListenerBase {
    private List<ServerMessage> motdMessages;

    public TransientMotdListener(Client.WithManagement client) {
        super(client);
    }

    @NumericFilter(375)
    @Handler(priority = Integer.MAX_VALUE - 1)
    public void motdStart(ClientReceiveNumericEvent event) {
        this.motdMessages = new ArrayList<>();
    }

    @NumericFilter(372)
    @Handler(priority = Integer.MAX_VALUE - 1)
    public void motdContent(ClientReceiveNumericEvent event) {
        if (event.getParameters().size() < 2) {
            this.trackException(event, "MOTD message too short");
            return;
        }
        if (this.motdMessages == null) {
            this.motdMessages = new ArrayList<>();
        }
        this.motdMessages.add(event.getServerMessage());
    }

    @NumericFilter(376)
    @Handler(priority = Integer.MAX_VALUE - 1)
    public void motdEnd(ClientReceiveNumericEvent event) {
        List<ServerMessage> messages = this.motdMessages == null ? new ArrayList<>() : this.motdMessages;
        this.motdMessages = null;
        messages.add(event.getServerMessage());
        this.fire(new ClientReceiveMotdEvent(this.getClient(), messages));
    }
}
