package io.refcat.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr. Java 17 cannot ask whether stderr alone is a terminal;
 * a console (stdin and stdout on a terminal) is the proxy, so redirected runs print no bar.
 */
final class Progress {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final int total;
    private final boolean enabled;
    private int done;

    private Progress(PrintWriter err, int total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    static Progress forStderr(PrintWriter err, int total, boolean wanted) {
        return new Progress(err, total, wanted && total > 1 && System.console() != null);
    }

    void step() {
        done++;
        if (enabled) {
            int filled = total == 0 ? WIDTH : done * WIDTH / total;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " files");
            err.flush();
        }
    }

    void clear() {
        if (enabled) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
        }
    }
}
