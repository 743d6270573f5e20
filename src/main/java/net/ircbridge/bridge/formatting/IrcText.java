package net.ircbridge.bridge.formatting;

/**
 * Text from IRC on its way to Matrix (reasons, topics): kept verbatim except for IRC's formatting and control
 * characters, and cut to {@value #MAX_LENGTH} characters, so a reason stays a readable line in any client.
 */
public final class IrcText {

    /** Longest reason or topic the bridge passes on; IRC lines are shorter than this anyway. */
    public static final int MAX_LENGTH = 500;

    private IrcText() {
    }

    /** Removes colour codes (with their numbers), other formatting codes and control characters. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        String withoutColours = text.replaceAll("\\x03(\\d{1,2}(,\\d{1,2})?)?", "").replaceAll("\\x04[0-9a-fA-F]{6}(,[0-9a-fA-F]{6})?", "");
        StringBuilder out = new StringBuilder(withoutColours.length());
        withoutColours.codePoints().filter(c -> c >= 0x20 && c != 0x7f).forEach(out::appendCodePoint);
        String cleaned = out.toString().strip();
        if (cleaned.length() > MAX_LENGTH) {
            int cut = MAX_LENGTH;
            if (Character.isHighSurrogate(cleaned.charAt(cut - 1))) {
                cut--;
            }
            cleaned = cleaned.substring(0, cut) + "…";
        }
        return cleaned;
    }
}
