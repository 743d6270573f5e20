/**
 * The plumbing that makes, configures, feeds and drives KICL 9.0.0 clients, kept apart from the bridge's own IRC
 * behaviour in {@code net.ircbridge.irc}.
 *
 * <p>What lives here: {@link net.ircbridge.irc.kicl.IrcClientFactory}, the one way a client is made, from an
 * {@link net.ircbridge.irc.kicl.IrcConnectionSpec} (and its CDI producer); the client subclass that drops KICL's two
 * threads per connection ({@code BridgeKiclClient}); what it is built with in place of KICL's defaults: the shared
 * event dispatch ({@link net.ircbridge.irc.kicl.SharedEventDispatch}), the token-bucket sending queue
 * ({@link net.ircbridge.irc.kicl.ScheduledSendingQueue}, {@link net.ircbridge.irc.kicl.SendRate}), the input inbox
 * on a shared pool ({@code SerialInbox}), the logging exception listener, the MOTD listener that keeps nothing; what
 * stands between the socket and KICL's parser (the malformed-line filter, the NAMES limiter); and the TLS trust
 * managers that check the server's name as well as its chain
 * ({@link net.ircbridge.irc.kicl.ServerCertificateRefused} when they refuse).
 *
 * <p>Why apart: these classes exist because of how KICL is built (its threads, its reflection-reached private
 * members, its defaults that cost memory per connection), and would change with another KICL version or another
 * IRC library; the connection logic in {@code net.ircbridge.irc} (lifecycle, user connections, the bot, intents,
 * events, nick and channel rules) only asks them for a client and listens to its events. Most of the package is
 * package-private; what {@code net.ircbridge.irc} needs is the small public face of
 * {@link net.ircbridge.irc.kicl.IrcClientFactory}.
 */
package net.ircbridge.irc.kicl;
