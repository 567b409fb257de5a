package io.refcat.indexer.grib;

import java.util.Arrays;

/** Regular grids' coordinates and ecCodes' names of the grid types refcat does not place yet. */
final class GribGrids {
    private GribGrids() {
    }

    /**
     * A global reduced Gaussian grid: row i (north to south) holds {@code pl[i]} points from
     * longitude 0 eastwards, 360 / pl[i] degrees apart, as ecCodes places them; one latitude and
     * longitude per point. Sub-areas and other scanning directions are not placed yet.
     */
    static GribGrid reducedGaussian(int n, int[] pl, double la1, double la2, double lo1, int scan) {
        long total = java.util.Arrays.stream(pl).asLongStream().sum();
        if (GribGrid.tooLarge(total, 1) || n < 1 || n > 100_000) {
            return GribGrid.tooLarge("reduced_gg", total, 1);
        }
        int points = (int) total;
        if (pl.length != 2 * n || lo1 != 0 || scan != 0) {
            return GribGrid.unsupported("reduced_gg", points, "reduced Gaussian sub-areas (or other scanning) "
                    + "are not placed yet: N" + n + ", " + pl.length + " rows, first longitude " + lo1);
        }
        double[] rows = GribGrid.gaussianLatitudes(n);
        double[] lats = new double[points];
        double[] lons = new double[points];
        int k = 0;
        for (int i = 0; i < pl.length; i++) {
            for (int j = 0; j < pl[i]; j++, k++) {
                lats[k] = rows[i];
                lons[k] = j * 360.0 / pl[i];
            }
        }
        return new GribGrid("reduced_gg", points, 1, lats, lons, scan, GribGrid.Layout.POINTS, null);
    }

    /**
     * A reduced lat/lon grid as ecCodes' iterator places it: rows from {@code la1}, {@code dj}
     * degrees apart towards {@code la2}; row j holds {@code pl[j]} points from {@code lo1}
     * eastwards, 360 / pl[j] degrees apart on a global grid (the longitudes span all but less than
     * two of the widest row's steps), else spread evenly from {@code lo1} to {@code lo2}.
     */
    static GribGrid reducedLatLon(int[] pl, double la1, double la2, double lo1, double lo2, double dj, int scan) {
        long total = Arrays.stream(pl).asLongStream().sum();
        if (GribGrid.tooLarge(total, 1)) {
            return GribGrid.tooLarge("reduced_ll", total, 1);
        }
        int points = (int) total;
        if (scan != 0 || Double.isNaN(dj)) {
            return GribGrid.unsupported("reduced_ll", points, "reduced lat/lon grids scanned otherwise than west to east, "
                    + "north to south (scanning mode " + scan + "), or without a j increment, are not placed yet");
        }
        int widest = Math.max(1, Arrays.stream(pl).max().orElse(1));
        boolean global = 360 - Math.abs(lo2 - lo1) < 2 * 360.0 / widest;
        double span = global ? 360 : lo2 < lo1 ? lo2 + 360 - lo1 : lo2 - lo1;
        double step = la1 > la2 ? -dj : dj;
        double[] lats = new double[points];
        double[] lons = new double[points];
        int k = 0;
        for (int j = 0; j < pl.length; j++) {
            double increment = span / Math.max(1, pl[j] - (global ? 0 : 1));
            for (int i = 0; i < pl[j]; i++, k++) {
                lats[k] = la1 + j * step;
                lons[k] = lo1 + i * increment;
            }
        }
        return new GribGrid("reduced_ll", points, 1, lats, lons, scan, GribGrid.Layout.POINTS, null);
    }

    /** ecCodes' gridType for a GRIB2 grid definition template. */
    static String name2(int template) {
        return switch (template) {
            case 0 -> "regular_ll";
            case 1 -> "rotated_ll";
            case 10 -> "mercator";
            case 20 -> "polar_stereographic";
            case 30 -> "lambert";
            case 31 -> "albers";
            case 40 -> "regular_gg";
            case 41 -> "rotated_gg";
            case 50 -> "sh";
            case 90 -> "space_view";
            case 101 -> "unstructured_grid";
            case 140 -> "lambert_azimuthal_equal_area";
            default -> "template_3." + template;
        };
    }

    /** ecCodes' gridType for a GRIB1 data representation type (GRIB1 table 6). */
    static String name1(int type) {
        return switch (type) {
            case 0 -> "regular_ll";
            case 1 -> "mercator";
            case 3 -> "lambert";
            case 4 -> "regular_gg";
            case 5 -> "polar_stereographic";
            case 10 -> "rotated_ll";
            case 14 -> "rotated_gg";
            case 50 -> "sh";
            default -> "grid_type_" + type;
        };
    }

    /**
     * A regular lat/lon or Gaussian grid from its corner points, in the order the values are
     * stored: latitudes from the first to the last point (north to south unless j scans
     * positively), longitudes likewise, east of the first point unless i scans negatively.
     *
     * <p>Coordinates follow ecCodes' regular iterator, including how it treats files whose stored
     * increments disagree with their corner points: longitudes step by the increment where it
     * reaches the last point, else by the span divided; latitudes step by the increment and the
     * last one is the last grid point's.
     *
     * @param di        the i (longitude) increment in degrees, or NaN where not given
     * @param dj        the j (latitude) increment in degrees, or NaN (Gaussian grids: unused)
     * @param gaussianN for a Gaussian grid, the number of latitudes between pole and equator
     */
    static GribGrid regular(String gridType, int ni, int nj, double la1, double lo1, double la2, double lo2, double di,
                            double dj, int scan, int gaussianN) {
        if (GribGrid.tooLarge(ni, nj) || gaussianN > GribGrid.MAX_POINTS / 4) {
            return GribGrid.tooLarge(gridType, ni, nj);
        }
        if ((scan & GribGrid.J_CONSECUTIVE) != 0) {
            return GribGrid.unsupported(gridType, ni * nj, "grids stored column by column (scanning mode "
                    + scan + ") are not placed yet");
        }
        boolean iNegative = (scan & GribGrid.I_NEGATIVE) != 0;
        if (!iNegative && lo2 < lo1) {
            lo1 -= 360; // ecCodes starts such a grid west of the meridian: 350..19 is -10..19
        } else if (iNegative && lo2 > lo1) {
            lo2 -= 360;
        }
        double span = ni > 1 ? (lo2 - lo1) / (ni - 1) : 0;
        // ecCodes steps by the increment unless it misses the last point, then by the span
        double[] lons = GribGrid.stepped(lo1, Double.isNaN(di) || Math.abs(lo1 + (ni - 1) * (iNegative ? -di : di) - lo2)
                > 1e-6 ? span : (iNegative ? -di : di), ni);
        double[] lats;
        if (gaussianN > 0) {
            double lo = Math.min(la1, la2) - 1e-3;
            double hi = Math.max(la1, la2) + 1e-3;
            lats = Arrays.stream(GribGrid.gaussianLatitudes(gaussianN)).filter(l -> l >= lo && l <= hi).toArray();
            if ((scan & GribGrid.J_POSITIVE) != 0) {
                for (int i = 0; i < lats.length / 2; i++) {
                    double t = lats[i];
                    lats[i] = lats[lats.length - 1 - i];
                    lats[lats.length - 1 - i] = t;
                }
            }
            if (lats.length != nj) {
                return GribGrid.unsupported(gridType, ni * nj, "Gaussian grid N" + gaussianN + " has " + lats.length
                        + " latitudes between " + la1 + " and " + la2 + ", the message says " + nj);
            }
        } else {
            lats = Double.isNaN(dj) ? GribGrid.regular(la1, la2, nj)
                    : GribGrid.stepped(la1, (scan & GribGrid.J_POSITIVE) != 0 ? dj : -dj, nj);
            lats[nj - 1] = la2; // as ecCodes, whose last latitude is the last grid point's, whatever the step
        }
        return new GribGrid(gridType, ni, nj, lats, lons, scan, GribGrid.Layout.REGULAR, null);
    }
}
