package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.PostsNoticesInRooms;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * A network's rooms hear from the bot when the bot's own connection to the network is lost ({@code texts.network-lost},
 * naming the cause) and when it is back ({@code texts.network-back}): without it, a room whose channel went quiet
 * would look merely quiet. Once per outage (the irc layer reports it so), however often the reconnects fail; on
 * each room's lane, after what IRC said before it.
 */
@ApplicationScoped
public class TellsRoomsWhenTheBotLosesANetwork implements ReceivesIrcEvents {

    private final PortalDirectory portals;
    private final PostsNoticesInRooms notices;
    private final Texts texts;
    private final Networks networks;

    public TellsRoomsWhenTheBotLosesANetwork(PortalDirectory portals, PostsNoticesInRooms notices, Texts texts, Networks networks) {
        this.portals = portals;
        this.notices = notices;
        this.texts = texts;
        this.networks = networks;
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.NetworkLost lost) {
            // The cause may be the server's own words (an ERROR line): cleaned and cut like any text from IRC.
            tell(lost.network(), Texts.fill(texts.templates().networkLost(), "network", networks.displayName(lost.network()),
                    "cause", IrcText.clean(lost.cause())));
        } else if (event instanceof IrcEvent.NetworkBack back) {
            tell(back.network(), Texts.fill(texts.templates().networkBack(), "network", networks.displayName(back.network())));
        }
    }

    private void tell(String network, String text) {
        for (PortalRoom room : portals.all()) {
            if (room.network().equals(network)) {
                notices.post(room.roomId(), text, "about " + network);
            }
        }
    }
}
