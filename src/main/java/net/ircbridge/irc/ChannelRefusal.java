package net.ircbridge.irc;

/**
 * Why a channel refused a JOIN, from the server's numeric reply. {@code serverText} is the server's own words.
 * {@link #BANNED} is final until an operator lifts the ban; {@link #OTHER} covers replies worth retrying
 * (437 temporarily unavailable, 405 too many channels).
 */
public enum ChannelRefusal {
    /** 474: banned from the channel ({@code +b}). */
    BANNED(474),
    /** 473: invite only ({@code +i}). */
    INVITE_ONLY(473),
    /** 475: the channel has a key ({@code +k}). */
    BAD_KEY(475),
    /** 471: the channel is full ({@code +l}). */
    FULL(471),
    /** 477: only users identified to an account may join ({@code +R} / {@code +r}). */
    REGISTERED_ONLY(477),
    /** 489: only users connected with TLS may join ({@code +z}). */
    SECURE_ONLY(489),
    /** Anything else that refused the JOIN; worth trying again later. */
    OTHER(0);

    private final int numeric;

    ChannelRefusal(int numeric) {
        this.numeric = numeric;
    }

    public int numeric() {
        return numeric;
    }

    /**
     * The refusal a numeric reply means, {@link #OTHER} for one not listed. ngIRCd answers a registered-only
     * channel ({@code +R}) with 471, the number of a full channel, saying so only in its text
     * ("Cannot join channel (+R) -- Registered users only").
     */
    public static ChannelRefusal of(int numeric, String serverText) {
        if (numeric == 471 && serverText != null && (serverText.contains("(+R)") || serverText.contains("(+r)")
                || serverText.toLowerCase(java.util.Locale.ROOT).contains("registered"))) {
            return REGISTERED_ONLY;
        }
        return of(numeric);
    }

    /** The refusal a numeric reply means, {@link #OTHER} for one not listed. */
    public static ChannelRefusal of(int numeric) {
        for (ChannelRefusal r : values()) {
            if (r.numeric == numeric) {
                return r;
            }
        }
        return OTHER;
    }
}
