package io.refcat.indexer.grib;

/**
 * Latitudes and longitudes of the points of Lambert conformal, polar stereographic and Mercator
 * grids on a spherical earth (Snyder, "Map Projections: A Working Manual", 1987, formulas 15-1 to
 * 15-9, 21-2 to 21-15 and 7-1 to 7-5): the first grid point is projected, the others lie {@code dx}, {@code dy} metres
 * further along the scanning directions, and each is projected back. Row by row, as the values
 * are stored; longitudes in [0, 360), as ecCodes gives them. Ellipsoidal earths are not placed.
 */
final class GribProjections {
    private GribProjections() {
    }

    /** A projected grid: its corner, spacing and scanning, on a sphere of {@code radius} metres. */
    record Grid(int nx, int ny, double la1, double lo1, double dx, double dy, int scan, double radius) {
    }

    static GribGrid lambert(Grid g, double lad, double lov, double latin1, double latin2) {
        double p1 = Math.toRadians(latin1);
        double p2 = Math.toRadians(latin2);
        double n = Math.abs(latin1 - latin2) < 1e-9 ? Math.sin(p1)
                : Math.log(Math.cos(p1) / Math.cos(p2)) / Math.log(t(p2) / t(p1));
        double f = Math.cos(p1) * Math.pow(t(p1), n) / n;
        double rf = g.radius() * f;
        double rho0 = rf / Math.pow(t(Math.toRadians(lad)), n);
        double lambda0 = Math.toRadians(lov);
        double rho = rf / Math.pow(t(Math.toRadians(g.la1())), n);
        double theta = n * normalize(Math.toRadians(g.lo1()) - lambda0);
        double x0 = rho * Math.sin(theta);
        double y0 = rho0 - rho * Math.cos(theta);
        return points("lambert", g, x0, y0, GribGrid.Layout.PROJECTED, (x, y) -> {
            double r = Math.signum(n) * Math.sqrt(x * x + (rho0 - y) * (rho0 - y));
            double th = n > 0 ? Math.atan2(x, rho0 - y) : Math.atan2(-x, -(rho0 - y));
            double lat = 2 * Math.atan(Math.pow(rf / r, 1 / n)) - Math.PI / 2;
            return new double[] {lat, lambda0 + th / n};
        });
    }

    /**
     * Mercator (Snyder 7-1, 7-2, 7-4, 7-5), true scale at latitude {@code lad}: longitudes are
     * linear in x, so the central meridian cancels out. cfgrib shows Mercator grids over one
     * {@code values} dimension, a latitude and longitude per point.
     */
    static GribGrid mercator(Grid g, double lad) {
        double m = g.radius() * Math.cos(Math.toRadians(lad));
        double x0 = m * Math.toRadians(g.lo1());
        double y0 = m * Math.log(t(Math.toRadians(g.la1())));
        return points("mercator", g, x0, y0, GribGrid.Layout.POINTS,
                (x, y) -> new double[] {2 * Math.atan(Math.exp(y / m)) - Math.PI / 2, x / m});
    }

    /** @param southPole the projection centre flag's bit 1: the south pole is on the plane */
    static GribGrid polarStereographic(Grid g, double lad, double lov, boolean southPole) {
        double s = southPole ? -1 : 1;
        double k = g.radius() * (1 + Math.sin(Math.toRadians(s * lad)));
        double lambda0 = Math.toRadians(lov);
        double phi = Math.toRadians(s * g.la1());
        double rho = k * Math.cos(phi) / (1 + Math.sin(phi));
        double lam = s * (Math.toRadians(g.lo1()) - lambda0);
        double x0 = rho * Math.sin(lam);
        double y0 = -rho * Math.cos(lam);
        return points("polar_stereographic", g, s * x0, y0, GribGrid.Layout.PROJECTED, (x, y) -> {
            double xs = s * x;
            double r = Math.hypot(xs, y);
            double lat = Math.PI / 2 - 2 * Math.atan(r / k);
            double lon = Math.atan2(xs, -y);
            return new double[] {s * lat, lambda0 + s * lon};
        });
    }

    /**
     * A rotated lat/lon grid: regular in rotated coordinates (first point, increments, scanning as
     * for a regular grid), each point turned back to geographic coordinates by the rotation that
     * takes the rotated south pole to the real one ({@code angle}: a further rotation about the
     * new polar axis, usually 0), as ecCodes' iterator does.
     */
    static GribGrid rotated(int nx, int ny, double[] rotatedLats, double[] rotatedLons, int scan, double southPoleLat,
                            double southPoleLon, double angle) {
        if (GribGrid.tooLarge(nx, ny)) {
            return GribGrid.tooLarge("rotated_ll", nx, ny);
        }
        double theta = -Math.toRadians(90 + southPoleLat);
        double phi = Math.toRadians(southPoleLon);
        double[] lats = new double[nx * ny];
        double[] lons = new double[lats.length];
        for (int j = 0, p = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++, p++) {
                double lat = Math.toRadians(rotatedLats[j]);
                double lon = Math.toRadians(rotatedLons[i] - angle);
                double x = Math.cos(lat) * Math.cos(lon);
                double y = Math.cos(lat) * Math.sin(lon);
                double z = Math.sin(lat);
                double x2 = Math.cos(theta) * x + Math.sin(theta) * z;
                double z2 = -Math.sin(theta) * x + Math.cos(theta) * z;
                double x3 = Math.cos(phi) * x2 - Math.sin(phi) * y;
                double y3 = Math.sin(phi) * x2 + Math.cos(phi) * y;
                lats[p] = Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, z2))));
                double l = Math.toDegrees(Math.atan2(y3, x3)) % 360;
                lons[p] = l < 0 ? l + 360 : l;
            }
        }
        return new GribGrid("rotated_ll", nx, ny, lats, lons, scan, GribGrid.Layout.PROJECTED, null);
    }

    private interface Inverse {
        double[] latLon(double x, double y);
    }

    /**
     * @param layout {@code PROJECTED} (y/x dimensions), or {@code POINTS} (one {@code values}
     *               dimension), where rows scanned in alternate directions are served turned into
     *               one direction, as the decoders serve every such message, so each value stays
     *               beside the latitude and longitude computed for it here
     */
    private static GribGrid points(String gridType, Grid g, double x0, double y0, GribGrid.Layout layout,
                                   Inverse inverse) {
        if (GribGrid.tooLarge(g.nx(), g.ny())) {
            return GribGrid.tooLarge(gridType, g.nx(), g.ny());
        }
        int unplaced = GribGrid.J_CONSECUTIVE | (layout == GribGrid.Layout.POINTS ? 0 : GribGrid.ALTERNATE_ROWS);
        if ((g.scan() & unplaced) != 0) {
            return GribGrid.unsupported(gridType, g.nx() * g.ny(), "scanning mode " + g.scan()
                    + " of a projected grid is not placed yet");
        }
        // As ecCodes places them (2.28, the library users compare with, and cfgrib through it): from
        // the first point east and north, whatever the i and j scanning flags say. A grid flagged
        // north to south thus gets the coordinates cfgrib shows, not the ones its flag describes
        // (docs/DECISIONS.md, GRIB).
        double sx = g.dx();
        double sy = g.dy();
        double[] lats = new double[g.nx() * g.ny()];
        double[] lons = new double[lats.length];
        for (int j = 0, p = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++, p++) {
                double[] ll = inverse.latLon(x0 + i * sx, y0 + j * sy);
                lats[p] = Math.toDegrees(ll[0]);
                double lon = Math.toDegrees(ll[1]) % 360;
                lons[p] = lon < 0 ? lon + 360 : lon;
            }
        }
        return layout == GribGrid.Layout.POINTS
                ? new GribGrid(gridType, lats.length, 1, lats, lons, g.scan(), layout, null)
                : new GribGrid(gridType, g.nx(), g.ny(), lats, lons, g.scan(), layout, null);
    }

    private static double t(double phi) {
        return Math.tan(Math.PI / 4 + phi / 2);
    }

    private static double normalize(double lambda) {
        double l = lambda;
        while (l > Math.PI) {
            l -= 2 * Math.PI;
        }
        while (l < -Math.PI) {
            l += 2 * Math.PI;
        }
        return l;
    }
}
