package net.ircbridge.matrix;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
 * <p>Form: {@code {relay.media-url}/_ircbridge/media/{server}/{media id}/{signature}/{file name}}.
 */
@ApplicationScoped
public class LinksToMedia {

    static final String PATH = "/_ircbridge/media";
    private static final Pattern MXC = Pattern.compile("mxc://([A-Za-z0-9.:\\[\\]-]+)/([A-Za-z0-9_-]+)");

    private final String baseUrl;
    private final byte[] key;

    @jakarta.inject.Inject
    public LinksToMedia(RelayConfig relay, AppserviceConfig appservice, AppserviceTokens tokens) {
        this(relay.mediaUrl().filter(u -> !u.isBlank()).orElse(appservice.url()), tokens.hsToken());
    }

    LinksToMedia(String baseUrl, String secret) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = ("ircbridge media links\n" + secret).getBytes(StandardCharsets.UTF_8);
    }

    /** The web link to an {@code mxc://} URI, named {@code filename}; empty when it isn't an mxc URI. */
    public Optional<String> link(String mxc, String filename) {
        Matcher m = MXC.matcher(mxc == null ? "" : mxc);
        if (!m.matches()) {
            return Optional.empty();
        }
        String name = filename == null || filename.isBlank() ? "file" : filename.strip();
        return Optional.of(baseUrl + PATH + "/" + m.group(1) + "/" + m.group(2) + "/" + signature(m.group(1), m.group(2)) + "/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** Whether a link's signature is the bridge's for this file. */
    boolean verify(String server, String mediaId, String signature) {
        return MessageDigest.isEqual(signature(server, mediaId).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String server, String mediaId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((server + "/" + mediaId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
