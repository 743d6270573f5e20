package net.ircbridge.matrix;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The body of a Matrix error answer. */
public record MatrixError(String errcode, String error) {

    /** A JSON error response with this status. */
    public static Response response(int status, String errcode, String error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new MatrixError(errcode, error)).build();
    }
}
