package net.ircbridge.irc;

/** The three ways IRC carries a line of conversation. */
public enum MessageKind {
    /** {@code PRIVMSG}: an ordinary message. */
    MESSAGE,
    /** {@code NOTICE}: a message that must never be answered automatically (bots, services). */
    NOTICE,
    /** CTCP {@code ACTION} inside a {@code PRIVMSG}: "/me waves". */
    ACTION
}
