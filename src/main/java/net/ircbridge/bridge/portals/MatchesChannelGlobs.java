package net.ircbridge.bridge.portals;

import net.ircbridge.bridge.MatrixNames;

import java.util.List;

/**
 * Glob patterns on channel names: {@code *} stands for any run of characters, {@code ?} for one, anything else for
 * itself, compared after RFC 1459 case folding. Matching is greedy with one backtracking point, so its work is at
 * most the product of the two lengths (both short: a channel name is capped by CHANNELLEN).
 */
final class MatchesChannelGlobs {

    private final List<String> patterns;

    MatchesChannelGlobs(List<String> patterns) {
        this.patterns = patterns.stream().map(MatrixNames::fold).toList();
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether any of the patterns matches the name. */
    boolean matchesAny(String name) {
        String folded = MatrixNames.fold(name);
        return patterns.stream().anyMatch(p -> matches(p, folded));
    }

    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
