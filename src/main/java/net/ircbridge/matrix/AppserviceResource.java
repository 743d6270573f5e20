package net.ircbridge.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The appservice API the homeserver calls: transactions, user and alias queries, ping. Answers come quickly;
 * the work an event causes happens afterwards, in order per room.
 */
@Path("/_matrix/app/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AppserviceResource {

    private final TransactionInbox inbox;
    private final AnswersAppserviceQueries queries;
    private final ObjectMapper json;

    public AppserviceResource(TransactionInbox inbox, AnswersAppserviceQueries queries, ObjectMapper json) {
        this.inbox = inbox;
        this.queries = queries;
        this.json = json;
    }

    @PUT
    @Path("/transactions/{txnId}")
    @Consumes(MediaType.WILDCARD)
    public Response transaction(@PathParam("txnId") String txnId, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            return MatrixError.response(400, "M_NOT_JSON", "Content not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            return MatrixError.response(400, "M_NOT_JSON", "Content not JSON");
        }
        if (root == null || !root.isObject()) {
            return MatrixError.response(400, "M_NOT_JSON", "Content not a JSON object");
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            return MatrixError.response(400, "M_BAD_JSON", "'events' must be an array");
        }
        List<JsonNode> accepted = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            // Validate the whole transaction before any of it is processed.
            if (!event.isObject() || !event.path("type").isTextual()) {
                return MatrixError.response(400, "M_BAD_JSON", "every event must be an object with a 'type'");
            }
            accepted.add(event);
        }
        inbox.accept(txnId, accepted);
        return Response.ok(Map.of()).build();
    }

    @GET
    @Blocking
    @Path("/users/{userId}")
    public CompletionStage<Response> user(@PathParam("userId") String userId) {
        return queries.userExists(userId).thenApply(exists -> exists
                ? Response.ok(Map.of()).build()
                : MatrixError.response(404, "M_NOT_FOUND", "No such user"));
    }

    @GET
    @Blocking
    @Path("/rooms/{alias}")
    public CompletionStage<Response> room(@PathParam("alias") String alias) {
        return queries.roomAliasExists(alias).thenApply(exists -> exists
                ? Response.ok(Map.of()).build()
                : MatrixError.response(404, "M_NOT_FOUND", "No such room"));
    }

    @POST
    @Path("/ping")
    @Consumes(MediaType.WILDCARD)
    public Response ping(byte[] body) {
        // The homeserver pings with {"transaction_id": ...}; answering proves it can reach the bridge.
        return Response.ok(Map.of()).build();
    }
}
