package net.ircbridge.matrix;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The homeserver's questions to the appservice (user and alias queries, third-party lookups); answered by the core. */
public interface AnswersAppserviceQueries {

    /** Whether the user exists, or could be created now (and then is). */
    CompletionStage<Boolean> userExists(String userId);

    /** Whether the alias exists, or could be created now (and then is). */
    CompletionStage<Boolean> roomAliasExists(String alias);

    /** The third-party protocol description, if the bridge speaks that protocol. */
    Optional<ThirdPartyProtocol> protocol(String protocol);

    /** Third-party locations (bridged rooms) matching the fields, or empty if the protocol is unknown. */
    Optional<List<ThirdPartyLocation>> locations(String protocol, Map<String, String> fields);

    /** Third-party users matching the fields, or empty if the protocol is unknown. */
    Optional<List<ThirdPartyUser>> users(String protocol, Map<String, String> fields);

    /** Third-party locations for a Matrix alias. */
    List<ThirdPartyLocation> locationsForAlias(String alias);

    /** Third-party users for a Matrix user id. */
    List<ThirdPartyUser> usersForUserId(String userId);
}
