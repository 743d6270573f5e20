package net.ircbridge.irc;

import net.ircbridge.irc.kicl.ServerCertificateRefused;
import org.kitteh.irc.client.library.event.connection.ClientConnectionClosedEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;

/** Why a connection ended, in the server's words where it gave any (an ERROR line: K-line, bad password, ...). */
final class IrcConnectionEnd {

    private IrcConnectionEnd() {
    }

    /** Servers' words for a ban from the whole server: K-, G-, Z- or D-lines, AKILLs, "You are banned". */
    private static final java.util.regex.Pattern BANNED = java.util.regex.Pattern.compile(
            "(?i)\\b([kgzd]-?lined|akill(ed)?|you are banned|banned from this server)\\b");

    /** Whether a server's ERROR text means the user is banned from the server (as opposed to a KILL or a restart). */
    static boolean meansBanned(String text) {
        return text != null && BANNED.matcher(text).find();
    }

    /** The bridge's refusal of the server's TLS certificate, when that is why the connection ended. */
    static java.util.Optional<String> certificateRefused(ClientConnectionEndedEvent event) {
        return event.getCause().flatMap(ServerCertificateRefused::in).map(Throwable::getMessage);
    }

    static String describe(ClientConnectionEndedEvent event) {
        return describe(event, null);
    }

    /**
     * @param serverSaid the text of the last ERROR (or KILL) line the server sent, if any: the best account of why
     */
    /** Whether the connection's last line from the server was an ERROR (whose text {@link #describe} then gives). */
    static boolean endedWithError(ClientConnectionEndedEvent event) {
        return event instanceof ClientConnectionClosedEvent closed && closed.getLastMessage().filter(m -> m.contains("ERROR")).isPresent();
    }

    static String describe(ClientConnectionEndedEvent event, String serverSaid) {
        if (serverSaid != null && !serverSaid.isBlank()) {
            return serverSaid;
        }
        java.util.Optional<String> refused = certificateRefused(event);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (endedWithError(event)) {
            return ((ClientConnectionClosedEvent) event).getLastMessage().get().replaceFirst("^.*?ERROR :?", "");
        }
        return event.getCause().map(t -> t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName())
                .orElse("connection closed");
    }
}
