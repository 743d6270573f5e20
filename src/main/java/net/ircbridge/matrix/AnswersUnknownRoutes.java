package net.ircbridge.matrix;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Anything the bridge doesn't serve gets the Matrix answer for it: 404 (or 405) with {@code M_UNRECOGNIZED}. */
public class AnswersUnknownRoutes {

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return MatrixError.response(404, "M_UNRECOGNIZED", "Unrecognized request");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return MatrixError.response(405, "M_UNRECOGNIZED", "Unrecognized request method");
    }

    /** Anything else that goes wrong answers 500 {@code M_UNKNOWN} in Matrix's format, and is logged once. */
    @ServerExceptionMapper
    public Response failure(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException w) {
            return w.getResponse();
        }
        org.jboss.logging.Logger.getLogger(AnswersUnknownRoutes.class).errorf(e, "Request failed");
        return MatrixError.response(500, "M_UNKNOWN", "The bridge could not handle the request");
    }
}
