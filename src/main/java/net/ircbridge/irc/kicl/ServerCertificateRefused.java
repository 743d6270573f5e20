package net.ircbridge.irc.kicl;

import java.security.cert.CertificateException;

/**
 * The bridge refused an IRC server's TLS certificate: it is for another name, or no trusted CA signed it. The
 * message says which, with the names, in words fit for a log line and an admin's message. Nothing was sent to the
 * server (the TLS handshake never completed), and trying again soon cannot help.
 */
public final class ServerCertificateRefused extends CertificateException {

    public ServerCertificateRefused(String message, Throwable cause) {
        super(message, cause);
    }

    /** The refusal behind a failed connection, if that is what it was (searched through the causes, at most a few deep). */
    public static java.util.Optional<ServerCertificateRefused> in(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof ServerCertificateRefused refused) {
                return java.util.Optional.of(refused);
            }
        }
        return java.util.Optional.empty();
    }
}
