package io.refcat.store;

import io.refcat.store.source.SourceResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * The store's commonest request answered before the web framework: {@code GET /zarr/{id}/{key}}
 * of a chunk kept as stored in its source, by the code the app answers it with
 * ({@link PayloadResponder#respondStored}). Profiled under load, Javalin's part of such a request
 * (routing by regular expressions, before- and after-handlers, its context, the session and
 * servlet layers) was a third of the server's CPU per chunk.
 *
 * <p>Anything else goes on to the app unchanged: another method or route, a path the app would
 * decode or normalise ({@code %}, {@code //}, a trailing {@code /}, a query), a browser's
 * cross-origin request (the app adds CORS headers), a Host the server does not answer for,
 * metadata, inline or decoded chunks, and any failure before the answer starts (the app then
 * answers it, errors mapped in one place). So the lane never answers differently, only sooner.
 * The request log and {@code /metrics} count its requests as the app's: they sit in front of both.
 */
final class ChunkLane extends HandlerWrapper {
    private static final String PREFIX = "/zarr/";

    private final DatasetRegistry registry;
    private final PayloadResponder responder;
    private final Predicate<String> hostAllowed;

    ChunkLane(DatasetRegistry registry, SourceResolver resolver, DecodeBudget decoding, Predicate<String> hostAllowed) {
        this.registry = registry;
        this.responder = new PayloadResponder(resolver, decoding);
        this.hostAllowed = hostAllowed;
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest req, HttpServletResponse res) throws IOException,
            jakarta.servlet.ServletException {
        Optional<Payload.SourceRange> stored = eligible(req) ? stored(req.getRequestURI().substring(PREFIX.length()))
                : Optional.empty();
        if (stored.isPresent()) {
            try {
                responder.respondStored(req, res, stored.get());
                base.setHandled(true);
                return;
            } catch (IOException | RuntimeException e) {
                if (res.isCommitted()) {
                    throw e;
                }
                res.reset(); // not started: the app answers, and maps the failure as it does every other
            }
        }
        super.handle(target, base, req, res);
    }

    private boolean eligible(HttpServletRequest req) {
        String uri = req.getRequestURI();
        return req.getMethod().equals("GET") && uri.startsWith(PREFIX) && req.getQueryString() == null
                && uri.indexOf('%') < 0 && uri.indexOf("//") < 0 && !uri.endsWith("/")
                && req.getHeader("Origin") == null && hostAllowed.test(req.getHeader("Host"));
    }

    private Optional<Payload.SourceRange> stored(String path) {
        try {
            return registry.locate(path).map(p -> ZarrKeys.v2(p.dataset(), p.key()))
                    .filter(Payload.SourceRange.class::isInstance).map(Payload.SourceRange.class::cast);
        } catch (RuntimeException e) {
            return Optional.empty(); // a key the app will refuse, in its words
        }
    }
}
