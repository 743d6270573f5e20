package net.ircbridge.matrix;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Serves the files {@link LinksToMedia} links to: checks the link's signature, fetches the file from the
 * homeserver with the bridge's token and passes it on. Files that a browser could run (HTML, SVG, …) are served as
 * attachments in a sandbox, never as pages of the bridge's own origin.
 */
@Path(LinksToMedia.PATH)
public class ServesMediaLinks {

    private static final Logger LOG = Logger.getLogger(ServesMediaLinks.class);
    /** Types shown in the browser; anything else is downloaded. */
    private static final Set<String> INLINE = Set.of("text/plain", "image/png", "image/jpeg", "image/gif", "image/webp",
            "video/mp4", "video/webm", "audio/mpeg", "audio/ogg", "audio/mp4", "audio/webm", "application/pdf");

    private final LinksToMedia links;
    private final HomeserverClient homeserver;

    public ServesMediaLinks(LinksToMedia links, HomeserverClient homeserver) {
        this.links = links;
        this.homeserver = homeserver;
    }

    @GET
    @Path("/{server}/{mediaId}/{signature}/{filename}")
    public CompletionStage<Response> file(@PathParam("server") String server, @PathParam("mediaId") String mediaId,
            @PathParam("signature") String signature, @PathParam("filename") String filename) {
        if (!links.verify(server, mediaId, signature)) {
            return CompletableFuture.completedFuture(MatrixError.response(404, "M_NOT_FOUND", "No such file"));
        }
        return homeserver.downloadMedia(server, mediaId).thenApply(media -> {
            if (media.status() != 200) {
                LOG.debugf("The homeserver answered %d for %s/%s", media.status(), server, mediaId);
                return MatrixError.response(media.status() == 404 ? 404 : 502, media.status() == 404 ? "M_NOT_FOUND" : "M_UNKNOWN",
                        "The homeserver cannot give this file");
            }
            String type = media.contentType();
            String bare = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            String quoted = filename.replaceAll("[\"\\\\\\r\\n]", "_");
            return Response.ok(media.data())
                    .header("Content-Type", INLINE.contains(bare) ? type : "application/octet-stream")
                    .header("Content-Disposition", (INLINE.contains(bare) ? "inline" : "attachment") + "; filename=\"" + quoted + "\"")
                    .header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Cache-Control", "public, max-age=86400")
                    .build();
        }).exceptionally(failure -> {
            LOG.warnf("Cannot fetch %s/%s from the homeserver: %s", server, mediaId, failure.getMessage());
            return MatrixError.response(502, "M_UNKNOWN", "The homeserver cannot be reached");
        });
    }
}
