package net.ircbridge.matrix;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import net.ircbridge.config.ResolvesAppserviceTokens.AppserviceTokens;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets only the homeserver call the appservice API: every request under {@code /_matrix/app/} must carry the
 * hs_token in its {@code Authorization: Bearer} header. The comparison takes the same time whatever the token
 * sent, so it leaks nothing about the real one. The {@code access_token} query parameter, deprecated since
 * Matrix v1.4 (homeservers send the header), is refused: a token in a URL ends up in logs and proxies.
 */
public class ChecksHomeserverToken {

    private final byte[] expectedDigest;

    @Inject
    public ChecksHomeserverToken(AppserviceTokens tokens) {
        this.expectedDigest = sha256(tokens.hsToken());
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/_matrix/app/")) {
            return null;
        }
        String token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token == null && request.getUriInfo().getQueryParameters().containsKey("access_token")) {
            return MatrixError.response(401, "M_UNAUTHORIZED", "Send the token in the Authorization header, not in the URL");
        }
        if (token == null) {
            return MatrixError.response(401, "M_MISSING_TOKEN", "Missing access token");
        }
        // Digests have the same length whatever was sent, so isEqual compares in constant time.
        if (!MessageDigest.isEqual(expectedDigest, sha256(token))) {
            return MatrixError.response(403, "M_FORBIDDEN", "Bad token supplied");
        }
        return null;
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
