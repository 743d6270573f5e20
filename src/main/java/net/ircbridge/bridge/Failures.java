package net.ircbridge.bridge;

import java.util.concurrent.CompletionException;

/** What went wrong behind a failed future: {@link CompletionException} only wraps the real cause. */
public final class Failures {

    private Failures() {
    }

    public static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
