package net.ircbridge.irc.kicl;

import java.time.Duration;
import java.util.Objects;

/**
 * Token-bucket line rate for one IRC connection's scheduled (non-immediate) lines.
 *
 * <p>A connection may send up to {@code burst} lines at once; after that one line every {@code interval}.
 * The bucket refills continuously at one token per {@code interval} up to {@code burst} tokens.
 * {@link #UNLIMITED} (interval zero) sends everything at once. KICL's own default is one line every 1200 ms
 * with no burst ({@code SingleDelaySender}), which is the same as {@code SendRate.of(1, 1200 ms)}.
 *
 * @param burst    lines that may be sent back to back after a quiet period, at least 1
 * @param interval time that earns one more line; zero means no limit
 */
public record SendRate(int burst, Duration interval) {

    /** The bridge's default for now: a burst of 5 lines, then one line every 1200 ms (like KICL's spacing). */
    public static final SendRate DEFAULT = new SendRate(5, Duration.ofMillis(1200));

    /** No rate limit: every scheduled line is handed on as soon as it is queued. */
    public static final SendRate UNLIMITED = new SendRate(1, Duration.ZERO);

    public SendRate {
        Objects.requireNonNull(interval, "interval");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
    }

    public static SendRate of(int burst, Duration interval) {
        return new SendRate(burst, interval);
    }

    /** The rate configured for a network's connections ({@code send-rate}). */
    public static SendRate of(net.ircbridge.config.IrcConfig.Network network) {
        return new SendRate(network.sendRate().burst(), Duration.ofMillis(network.sendRate().intervalMillis()));
    }

    long intervalNanos() {
        return this.interval.toNanos();
    }
}
