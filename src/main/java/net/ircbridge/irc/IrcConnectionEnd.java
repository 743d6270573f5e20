package net.ircbridge.irc;

import org.kitteh.irc.client.library.event.connection.ClientConnectionClosedEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;

/** Why a connection ended, in the server's words where it gave any (an ERROR line: K-line, bad password, ...). */
final class IrcConnectionEnd {

    private IrcConnectionEnd() {
    }

    static String describe(ClientConnectionEndedEvent event) {
        if (event instanceof ClientConnectionClosedEvent closed && closed.getLastMessage().isPresent()) {
            return closed.getLastMessage().get();
        }
        return event.getCause().map(t -> t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName())
                .orElse("connection closed");
    }
}
