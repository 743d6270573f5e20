package net.ircbridge.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How conversation crosses the bridge: long messages, replies, reactions and links to media. */
@ConfigMapping(prefix = "relay")
public interface RelayConfig {

    /**
     * The most IRC lines one Matrix message becomes. A longer message is uploaded to the homeserver's media
     * repository as a text file, and IRC gets its first line with a link to the whole text.
     */
    @WithDefault("3")
    int maxLines();

    /** How many characters of the original message a reply quotes on IRC. */
    @WithDefault("40")
    int replyQuoteLength();

    /**
     * The most lines from IRC (messages, notices, actions, topics) waiting to reach one room, in the store's outbox.
     * Past it, lines are dropped, and once the room has caught up the bot says how many. A last resort: reading from
     * the network pauses long before (see {@link #maxRoomBacklog()}), so only what was already on its way when it
     * paused can come past it. Must be more than {@code max-room-backlog}.
     */
    @WithDefault("20000")
    int maxQueuedIrcLines();

    /**
     * How many lines from IRC may wait for one room (the homeserver slow or down) before the bridge stops reading
     * from the network's bot connection: the lines then wait on the IRC server instead, and reading resumes once the
     * room is down to half of this. Lines that wait are in the store, so memory stays flat and a restart loses none.
     * A pause that lasts reads for a second every minute, to answer the server's pings; a server whose send queue
     * for the bot fills up meanwhile may still drop the bot, which then reconnects. Default: 5000, or half of
     * {@code max-queued-irc-lines} when that is set lower (as configurations from before this key did).
     */
    java.util.OptionalInt maxRoomBacklog();

    /** {@link #maxRoomBacklog()} as set, or its default. */
    static int roomBacklog(RelayConfig relay) {
        return relay.maxRoomBacklog().orElse(Math.max(1, Math.min(DEFAULT_ROOM_BACKLOG, relay.maxQueuedIrcLines() / 2)));
    }

    /** {@link #maxRoomBacklog()} when {@code max-queued-irc-lines} leaves room for it. */
    int DEFAULT_ROOM_BACKLOG = 5000;

    /** Whether Matrix reactions reach IRC, as an action ("reacted with 👍 to …"). */
    @WithDefault("false")
    boolean reactions();

    /**
     * How long a Matrix event whose handling failed for a moment (the database or the homeserver unavailable, a
     * connection reset) is tried again, with growing pauses, before the bridge gives up and tells its sender in the
     * room why ({@code texts.not-handled}). The room's later events wait meanwhile, so that none overtakes it; other
     * rooms go on. Counted from the event's first failure; e.g. {@code 60s}.
     */
    @WithDefault("60s")
    Duration retryFailedEventsFor();

    /**
     * Base URL at which IRC users reach the media links the bridge serves (files, images, long messages), for
     * example {@code https://bridge.example.org}; the bridge answers them under {@code /_ircbridge/media/} on its
     * appservice port, so a reverse proxy must pass that path on. Empty: {@code appservice.url}.
     */
    Optional<String> mediaUrl();

    /** Limits of the media links the bridge serves to anyone who has one. */
    Media media();

    /**
     * The media links are open to anyone who has one (IRC users have no Matrix account), so what one download
     * may cost the bridge is bounded here.
     */
    interface Media {

        /**
         * The largest file the bridge passes on, in bytes with an optional K, M or G suffix (powers of 1024), e.g.
         * {@code 100M}. A larger file is refused (413) when the homeserver says its size, and cut off when it
         * doesn't; files are streamed, never held in memory whole.
         */
        @WithDefault("100M")
        @WithConverter(MemorySizeConverter.class)
        MemorySize maxSize();

        /** How many files the bridge passes on at once; one more is refused with 503 and {@code Retry-After}. */
        @WithDefault("8")
        int maxConcurrentDownloads();

        /**
         * How long a link works after the bridge made it, e.g. {@code 7d}; an expired link answers 410 Gone. Empty:
         * links never expire (and links made before an expiry was configured, which carry none, keep working
         * until one is).
         */
        Optional<Duration> linkExpiry();
    }
}
