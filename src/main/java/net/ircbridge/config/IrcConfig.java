package net.ircbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The IRC networks the bridge connects to. */
@ConfigMapping(prefix = "irc")
public interface IrcConfig {

    /** The bridged networks, at least one. */
    List<Network> networks();

    /** One IRC network. */
    interface Network {

        /** Short id of the network, used in user ids and aliases. */
        String id();

        /** Name shown to Matrix users. */
        Optional<String> name();

        /** Host name of the IRC server. */
        String host();

        /** Port of the IRC server. */
        @WithDefault("6667")
        int port();

        /** Connect with TLS. */
        @WithDefault("false")
        boolean tls();

        /**
         * Verify the server's TLS certificate: its chain (to the JVM's trusted CAs, or to {@link #tlsCaFile()}) and
         * that it is for {@link #host()} (a DNS name or IP address in its subject alternative names). {@code false}
         * turns both off, with a warning at start-up: anyone between the bridge and the server could then read every
         * password the bridge sends there.
         */
        @WithDefault("true")
        boolean tlsVerify();

        /**
         * A PEM file of the CA certificate(s) that sign the network's TLS certificate, for networks with a CA of their
         * own; then only these are trusted for it, not the JVM's. Relative to the configuration file's directory.
         * Not set: the JVM's trusted CAs.
         */
        Optional<String> tlsCaFile();

        /**
         * Send secrets to a network without TLS: the server password ({@code PASS}), the bot's and users' SASL PLAIN
         * logins and NickServ {@code IDENTIFY}. Off: the bridge refuses to, and says why. Only for a network the bridge
         * reaches over a link nobody else can read (the same machine, say).
         */
        @WithDefault("false")
        boolean allowPlaintextSecrets();

        /** Whether secrets may go to this network: it uses TLS, or plain text was allowed for them. */
        default boolean secretsMayBeSent() {
            return tls() || allowPlaintextSecrets();
        }

        /** Server password (PASS), if the network needs one. */
        Optional<String> password();

        /** Nick of the bridge bot on this network. */
        @WithDefault("MatrixBridge")
        String botNick();

        /**
         * The bot's account with the network's services: the bot logs in with SASL PLAIN on every connection.
         * Registered-only channels ({@code +R}) let it in only then. Not set: the bot is not identified.
         */
        Optional<String> botAccount();

        /** The password of {@link #botAccount()}; set both or neither. */
        Optional<String> botPassword();

        /** Nick of a Matrix user on IRC, with {displayname} and {localpart}. */
        @WithDefault("{displayname}[m]")
        String nickTemplate();

        /** Publish rooms made for this network's channels in the homeserver's room directory. */
        @WithDefault("false")
        boolean publishRooms();

        /** IRC channels bridged to existing Matrix rooms. */
        List<ChannelMapping> channels();

        /** Which channels get a portal room made when someone asks for their alias. */
        DynamicChannels dynamicChannels();

        /** Connection limits towards this network. */
        Limits limits();

        /**
         * Seconds a QUIT caused by a netsplit is held: users who come back within it (the netjoin) never leave
         * Matrix; the others leave with the split reason once it has passed.
         */
        @WithDefault("60")
        int netsplitWaitSeconds();

        /**
         * The most IRC users of one channel mirrored into its room as ghosts. A channel with more (or a server that
         * claims so) has only this many in the room, and the room is told; the others still speak, through the bot.
         * Bounds the work a NAMES reply of a huge, or hostile, channel makes: connections track at most twice this
         * many of a channel's nicks (and at least 100).
         */
        @WithDefault("2000")
        int maxMirroredMembers();

        /**
         * Seconds before a dropped Matrix user's connection is first tried again (half to all of this, with jitter);
         * each failure doubles it, up to 5 minutes.
         */
        @WithDefault("2")
        int reconnectDelaySeconds();

        /**
         * Disconnect a Matrix user's IRC connection after this long without activity from them in the network's
         * rooms (a message, a join, a name change), with a soft kick that says so; joining again reconnects.
         * ISO-8601 ({@code P30D}) or {@code 30d}, {@code 12h}. Not set: never.
         */
        Optional<java.time.Duration> idleTimeout();

        /**
         * Seconds IRC messages for a room are held while a Matrix user joined to it is not on the channel yet
         * (connecting, reconnecting after a restart); a user not there by then is soft-kicked, and the messages go out.
         */
        @WithDefault("5")
        int absenceGraceSeconds();

        /** Matrix power levels given to ghosts for their status on a channel. */
        PowerLevels powerLevels();

        /** The name shown to Matrix users, or the id when none is configured. */
        default String displayName() {
            return name().orElse(id());
        }

        /**
         * How fast each of the bridge's connections to this network (the bot's and every Matrix user's) sends
         * lines: a token bucket, so that a burst of Matrix messages is spread out instead of earning an "Excess
         * Flood" from the server.
         */
        SendRateSettings sendRate();

        /**
         * The join rule of a room whose channel is neither invite-only ({@code +i}), keyed ({@code +k}) nor
         * registered-only: {@code public}, {@code knock} or {@code invite}. Invite-only and keyed channels make it
         * {@code knock} (a key cannot be shown to Matrix users), registered-only ones {@code restricted}.
         */
        @WithDefault("public")
        String defaultJoinRule();

        /**
         * The channel mode letter of channels that admit only users identified to an account: {@code R} on InspIRCd
         * (and UnrealIRCd), {@code r} on Solanum and ircd-seven. Their rooms become {@code restricted} rooms.
         */
        @WithDefault("R")
        String registeredOnlyMode();

        /**
         * The nick of the network's account service. {@code !login} identifies a connection that is already
         * registered by sending it {@code IDENTIFY account password}, and {@code !logout} sends it {@code LOGOUT};
         * new connections log in with SASL instead.
         */
        @WithDefault("NickServ")
        String servicesNick();

        /**
         * The server name of the network's services (e.g. {@code services.libera.chat}). When set, {@code !login}
         * identifies a connection that is already up by sending {@code IDENTIFY} to {@code services-nick@services-server},
         * which the IRC server delivers only to the services on that server, never to a user who took the nick. When not
         * set, such a connection reconnects and logs in with SASL instead (it quits and joins its channels again; the
         * rooms' IRC messages wait meanwhile). The password never goes to the bare nick.
         */
        Optional<String> servicesServer();

        /** The network's space, which the bot creates and which lists every bridged room of the network. */
        SpaceSettings space();

        /**
         * How long a knock's IRC connection waits for a channel operator's INVITE. After it, a connection that is
         * on no channel quits; the knock stays pending in Matrix (knocks don't expire there), where a moderator may
         * still accept it, and the knocker can withdraw and knock again to ask IRC again. {@code 1d}, {@code 6h},
         * ISO-8601 ({@code P1D}).
         */
        @WithDefault("1d")
        java.time.Duration knockTimeout();
    }

    /** A network's space: its name, topic and avatar. */
    interface SpaceSettings {

        /** The space's name; not set: the network's name. */
        Optional<String> name();

        /** The space's topic. {network}: the network's name. */
        @WithDefault("IRC channels bridged from {network}")
        String topic();

        /** The space's avatar, an mxc:// URI; not set: none. */
        Optional<String> avatar();
    }

    /**
     * Portal rooms made on demand, when someone asks the homeserver for a channel's alias. Anyone on any federated
     * homeserver can ask, and the homeserver's question doesn't say who asked, so these limits apply to every
     * question alike; a refused one answers that the alias doesn't exist. Rooms already made stay.
     */
    interface DynamicChannels {

        /** Make portal rooms on demand at all; false: only the channels configured in {@code channels}. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Glob patterns ({@code *} any run, {@code ?} one character, case-insensitive) of the channels that may get
         * a portal, with their {@code #}; empty: every channel.
         */
        Optional<List<String>> allow();

        /** Glob patterns of channels that never get a portal on demand, even when {@code allow} matches. */
        Optional<List<String>> deny();

        /** Largest number of portal rooms made on demand for this network; 0: none. */
        @WithDefault("1000")
        int maxRooms();

        /**
         * New portal rooms per minute for this network, whoever asks (a token bucket of this size, refilled at this
         * rate): the homeserver's alias question carries no requester, so no finer limit can be applied there.
         */
        @WithDefault("10")
        int newRoomsPerMinute();

        /**
         * Make a portal only for a channel that exists on IRC already (someone is on it, or services keep it), so
         * that the bot never founds, and gets operator status on, a channel nobody made.
         */
        @WithDefault("true")
        boolean requireExisting();

        /** New portal rooms federate; false creates them with {@code m.federate: false} (local users only). */
        @WithDefault("true")
        boolean federate();
    }

    /** An IRC channel bridged to an existing Matrix room. */
    interface ChannelMapping {

        /** The IRC channel, with its '#'. */
        String channel();

        /** The Matrix room id. */
        String room();
    }

    /**
     * The power level a ghost gets in a room for its status on the channel; losing the status lowers it again.
     * Owners and admins ({@code ~}, {@code &}) count as operators.
     */
    interface PowerLevels {

        /** Power level of channel operators ({@code @}). */
        @WithDefault("50")
        int operator();

        /** Power level of half-operators ({@code %}). */
        @WithDefault("25")
        int halfOperator();

        /** Power level of voiced users ({@code +}). */
        @WithDefault("10")
        int voice();
    }

    /** Limits on the connections the bridge opens to one network. */
    interface Limits {

        /** Largest number of IRC connections the bridge opens to this network for Matrix users. */
        @WithDefault("2000")
        int maxConnections();

        /** Largest number of new connections per second to this network. */
        @WithDefault("5")
        double connectionsPerSecond();
    }

    /**
     * A token bucket per connection: up to {@code burst} lines at once, then one line every {@code interval-millis}.
     * The defaults stay within the flood limits of common servers (InspIRCd, Solanum: about one line a second after
     * a short burst).
     */
    interface SendRateSettings {

        /** Lines a connection may send back to back after a quiet moment; at least 1. */
        @WithDefault("5")
        int burst();

        /** Milliseconds that earn one more line; 0 means no limit (only for servers that exempt the bridge). */
        @WithDefault("1200")
        int intervalMillis();
    }
}
