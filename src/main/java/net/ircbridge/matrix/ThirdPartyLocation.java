package net.ircbridge.matrix;

import java.util.Map;

/** A third-party location: a Matrix alias and the fields that name it in the protocol. */
public record ThirdPartyLocation(String alias, String protocol, Map<String, String> fields) {
}
