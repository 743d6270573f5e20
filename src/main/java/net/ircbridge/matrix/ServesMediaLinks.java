package net.ircbridge.matrix;

import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import net.ircbridge.config.RelayConfig;
import org.jboss.logging.Logger;

/**
 * Serves the files {@link LinksToMedia} links to: checks the link's signature and expiry, fetches the file from
 * the homeserver with the bridge's token and passes it on as it arrives. Files that a browser could run (HTML,
 * SVG, …) are served as attachments in a sandbox, never as pages of the bridge's own origin.
 *
 * <p>Anyone with a link can ask, so what a download costs is bounded: the file is streamed (a buffer per
 * download, never the whole file), files over {@code relay.media.max-size} are refused or cut off, and at most
 * {@code relay.media.max-concurrent-downloads} run at once; one more is told to come back later.
 */
@Path(LinksToMedia.PATH)
public class ServesMediaLinks {

    private static final Logger LOG = Logger.getLogger(ServesMediaLinks.class);
    /** Types shown in the browser; anything else is downloaded. */
    private static final Set<String> INLINE = Set.of("text/plain", "image/png", "image/jpeg", "image/gif", "image/webp",
            "video/mp4", "video/webm", "audio/mpeg", "audio/ogg", "audio/mp4", "audio/webm", "application/pdf");
    /** Seconds a client told "too many downloads" waits before it asks again. */
    static final int RETRY_AFTER_SECONDS = 5;
    private static final long CACHE_SECONDS = 86400;

    private final LinksToMedia links;
    private final HomeserverClient homeserver;
    private final long maxSize;
    private final Semaphore downloads;

    public ServesMediaLinks(LinksToMedia links, HomeserverClient homeserver, RelayConfig relay) {
        this.links = links;
        this.homeserver = homeserver;
        this.maxSize = relay.media().maxSize().asLongValue();
        this.downloads = new Semaphore(relay.media().maxConcurrentDownloads());
    }

    /** A link made while links didn't expire. */
    @GET
    @Blocking
    @Path("/{server}/{mediaId}/{signature}/{filename}")
    public Response file(@PathParam("server") String server, @PathParam("mediaId") String mediaId,
            @PathParam("signature") String signature, @PathParam("filename") String filename, @Context RoutingContext exchange) {
        return serve(server, mediaId, null, signature, filename, exchange);
    }

    /** A link that expires at {@code expires} (seconds since 1970). */
    @GET
    @Blocking
    @Path("/{server}/{mediaId}/{expires}/{signature}/{filename}")
    public Response expiringFile(@PathParam("server") String server, @PathParam("mediaId") String mediaId,
            @PathParam("expires") String expires, @PathParam("signature") String signature, @PathParam("filename") String filename,
            @Context RoutingContext exchange) {
        return serve(server, mediaId, expires, signature, filename, exchange);
    }

    private Response serve(String server, String mediaId, String expires, String signature, String filename, RoutingContext exchange) {
        switch (links.check(server, mediaId, expires, signature)) {
            case NOT_OURS:
                return MatrixError.response(404, "M_NOT_FOUND", "No such file");
            case EXPIRED:
                return MatrixError.response(410, "M_NOT_FOUND", "This link has expired; ask for the file again in Matrix");
            default:
                break;
        }
        if (!downloads.tryAcquire()) {
            return Response.fromResponse(MatrixError.response(503, "M_LIMIT_EXCEEDED",
                    "The bridge is passing on as many files as it can; try again in a few seconds"))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        Slot slot = new Slot(downloads);
        // However the exchange ends (done, client gone, failure, a HEAD that never reads the body), the slot and
        // the homeserver's stream are let go.
        exchange.addEndHandler(ended -> slot.release());
        HomeserverClient.Media media;
        try {
            media = homeserver.downloadMedia(server, mediaId).get(90, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            slot.release();
            LOG.warnf("Cannot fetch %s/%s from the homeserver: %s", server, mediaId, e.getCause() != null ? e.getCause() : e);
            return MatrixError.response(502, "M_UNKNOWN", "The homeserver cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slot.release();
            return MatrixError.response(503, "M_UNKNOWN", "The bridge is stopping");
        }
        slot.alsoClose(media);
        if (media.status() != 200) {
            slot.release();
            LOG.debugf("The homeserver answered %d for %s/%s", media.status(), server, mediaId);
            return MatrixError.response(media.status() == 404 ? 404 : 502, media.status() == 404 ? "M_NOT_FOUND" : "M_UNKNOWN",
                    "The homeserver cannot give this file");
        }
        if (media.length() > maxSize) {
            slot.release();
            LOG.infof("Refused %s/%s: %d bytes, over relay.media.max-size (%d)", server, mediaId, media.length(), maxSize);
            return MatrixError.response(413, "M_TOO_LARGE", "The file is larger than this bridge passes on ("
                    + maxSize + " bytes, relay.media.max-size)");
        }
        String type = media.contentType();
        String bare = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        String quoted = filename.replaceAll("[\"\\\\\\r\\n]", "_");
        long cacheFor = expires == null ? CACHE_SECONDS
                : Math.max(0, Math.min(CACHE_SECONDS, Long.parseLong(expires) - Instant.now().getEpochSecond()));
        StreamingOutput body = out -> {
            try {
                copyAtMost(media.body(), out, maxSize);
            } catch (TooLarge e) {
                LOG.infof("Cut off %s/%s: more than relay.media.max-size (%d bytes) without a length announced", server,
                        mediaId, maxSize);
                // The status is sent already: only a broken connection tells the client the file is incomplete.
                exchange.request().connection().close();
                throw e;
            } finally {
                slot.release();
            }
        };
        Response.ResponseBuilder answer = Response.ok(body)
                .header("Content-Type", INLINE.contains(bare) ? type : "application/octet-stream")
                .header("Content-Disposition", (INLINE.contains(bare) ? "inline" : "attachment") + "; filename=\"" + quoted + "\"")
                .header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "public, max-age=" + cacheFor);
        if (media.length() >= 0) {
            answer.header("Content-Length", media.length());
        }
        return answer.build();
    }

    /** More bytes arrived than the cap allows. */
    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("more than " + max + " bytes");
        }
    }

    /**
     * Copies {@code in} to {@code out} through one small buffer, and throws {@link TooLarge} as soon as more than
     * {@code max} bytes have arrived (those past the cap are never written).
     */
    static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                throw new TooLarge(max);
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    /** One download's place among the concurrent ones, given back once, with the homeserver's stream closed. */
    private static final class Slot {
        private final Semaphore downloads;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile HomeserverClient.Media media;

        Slot(Semaphore downloads) {
            this.downloads = downloads;
        }

        void alsoClose(HomeserverClient.Media media) {
            this.media = media;
            if (released.get()) {
                media.close();
            }
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                downloads.release();
                HomeserverClient.Media m = media;
                if (m != null) {
                    m.close();
                }
            }
        }
    }
}
