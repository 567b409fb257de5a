package io.refcat.webui;

/**
 * Colour maps for quick-looks, as 256-entry RGB tables: viridis (perceptually uniform, for data
 * of one sign) and a blue-white-red diverging map (for data that straddle zero, centred on it).
 */
enum Colormap {
    VIRIDIS, DIVERGING;

    private final int[] table = new int[256];

    Colormap() {
        for (int i = 0; i < 256; i++) {
            double t = i / 255.0;
            table[i] = name().equals("VIRIDIS") ? viridis(t) : diverging(t);
        }
    }

    /** The colour of a value at {@code t} in [0, 1] of the colour bar. */
    int rgb(double t) {
        int i = (int) Math.round(Math.max(0, Math.min(1, t)) * 255);
        return table[i];
    }

    /** The table, for clients that map colours back to values. */
    int[] table() {
        return table.clone();
    }

    /** Viridis as a degree-6 polynomial per channel (a published fit to matplotlib's table, error under 1%). */
    private static int viridis(double t) {
        double[][] c = {
            {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
            {0.1050930431085774, 1.404613529898575, 1.384590162594685},
            {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
            {-4.634230498983486, -5.799100973351585, -19.33244095627987},
            {6.228269936347081, 14.17993336680509, 56.69055260068105},
            {4.776384997670288, -13.74514537774601, -65.35303263337234},
            {-5.435455855934631, 4.645852612178535, 26.3124352495832},
        };
        int rgb = 0;
        for (int ch = 0; ch < 3; ch++) {
            double v = c[6][ch];
            for (int k = 5; k >= 0; k--) {
                v = v * t + c[k][ch];
            }
            rgb = rgb << 8 | (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
        }
        return rgb;
    }

    /** ColorBrewer's RdBu, reversed (blue for negative), interpolated between its eleven classes. */
    private static int diverging(double t) {
        int[] stops = {0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d,
            0xb2182b, 0x67001f};
        double x = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(x));
        double f = x - i;
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = stops[i] >> shift & 0xff;
            int b = stops[i + 1] >> shift & 0xff;
            rgb = rgb << 8 | (int) Math.round(a + (b - a) * f);
        }
        return rgb;
    }
}
