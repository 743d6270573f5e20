package net.ircbridge.matrix;

import java.util.Map;

/** A third-party user: a Matrix user id and the fields that name it in the protocol. */
public record ThirdPartyUser(String userId, String protocol, Map<String, String> fields) {
}
