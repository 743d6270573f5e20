package net.ircbridge.irc;

/** What a server answered to a KNOCK, by the numerics of RFC-style servers (InspIRCd's notice counts as 711). */
public enum KnockAnswer {
    /** 711 (or InspIRCd's "KNOCKing on" notice): delivered; it waits for a channel operator. */
    DELIVERED,
    /** 713: the channel is open, no knock is needed. */
    CHANNEL_OPEN,
    /** 714: the connection is on the channel already. */
    ALREADY_ON_CHANNEL,
    /** 480: the channel takes no knocks ({@code +K}). */
    NOT_ALLOWED,
    /** 421 for KNOCK: the server has no KNOCK command (ngIRCd). */
    UNSUPPORTED;

    /** The answer a numeric means; null for one that is no answer to a KNOCK. */
    static KnockAnswer of(int numeric) {
        return switch (numeric) {
            case 711 -> DELIVERED;
            case 713 -> CHANNEL_OPEN;
            case 714 -> ALREADY_ON_CHANNEL;
            case 480 -> NOT_ALLOWED;
            case 421 -> UNSUPPORTED;
            default -> null;
        };
    }
}
