package io.refcat.indexer.grib;

import java.util.Arrays;

/**
 * A field's grid as cfgrib presents it: for regular lat/lon and regular Gaussian grids, the
 * distinct latitudes and longitudes in the order the values are stored (ecCodes'
 * {@code distinctLatitudes}/{@code distinctLongitudes}), dimensions {@code latitude},
 * {@code longitude}; for reduced Gaussian grids one latitude and longitude per point over one
 * {@code values} dimension; for Lambert conformal and polar stereographic grids 2-D latitudes and
 * longitudes over {@code y}, {@code x}; other grids carry the reason refcat cannot place them yet.
 *
 * @param gridType ecCodes' gridType name (regular_ll, regular_gg, lambert, ...)
 * @param scanMode the scanning-mode flags (GRIB2 table 3.4; GRIB1's use the same bits)
 */
record GribGrid(String gridType, int nx, int ny, double[] latitudes, double[] longitudes, int scanMode,
                       Layout layout, String unsupported) {
    /**
     * How cfgrib lays the points out: {@code latitude}/{@code longitude} dimensions with distinct
     * values; one {@code values} dimension with a latitude and longitude per point; or
     * {@code y}/{@code x} dimensions with 2-D latitudes and longitudes (projected grids).
     */
    enum Layout { REGULAR, POINTS, PROJECTED }

    /**
     * The most points refcat places on one grid (a global 0.025-degree grid has 10^8): a larger
     * count in a grid section is corrupt or hostile, and placing it would exhaust the heap.
     */
    static final long MAX_POINTS = 120_000_000L;
    static final int I_NEGATIVE = 0x80;
    static final int J_POSITIVE = 0x40;
    static final int J_CONSECUTIVE = 0x20;
    static final int ALTERNATE_ROWS = 0x10;

    /** A grid whose point count a corrupt section made absurd, reported rather than allocated. */
    static GribGrid tooLarge(String gridType, long nx, long ny) {
        return unsupported(gridType, 0, nx + " x " + ny + " points exceed the " + MAX_POINTS
                + " refcat places: the grid section is corrupt");
    }

    static boolean tooLarge(long nx, long ny) {
        return nx < 1 || ny < 1 || nx > MAX_POINTS || ny > MAX_POINTS || nx * ny > MAX_POINTS;
    }

    static GribGrid unsupported(String gridType, int points, String why) {
        return new GribGrid(gridType, points, 1, new double[0], new double[0], 0, Layout.REGULAR, why);
    }

    /** Whether two fields lie on the same grid, as cfgrib requires of one variable. */
    boolean sameAs(GribGrid o) {
        return gridType.equals(o.gridType) && nx == o.nx && ny == o.ny && scanMode == o.scanMode && layout == o.layout
                && Arrays.equals(latitudes, o.latitudes) && Arrays.equals(longitudes, o.longitudes)
                && java.util.Objects.equals(unsupported, o.unsupported);
    }

    /** {@code n} points from {@code first} to {@code last}, evenly spaced. */
    static double[] regular(double first, double last, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? first : first + (last - first) * i / (n - 1);
        }
        return v;
    }

    /** {@code n} points from {@code first}, {@code step} apart. */
    static double[] stepped(double first, double step, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = first + step * i;
        }
        return v;
    }

    /**
     * The latitudes of a Gaussian grid with {@code n} latitudes between pole and equator (2n in
     * all, north to south): the zeros of the Legendre polynomial of degree 2n, found by Newton's
     * method from the usual first guesses, as ecCodes computes them.
     */
    static double[] gaussianLatitudes(int n) {
        int nlat = 2 * n;
        double[] lats = new double[nlat];
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (nlat + 0.5));
            for (int iter = 0; iter < 100; iter++) {
                double p1 = 1;
                double p2 = 0;
                for (int j = 1; j <= nlat; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j;
                }
                double pp = nlat * (z * p1 - p2) / (z * z - 1);
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) < 1e-15) {
                    break;
                }
            }
            double lat = Math.toDegrees(Math.asin(z));
            lats[i] = lat;
            lats[nlat - 1 - i] = -lat;
        }
        return lats;
    }
}
