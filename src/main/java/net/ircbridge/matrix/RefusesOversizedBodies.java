package net.ircbridge.matrix;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose announced body is over {@code quarkus.http.limits.max-body-size} (10 MB: Synapse's
 * transactions are far smaller) before a byte of it is read, with Matrix's answer: 413 {@code M_TOO_LARGE}.
 * Quarkus enforces the same limit itself (also on bodies without a length, cut off once over it), but answers
 * with an empty body; this runs just before it.
 */
@ApplicationScoped
public class RefusesOversizedBodies {

    /** Quarkus's own check of the limit runs at route order -2 (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT). */
    private static final int BEFORE_QUARKUS_LIMIT = -3;

    private final long limit;

    public RefusesOversizedBodies(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS_LIMIT).handler(exchange -> {
            String length = exchange.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1; // Quarkus and Vert.x refuse a malformed length themselves.
            }
            if (announced > limit) {
                // The body is never read: close the connection after the answer rather than drain it.
                exchange.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"errcode\":\"M_TOO_LARGE\",\"error\":\"The request body is larger than " + limit + " bytes\"}")
                        .onComplete(sent -> exchange.request().connection().close());
                return;
            }
            exchange.next();
        });
    }
}
