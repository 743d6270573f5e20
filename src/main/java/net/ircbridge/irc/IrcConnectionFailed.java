package net.ircbridge.irc;

/**
 * A connection that could not be made, or ended. {@code permanent}: trying again cannot help (the server banned
 * the user — K-, G- or Z-line — or refused their credentials), so nobody should retry until something changes.
 */
public class IrcConnectionFailed extends RuntimeException {

    private final boolean permanent;

    public IrcConnectionFailed(String reason, boolean permanent) {
        super(reason, null, false, false);
        this.permanent = permanent;
    }

    /** Why, in the server's words where it gave any. */
    public String reason() {
        return getMessage();
    }

    public boolean permanent() {
        return permanent;
    }
}
