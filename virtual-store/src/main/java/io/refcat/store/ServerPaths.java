package io.refcat.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the server's own paths out of what it answers: an error detail naming a source file under
 * a served root names it relative to that root, and any other {@code file://} URL by its file name.
 * Error texts come from deep in the readers, so they are cleaned once, where errors become
 * responses.
 */
public final class ServerPaths {
    private static final Pattern FILE_URL = Pattern.compile("file://(/[^\\s'\"]*/)?([^\\s'\"/]*)");
    private static final ServerPaths EXPOSED = new ServerPaths(List.of(), false);

    private final List<String> prefixes;
    private final boolean hide;

    private ServerPaths(List<String> prefixes, boolean hide) {
        this.prefixes = prefixes;
        this.hide = hide;
    }

    /** Paths below {@code roots} and {@code others} (the data directory) are hidden. */
    public static ServerPaths of(List<Path> roots, List<Path> others) {
        List<String> prefixes = new ArrayList<>();
        for (List<Path> list : List.of(roots, others)) {
            for (Path p : list) {
                String abs = p.toAbsolutePath().normalize().toString();
                if (!abs.equals("/")) {
                    prefixes.add(abs.endsWith("/") ? abs : abs + "/");
                }
            }
        }
        // Longest first, so a root inside another is cut as far as it goes.
        prefixes.sort(Comparator.comparingInt(String::length).reversed());
        return new ServerPaths(List.copyOf(prefixes), true);
    }

    /** For trusted setups: texts are left as they are. */
    public static ServerPaths exposed() {
        return EXPOSED;
    }

    public String clean(String text) {
        if (!hide || text == null) {
            return text;
        }
        String out = text;
        for (String prefix : prefixes) {
            out = out.replace("file://" + prefix, "").replace(prefix, "");
        }
        Matcher m = FILE_URL.matcher(out);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(2)));
    }
}
