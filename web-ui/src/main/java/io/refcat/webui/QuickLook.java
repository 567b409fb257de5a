package io.refcat.webui;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrHierarchy;
import io.refcat.store.ArrayValues;
import io.refcat.store.Dataset;
import io.refcat.store.DatasetRegistry;
import io.refcat.store.PointSeries;
import io.refcat.store.StoreException;
import io.refcat.store.StoreServer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code GET /quicklook/{dataset}/{variable}.png?{dim}={index}…}: a 2-D slice of a served variable
 * (its last two dimensions; other dimensions at the given indices, default 0) rendered from the
 * decoded chunks that intersect it: viridis, or a diverging map centred on zero where the values
 * straddle it; fill and NaN transparent; north up wherever the latitudes say which way is north;
 * decimated to at most {@value #MAX_SIDE} pixels a side; a colour bar with the range and units.
 *
 * <p>What a client needs to map pixels back to values and grid points is in headers:
 * {@code X-Quicklook-Range} (min max), {@code X-Quicklook-Colormap}, {@code X-Quicklook-Dims} (the
 * image's row and column dimensions), {@code X-Quicklook-Step} (indices per pixel, rows then
 * columns), {@code X-Quicklook-Scale} (pixels per value), {@code X-Quicklook-Flipped} (rows drawn
 * bottom to top, to put north up).
 */
final class QuickLook {
    static final int MAX_SIDE = 1000;
    private static final int BAR_HEIGHT = 46;

    private QuickLook() {
    }

    static void register(Javalin app, DatasetRegistry registry, ArrayValues values) {
        app.get("/quicklook/<path>", ctx -> render(ctx, registry, values));
    }

    private static void render(Context ctx, DatasetRegistry registry, ArrayValues reader) throws IOException {
        String path = ctx.pathParam("path");
        if (!path.endsWith(".png")) {
            throw StoreException.notFound("quick-looks are PNG images: /quicklook/{dataset}/{variable}.png");
        }
        DatasetRegistry.Located located = StoreServer.locate(registry, path.substring(0, path.length() - 4));
        Dataset d = located.dataset();
        String variable = located.key();
        ZarrArrayMetadata m = ArrayValues.array(d, variable);
        if (m.rank() < 2) {
            throw new StoreException(400, "not an image", "variable '" + variable + "' has " + m.rank()
                    + " dimension(s); a quick-look needs two (its series is at /series)");
        }
        Map<String, Object> attrs = d.hierarchy().arrayAttributes(variable);
        List<String> dims = ArrayValues.dimensions(attrs, m.rank());
        int rank = m.rank();
        long[] start = new long[rank];
        long[] count = new long[rank];
        long[] step = new long[rank];
        for (int i = 0; i < rank; i++) {
            long size = m.shape().get(i);
            if (i >= rank - 2) {
                step[i] = Math.max(1, (size + MAX_SIDE - 1) / MAX_SIDE);
                count[i] = (size + step[i] - 1) / step[i];
                if (size == 0) {
                    throw new StoreException(400, "empty", "variable '" + variable + "' has no values along " + dims.get(i));
                }
            } else {
                step[i] = 1;
                count[i] = 1;
                String given = ctx.queryParam(dims.get(i));
                start[i] = given == null ? 0 : ArrayValues.index(given, dims.get(i), size);
            }
        }
        double[] values = reader.read(d, variable, new ArrayValues.Box(start, count, step));
        int h = (int) count[rank - 2];
        int w = (int) count[rank - 1];
        boolean flip = southFirst(d, variable, dims, attrs, reader);

        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        boolean any = min <= max;
        Colormap map = any && min < 0 && max > 0 ? Colormap.DIVERGING : Colormap.VIRIDIS;
        if (map == Colormap.DIVERGING) {
            double r = Math.max(-min, max);
            min = -r;
            max = r;
        }
        int scale = Math.max(1, Math.min(32, 320 / Math.max(w, h)));
        BufferedImage image = new BufferedImage(Math.max(w * scale, 320), h * scale + BAR_HEIGHT, BufferedImage.TYPE_INT_ARGB);
        for (int row = 0; row < h; row++) {
            int source = flip ? h - 1 - row : row;
            for (int col = 0; col < w; col++) {
                double v = values[source * w + col];
                if (!Double.isFinite(v)) {
                    continue; // transparent
                }
                int argb = 0xff000000 | map.rgb(max > min ? (v - min) / (max - min) : 0.5);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(col * scale + dx, row * scale + dy, argb);
                    }
                }
            }
        }
        drawBar(image, h * scale, map, any ? min : Double.NaN, any ? max : Double.NaN,
                attrs.get("units") instanceof String u ? u : "");

        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        ctx.header("X-Quicklook-Range", any ? min + " " + max : "");
        ctx.header("X-Quicklook-Colormap", map.name().toLowerCase(Locale.ROOT));
        ctx.header("X-Quicklook-Dims", dims.get(rank - 2) + " " + dims.get(rank - 1));
        ctx.header("X-Quicklook-Step", step[rank - 2] + " " + step[rank - 1]);
        ctx.header("X-Quicklook-Scale", Integer.toString(scale));
        ctx.header("X-Quicklook-Flipped", Boolean.toString(flip));
        ctx.header("Cache-Control", "public, max-age=60");
        ctx.contentType("image/png").result(png.toByteArray());
    }

    /**
     * Whether the image's first row is the southernmost, by the latitudes of its row dimension (a
     * 1-D latitude coordinate, or the 2-D latitudes its {@code coordinates} attribute names).
     */
    private static boolean southFirst(Dataset d, String variable, List<String> dims, Map<String, Object> attrs,
                                      ArrayValues reader) throws IOException {
        String group = ZarrHierarchy.parentOf(variable);
        String rowDim = dims.get(dims.size() - 2);
        String colDim = dims.get(dims.size() - 1);
        String rowPath = group.isEmpty() ? rowDim : group + "/" + rowDim;
        ZarrArrayMetadata row = d.hierarchy().arrays().get(rowPath);
        if (row != null && row.rank() == 1 && row.shape().get(0) > 1
                && PointSeries.Axis.of(rowDim, d.hierarchy().arrayAttributes(rowPath)) == PointSeries.Axis.LATITUDE) {
            long n = row.shape().get(0);
            double first = reader.read(d, rowPath, box1(0))[0];
            double last = reader.read(d, rowPath, box1(n - 1))[0];
            return first < last;
        }
        if (attrs.get("coordinates") instanceof String names) {
            for (String name : names.trim().split("\\s+")) {
                String path = group.isEmpty() ? name : group + "/" + name;
                ZarrArrayMetadata c = d.hierarchy().arrays().get(path);
                Map<String, Object> cAttrs = d.hierarchy().arrayAttributes(path);
                if (c != null && c.rank() == 2 && PointSeries.Axis.of(name, cAttrs) == PointSeries.Axis.LATITUDE
                        && ArrayValues.dimensions(cAttrs, 2).equals(List.of(rowDim, colDim)) && c.shape().get(0) > 1) {
                    long mid = c.shape().get(1) / 2;
                    double first = reader.read(d, path, new ArrayValues.Box(new long[] {0, mid}, new long[] {1, 1},
                            new long[] {1, 1}))[0];
                    double last = reader.read(d, path, new ArrayValues.Box(new long[] {c.shape().get(0) - 1, mid},
                            new long[] {1, 1}, new long[] {1, 1}))[0];
                    return first < last;
                }
            }
        }
        return false;
    }

    private static ArrayValues.Box box1(long at) {
        return new ArrayValues.Box(new long[] {at}, new long[] {1}, new long[] {1});
    }

    private static void drawBar(BufferedImage image, int top, Colormap map, double min, double max, String units) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, top, image.getWidth(), BAR_HEIGHT);
            int left = 8;
            int width = image.getWidth() - 16;
            for (int x = 0; x < width; x++) {
                g.setColor(new Color(map.rgb(x / (double) (width - 1))));
                g.fillRect(left + x, top + 6, 1, 14);
            }
            g.setColor(new Color(0x222222));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            var metrics = g.getFontMetrics();
            String lo = Double.isNaN(min) ? "no values" : label(min);
            String hi = Double.isNaN(max) ? "" : label(max);
            int baseline = top + 20 + metrics.getAscent() + 2;
            g.drawString(lo, left, baseline);
            g.drawString(hi, left + width - metrics.stringWidth(hi), baseline);
            g.drawString(units, left + (width - metrics.stringWidth(units)) / 2, baseline);
        } finally {
            g.dispose();
        }
    }

    private static String label(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 1e5 || (v != 0 && Math.abs(v) < 1e-3) ? "%.3g" : "%.4g", v);
    }
}
