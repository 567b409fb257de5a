package io.refcat.indexer;

/**
 * What a library said when it failed, as the detail after refcat's own reason: its messages down
 * the cause chain, with the JDK's own exceptions (a NullPointerException, a
 * BufferUnderflowException, "newLimit > capacity") named by kind, since their text alone means
 * nothing to a user.
 */
public final class LibraryText {
    private LibraryText() {
    }

    public static String of(Throwable e) {
        StringBuilder sb = new StringBuilder(said(e));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(": ").append(said(c));
        }
        return sb.toString();
    }

    private static String said(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e.getClass().getName().startsWith("java.") ? e.getClass().getSimpleName() + ": " + m : m;
    }
}
