package net.ircbridge.irc.kicl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LimitsNamesRepliesTest {

    @Test
    void namesPastTheLimitAreLeftOutUntilTheReplyEnds() {
        LimitsNamesReplies names = new LimitsNamesReplies(3);
        assertEquals(":srv 353 me = #big :@a +b c", names.limit("t", "me", ":srv 353 me = #big :@a +b c d e"));
        assertNull(names.limit("t", "me", ":srv 353 me = #big :f g"));
        assertEquals(":srv 366 me #big :End of /NAMES list.", names.limit("t", "me", ":srv 366 me #big :End of /NAMES list."));
        // A new reply (the bot joined again) counts from the start.
        assertEquals(":srv 353 me = #BIG :x y z", names.limit("t", "me", ":srv 353 me = #BIG :x y z w"));
    }

    @Test
    void theConnectionsOwnNickAlwaysGoesThrough() {
        LimitsNamesReplies names = new LimitsNamesReplies(1);
        assertEquals(":srv 353 Me = #c :a @me!u@h", names.limit("t", "Me", ":srv 353 Me = #c :a b @me!u@h c"));
    }

    @Test
    void eachChannelHasItsOwnCountAndOtherLinesPassAsTheyAre() {
        LimitsNamesReplies names = new LimitsNamesReplies(2);
        assertEquals(":s 353 me @ #a :x y", names.limit("t", "me", ":s 353 me @ #a :x y z"));
        assertEquals("@time=1 :s 353 me = #b :p q", names.limit("t", "me", "@time=1 :s 353 me = #b :p q r"));
        String privmsg = ":x!u@h PRIVMSG #a :353 me = #a :lots of words here";
        assertSame(privmsg, names.limit("t", "me", privmsg));
        assertSame(":s 353", names.limit("t", "me", ":s 353"));
    }

    @Test
    void withoutALimitNothingChanges() {
        String line = ":srv 353 me = #big :" + "n ".repeat(5000).trim();
        assertSame(line, new LimitsNamesReplies(Integer.MAX_VALUE).limit("t", "me", line));
    }
}
