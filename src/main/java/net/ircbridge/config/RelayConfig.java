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
     * The most lines from IRC (messages, notices, actions) waiting to reach one room. Past it, lines are dropped, and
     * once the room has caught up the bot says how many: a channel (or a hostile server) that talks faster than the
     * homeserver takes it costs bounded memory, not an ever longer queue.
     */
    @WithDefault("1000")
    int maxQueuedIrcLines();

    /** Whether Matrix reactions reach IRC, as an action ("reacted with 👍 to …"). */
    @WithDefault("false")
    boolean reactions();

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
