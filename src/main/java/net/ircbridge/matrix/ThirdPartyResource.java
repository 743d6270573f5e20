package net.ircbridge.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Third-party lookups: how Matrix clients find IRC channels and users through the homeserver. */
@Path("/_matrix/app/v1/thirdparty")
@Produces(MediaType.APPLICATION_JSON)
public class ThirdPartyResource {

    private final AnswersAppserviceQueries queries;

    public ThirdPartyResource(AnswersAppserviceQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/protocol/{protocol}")
    public Response protocol(@PathParam("protocol") String protocol) {
        return queries.protocol(protocol).map(p -> Response.ok(WritesMatrixJson.protocol(p)).build()).orElseGet(ThirdPartyResource::unknownProtocol);
    }

    @GET
    @Path("/location/{protocol}")
    public Response locations(@PathParam("protocol") String protocol, @Context UriInfo uri) {
        return found(queries.locations(protocol, fields(uri)).map(list -> json(list, WritesMatrixJson::location)));
    }

    @GET
    @Path("/user/{protocol}")
    public Response users(@PathParam("protocol") String protocol, @Context UriInfo uri) {
        return found(queries.users(protocol, fields(uri)).map(list -> json(list, WritesMatrixJson::user)));
    }

    @GET
    @Path("/location")
    public Response locationByAlias(@QueryParam("alias") String alias) {
        if (alias == null) {
            return MatrixError.response(400, "M_MISSING_PARAM", "'alias' is required");
        }
        return notEmpty(json(queries.locationsForAlias(alias), WritesMatrixJson::location), "No such location");
    }

    @GET
    @Path("/user")
    public Response userByUserId(@QueryParam("userid") String userId) {
        if (userId == null) {
            return MatrixError.response(400, "M_MISSING_PARAM", "'userid' is required");
        }
        return notEmpty(json(queries.usersForUserId(userId), WritesMatrixJson::user), "No such user");
    }

    private static Map<String, String> fields(UriInfo uri) {
        Map<String, String> fields = new HashMap<>();
        uri.getQueryParameters().forEach((k, v) -> {
            if (!"access_token".equals(k) && !v.isEmpty()) {
                fields.put(k, v.get(0));
            }
        });
        return fields;
    }

    private static <T> List<JsonNode> json(List<T> answers, java.util.function.Function<T, ? extends JsonNode> writer) {
        return answers.stream().<JsonNode>map(writer).toList();
    }

    private static Response found(Optional<List<JsonNode>> result) {
        return result.map(list -> notEmpty(list, "No match")).orElseGet(ThirdPartyResource::unknownProtocol);
    }

    private static Response notEmpty(List<JsonNode> list, String error) {
        return list.isEmpty() ? MatrixError.response(404, "M_NOT_FOUND", error) : Response.ok(list).build();
    }

    private static Response unknownProtocol() {
        return MatrixError.response(404, "M_NOT_FOUND", "Unknown protocol");
    }
}
