package net.ircbridge.matrix;

import java.util.List;
import java.util.Map;

/** A third-party protocol's description, as the homeserver asks for it ({@code /thirdparty/protocol}). */
public record ThirdPartyProtocol(List<String> userFields, List<String> locationFields, String icon,
        Map<String, FieldType> fieldTypes, List<Instance> instances) {

    /** How one field looks: a regular expression, and an example. */
    public record FieldType(String regexp, String placeholder) {
    }

    /** One instance of the protocol (a network). */
    public record Instance(String networkId, String desc, String icon, Map<String, String> fields) {
    }
}
