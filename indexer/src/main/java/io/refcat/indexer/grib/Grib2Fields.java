package io.refcat.indexer.grib;

import static io.refcat.reference.BigEndian.signed;
import static io.refcat.reference.BigEndian.u1;
import static io.refcat.reference.BigEndian.u2;
import static io.refcat.reference.BigEndian.u4;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import ucar.nc2.grib.grib2.Grib2Record;
import ucar.nc2.grib.grib2.Grib2SectionIdentification;

/**
 * A GRIB2 field's keys, read from its raw sections (WMO GRIB2 templates 4.x for the product,
 * 3.0 and 3.40 for the grid; octets are 1-based in the comments, the code indexes from 0).
 * NetCDF-Java finds the sections; refcat reads the octets itself so the values are ecCodes' own
 * (scaled values and factors, not rescaled floats).
 */
final class Grib2Fields {
    private static final int MISSING_1 = 0xFF;
    private static final long MISSING_4 = 0xFFFFFFFFL;

    private Grib2Fields() {
    }

    /** Where a product template's octets sit: its shift for the atmospheric-chemistry templates, its kind. */
    private record Template(int shift, boolean ensemble, boolean statistical) {
    }

    private static Template template(int number) throws GribFieldException {
        return switch (number) {
            case 0, 2 -> new Template(0, false, false);
            case 1 -> new Template(0, true, false);
            case 8 -> new Template(0, false, true);
            case 11 -> new Template(0, true, true);
            case 40 -> new Template(2, false, false);
            case 41 -> new Template(2, true, false);
            case 42 -> new Template(2, false, true);
            case 43 -> new Template(2, true, true);
            default -> throw new GribFieldException("product definition template 4." + number + " is not read yet");
        };
    }

    /**
     * Data representation templates the served views decode (NetCDF-Java: 5.0 simple, 5.50002,
     * spatial differencing; refcat's Grib2Unpacker: 5.2/5.3 complex, 5.40 JPEG 2000 through
     * NetCDF-Java's codestream decoder, 5.41 PNG, 5.42 CCSDS) and the names of some they do not.
     */
    private static final java.util.Set<Integer> DECODED = java.util.Set.of(0, 2, 3, 40, 41, 42, 50002);
    private static final Map<Integer, String> PACKING_NAMES = Map.of(4, "IEEE floating point", 42, "CCSDS (AEC)",
            50, "spectral simple", 51, "spectral complex", 61, "simple with logarithm preprocessing", 200,
            "run length");

    static GribField of(Grib2Record r, int field) throws GribFieldException {
        int packing = r.getDataRepresentationSection().getDataTemplate();
        String undecodable = null;
        if (!DECODED.contains(packing)) {
            undecodable = "data representation template 5." + packing + " ("
                    + PACKING_NAMES.getOrDefault(packing, "unknown packing") + ") has no decoder in refcat";
        }
        byte[] p = r.getPDSsection().getRawBytes();
        int number = u2(p, 7);
        Template t = template(number);
        int s = t.shift();
        Grib2SectionIdentification id = r.getId();
        Map<String, Object> k = new HashMap<>();
        k.put("discipline", (long) r.getDiscipline());
        k.put("parameterCategory", (long) u1(p, 9));
        k.put("parameterNumber", (long) u1(p, 10));
        k.put("productDefinitionTemplateNumber", (long) number);
        k.put("localTablesVersion", (long) id.getLocal_table_version());
        k.put("centre", (long) id.getCenter_id());
        if (s > 0) {
            k.put("constituentType", (long) u2(p, 11));
        }
        k.put("typeOfGeneratingProcess", (long) u1(p, 11 + s));
        int unit = u1(p, 17 + s);
        double step = hours(u4(p, 18 + s), unit);
        double level = surfaces(p, 22 + s, k);
        Integer member = null;
        int next = 34 + s;
        if (t.ensemble()) {
            member = u1(p, next + 1);
            next += 3;
        }
        if (t.statistical()) {
            int stat = u1(p, next + 12);
            k.put("typeOfStatisticalProcessing", (long) stat);
            k.put("typeOfTimeIncrement", (long) u1(p, next + 13));
            int rangeUnit = u1(p, next + 14);
            long range = u4(p, next + 15);
            k.put("indicatorOfUnitForTimeRange", (long) rangeUnit);
            k.put("lengthOfTimeRange", range);
            step += hours(range, rangeUnit);
        }
        long refTime = LocalDateTime.of(id.getYear(), id.getMonth(), id.getDay(), id.getHour(), id.getMinute(),
                id.getSecond()).toEpochSecond(ZoneOffset.UTC);
        GribGrid grid = grid(r.getGDSsection().getRawBytes(), r.getGDSsection().getNumberPoints());
        return new GribField(r.getIs().getStartPos(), r.getIs().getMessageLength(), field, 2, id.getCenter_id(), k,
                refTime, step, member, level, grid, undecodable);
    }

    /**
     * The first and second fixed surfaces (type, scale factor, scaled value), as ecCodes keys;
     * returns the level cfgrib uses: the first surface's value, isobaric levels in hPa where whole.
     */
    private static double surfaces(byte[] p, int at, Map<String, Object> k) {
        double level = 0;
        String[] which = {"First", "Second"};
        for (int i = 0; i < 2; i++) {
            int o = at + 6 * i;
            int type = u1(p, o);
            int factor = u1(p, o + 1);
            long value = u4(p, o + 2);
            k.put("typeOf" + which[i] + "FixedSurface", (long) type);
            if (factor != MISSING_1 && value != MISSING_4) {
                long scaled = signed(value, 32);
                int f = (int) signed(factor, 8);
                k.put("scaleFactorOf" + which[i] + "FixedSurface", (long) f);
                k.put("scaledValueOf" + which[i] + "FixedSurface", scaled);
                if (i == 0) {
                    level = scaled * Math.pow(10, -f);
                }
            }
        }
        if (((Long) k.get("typeOfFirstFixedSurface")) == 100) {
            boolean hPa = level % 100 == 0;
            k.put("pressureUnits", hPa ? "hPa" : "Pa");
            level = hPa ? level / 100 : level;
        }
        return level;
    }

    /** GRIB2 code table 4.4 units in hours; months and years have no fixed length. */
    static double hours(long value, int unit) throws GribFieldException {
        double h = switch (unit) {
            case 0 -> 1 / 60.0;
            case 1 -> 1;
            case 2 -> 24;
            case 10 -> 3;
            case 11 -> 6;
            case 12 -> 12;
            case 13 -> 1 / 3600.0;
            default -> throw new GribFieldException("time unit " + unit + " (code table 4.4) has no fixed length");
        };
        return value * h;
    }

    /** Grid definition templates 3.0 (regular lat/lon) and 3.40 (Gaussian). */
    private static GribGrid grid(byte[] g, int points) {
        return grid(g, points, u2(g, 12));
    }

    private static GribGrid grid(byte[] g, int points, int template) {
        if (template == 20 || template == 30) {
            return projected(g, template, points);
        }
        if (template == 10) {
            return mercator(g, points);
        }
        if (template == 1) {
            return rotated(g, points);
        }
        if (template != 0 && template != 40) {
            return GribGrid.unsupported(GribGrids.name2(template), points, "grid definition template 3." + template
                    + " (" + GribGrids.name2(template) + ") is not placed yet");
        }
        long ni = u4(g, 30);
        long nj = u4(g, 34);
        if (ni != MISSING_4 && GribGrid.tooLarge(ni, nj)) {
            return GribGrid.tooLarge(GribGrids.name2(template), ni, nj);
        }
        long angle = u4(g, 38);
        long subdivisions = u4(g, 42);
        double unit = angle == 0 || angle == MISSING_4 || subdivisions == MISSING_4 ? 1e-6 : (double) angle / subdivisions;
        double la1 = signed(u4(g, 46), 32) * unit;
        double lo1 = signed(u4(g, 50), 32) * unit;
        double la2 = signed(u4(g, 55), 32) * unit;
        double lo2 = signed(u4(g, 59), 32) * unit;
        int scan = u1(g, 71);
        int flags = u1(g, 54);
        if (ni == MISSING_4) {
            String type = template == 40 ? "reduced_gg" : "reduced_ll";
            // the list of points per row follows the template: octet 11 gives each number's size
            int size = u1(g, 10);
            if (nj < 1 || 72 + nj * Math.max(size, 1) > g.length) {
                return GribGrid.unsupported(type, points, "the list of " + nj + " row lengths does not fit "
                        + "the grid section of " + g.length + " bytes: corrupt");
            }
            int[] pl = new int[(int) nj];
            for (int i = 0; i < pl.length; i++) {
                pl[i] = size == 1 ? u1(g, 72 + i) : size == 2 ? u2(g, 72 + 2 * i) : (int) u4(g, 72 + 4 * i);
            }
            long dj = u4(g, 67);
            return template == 40 ? GribGrids.reducedGaussian((int) dj, pl, la1, la2, lo1, scan)
                    : GribGrids.reducedLatLon(pl, la1, la2, lo1, lo2,
                            (flags & 0x10) != 0 && dj != MISSING_4 ? dj * unit : Double.NaN, scan);
        }
        long di = u4(g, 63);
        long dj = u4(g, 67);
        // resolution and component flags (table 3.3): 0x20 i increment given, 0x10 j increment given
        double iStep = (flags & 0x20) != 0 && di != MISSING_4 ? di * unit : Double.NaN;
        double jStep = template == 0 && (flags & 0x10) != 0 && dj != MISSING_4 ? dj * unit : Double.NaN;
        return GribGrids.regular(template == 0 ? "regular_ll" : "regular_gg", (int) ni, (int) nj, la1, lo1, la2, lo2,
                iStep, jStep, scan, template == 40 ? (int) dj : 0);
    }

    /** Template 3.1: template 3.0's octets, then the rotated south pole and the angle of rotation. */
    private static GribGrid rotated(byte[] g, int points) {
        GribGrid regular = grid(g.clone(), points, 0);
        if (regular.unsupported() != null || regular.layout() != GribGrid.Layout.REGULAR) {
            return GribGrid.unsupported("rotated_ll", points, regular.unsupported() == null
                    ? "reduced rotated grids are not placed yet" : regular.unsupported());
        }
        long angle = u4(g, 38);
        long subdivisions = u4(g, 42);
        double unit = angle == 0 || angle == MISSING_4 || subdivisions == MISSING_4 ? 1e-6 : (double) angle / subdivisions;
        double southPoleLat = signed(u4(g, 72), 32) * unit;
        double southPoleLon = signed(u4(g, 76), 32) * unit;
        double rotation = Float.intBitsToFloat((int) u4(g, 80));
        return GribProjections.rotated(regular.nx(), regular.ny(), regular.latitudes(), regular.longitudes(),
                regular.scanMode(), southPoleLat, southPoleLon, rotation);
    }

    /** The earth's radius in metres (code table 3.2), or NaN for an ellipsoid. */
    private static double radius(byte[] g) {
        return switch (u1(g, 14)) {
            case 0 -> 6367470;
            case 6 -> 6371229;
            case 8 -> 6371200;
            case 1 -> u4(g, 16) * Math.pow(10, -signed(u1(g, 15), 8));
            default -> Double.NaN;
        };
    }

    private static GribGrid ellipsoid(byte[] g, String type, int points) {
        return GribGrid.unsupported(type, points, "shape of the earth " + u1(g, 14) + " (an ellipsoid) is not placed yet");
    }

    /** Template 3.10 (Mercator), on a spherical earth. */
    private static GribGrid mercator(byte[] g, int points) {
        double radius = radius(g);
        if (Double.isNaN(radius)) {
            return ellipsoid(g, "mercator", points);
        }
        if (GribGrid.tooLarge(u4(g, 30), u4(g, 34))) {
            return GribGrid.tooLarge("mercator", u4(g, 30), u4(g, 34));
        }
        GribProjections.Grid grid = new GribProjections.Grid((int) u4(g, 30), (int) u4(g, 34),
                signed(u4(g, 38), 32) * 1e-6, signed(u4(g, 42), 32) * 1e-6, u4(g, 64) * 1e-3, u4(g, 68) * 1e-3,
                u1(g, 59), radius);
        return GribProjections.mercator(grid, signed(u4(g, 47), 32) * 1e-6);
    }

    /** Templates 3.20 (polar stereographic) and 3.30 (Lambert conformal), on a spherical earth. */
    private static GribGrid projected(byte[] g, int template, int points) {
        String type = template == 20 ? "polar_stereographic" : "lambert";
        double radius = radius(g);
        if (Double.isNaN(radius)) {
            return ellipsoid(g, type, points);
        }
        if (GribGrid.tooLarge(u4(g, 30), u4(g, 34))) {
            return GribGrid.tooLarge(type, u4(g, 30), u4(g, 34));
        }
        GribProjections.Grid grid = new GribProjections.Grid((int) u4(g, 30), (int) u4(g, 34),
                signed(u4(g, 38), 32) * 1e-6, signed(u4(g, 42), 32) * 1e-6, u4(g, 55) * 1e-3, u4(g, 59) * 1e-3,
                u1(g, 64), radius);
        double lad = signed(u4(g, 47), 32) * 1e-6;
        double lov = u4(g, 51) * 1e-6;
        boolean southPole = (u1(g, 63) & 0x80) != 0;
        return template == 20 ? GribProjections.polarStereographic(grid, lad, lov, southPole)
                : GribProjections.lambert(grid, lad, lov, signed(u4(g, 65), 32) * 1e-6, signed(u4(g, 69), 32) * 1e-6);
    }
}
