package net.ircbridge.irc;

/**
 * A line the bridge would not send, because one of its parameters cannot stand on IRC: a target that is a mask, a
 * list, a channel where a nick belongs, or holds a space; a parameter that would end the command; a line that
 * cannot be made to fit. Nothing of the line was sent. The message says why, in words a Matrix user can read.
 */
public class IrcLineRefused extends RuntimeException {

    private final String value;

    public IrcLineRefused(String value, String reason) {
        super(reason, null, false, false);
        this.value = value;
    }

    /** The parameter that was refused, as it was given. */
    public String value() {
        return value;
    }

    /** Why, for the person whose line it was. */
    public String reason() {
        return getMessage();
    }
}
