package net.ircbridge.matrix;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.ircbridge.config.AppserviceConfig;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.config.ResolvesAppserviceTokens.AppserviceTokens;

/**
 * Web links to files in the homeserver's media repository, for people without a Matrix account. Homeservers
 * serve new media only to authenticated users (Synapse since 1.120), so the links point at the bridge
 * ({@link ServesMediaLinks}), which fetches the file with its own token. Each link carries a signature made with
 * a key only the bridge knows, so the bridge serves only files it has linked to, not the whole media repository.
 *
 * <p>Form: {@code {relay.media-url}/_ircbridge/media/{server}/{media id}/{signature}/{file name}}, or with
 * {@code relay.media.link-expiry} set, {@code …/{media id}/{expires}/{signature}/{file name}} where {@code expires}
 * is the end of the link's life in seconds since 1970, covered by the signature. A link without an expiry (made
 * while none was configured) works only while none is configured.
 */
@ApplicationScoped
public class LinksToMedia {

    static final String PATH = "/_ircbridge/media";
    private static final Pattern MXC = Pattern.compile("mxc://([A-Za-z0-9.:\\[\\]-]+)/([A-Za-z0-9_-]+)");
    /** Seconds since 1970; twelve digits last until the year 33658, and keep the parse cheap. */
    private static final Pattern EXPIRES = Pattern.compile("[0-9]{1,12}");

    /** What a link is worth. */
    enum Check {
        /** The bridge made it and it still works. */
        VALID,
        /** The bridge made it, and its time is over (or it has no expiry while one is configured). */
        EXPIRED,
        /** Not a link the bridge made: the signature doesn't match its parts. */
        NOT_OURS
    }

    private final String baseUrl;
    private final byte[] key;
    private final Optional<Duration> expiry;
    private final Clock clock;

    @jakarta.inject.Inject
    public LinksToMedia(RelayConfig relay, AppserviceConfig appservice, AppserviceTokens tokens) {
        this(relay.mediaUrl().filter(u -> !u.isBlank()).orElse(appservice.url()), tokens.hsToken(), relay.media().linkExpiry(),
                Clock.systemUTC());
    }

    LinksToMedia(String baseUrl, String secret) {
        this(baseUrl, secret, Optional.empty(), Clock.systemUTC());
    }

    LinksToMedia(String baseUrl, String secret, Optional<Duration> expiry, Clock clock) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = ("ircbridge media links\n" + secret).getBytes(StandardCharsets.UTF_8);
        this.expiry = expiry;
        this.clock = clock;
    }

    /** The web link to an {@code mxc://} URI, named {@code filename}; empty when it isn't an mxc URI. */
    public Optional<String> link(String mxc, String filename) {
        Matcher m = MXC.matcher(mxc == null ? "" : mxc);
        if (!m.matches()) {
            return Optional.empty();
        }
        String name = filename == null || filename.isBlank() ? "file" : filename.strip();
        String signed = expiry.map(e -> {
            String expires = Long.toString(clock.instant().plus(e).getEpochSecond());
            return expires + "/" + signature(m.group(1) + "/" + m.group(2) + "/" + expires);
        }).orElseGet(() -> signature(m.group(1) + "/" + m.group(2)));
        return Optional.of(baseUrl + PATH + "/" + m.group(1) + "/" + m.group(2) + "/" + signed + "/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** Whether a link's signature is the bridge's for this file (a link without an expiry). */
    boolean verify(String server, String mediaId, String signature) {
        return check(server, mediaId, null, signature) == Check.VALID;
    }

    /**
     * What a link with these parts is worth; {@code expires} is null for a link without one. The signature is
     * checked first, so a stranger learns nothing about expiry from links the bridge didn't make.
     */
    Check check(String server, String mediaId, String expires, String signature) {
        if (expires != null && !EXPIRES.matcher(expires).matches()) {
            return Check.NOT_OURS;
        }
        String signed = expires == null ? server + "/" + mediaId : server + "/" + mediaId + "/" + expires;
        if (!MessageDigest.isEqual(signature(signed).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return Check.NOT_OURS;
        }
        if (expires == null) {
            // Made while links didn't expire: as long as they still don't, it works.
            return expiry.isEmpty() ? Check.VALID : Check.EXPIRED;
        }
        java.time.Instant now = clock.instant();
        long end = Long.parseLong(expires);
        // A link that outlives a shortened expiry ends when a link made now would (same rounding as link()).
        long latest = expiry.map(e -> now.plus(e).getEpochSecond()).orElse(Long.MAX_VALUE);
        return now.getEpochSecond() < end && end <= latest ? Check.VALID : Check.EXPIRED;
    }

    private String signature(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
