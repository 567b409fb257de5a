package io.refcat.search;

/** A request parameter that cannot be used, and why: a 400 naming the parameter. */
public final class BadParameter extends RuntimeException {
    private final String parameter;

    public BadParameter(String parameter, String message) {
        super(parameter + ": " + message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
