package io.refcat.store;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A strong ETag for every whole response built in memory (STAC, listings, health) that has none,
 * from a hash of its body, and 304 to a client that already holds it. Javalin's own generator
 * writes an unquoted checksum, which RFC 9110 does not allow. Streamed and byte-range responses
 * set their tags where they are made.
 */
public final class JsonEtags {
    private JsonEtags() {
    }

    public static void register(Javalin app) {
        app.after(JsonEtags::tag);
    }

    private static void tag(Context ctx) throws IOException {
        InputStream result = ctx.resultInputStream();
        if (ctx.method() != HandlerType.GET || ctx.statusCode() != 200 || ctx.res().getHeader("ETag") != null
                || !(result instanceof ByteArrayInputStream)) {
            return;
        }
        byte[] body = result.readAllBytes();
        String etag = "\"" + Digests.hex(body, 24) + "\"";
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.equals("*") || ifNoneMatch.contains(etag))) {
            ctx.status(304).result(new byte[0]);
        } else {
            ctx.result(body);
        }
    }
}
