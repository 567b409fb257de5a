package io.refcat.indexer.grib;

import static io.refcat.reference.BigEndian.signed;
import static io.refcat.reference.BigEndian.u1;
import static io.refcat.reference.BigEndian.u2;
import static io.refcat.reference.BigEndian.u3;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import ucar.nc2.grib.GribNumbers;
import io.refcat.reference.ByteSource;
import java.io.IOException;

/**
 * A GRIB1 field's keys, read from its raw product and grid sections (WMO GRIB1 sections 1 and 2;
 * octets 1-based in the comments, indexed from 0 in the code), ECMWF's local extension for the
 * ensemble member.
 */
final class Grib1Fields {
    /** Level types whose octets 11 and 12 are two one-byte levels (a layer), per ecCodes. */
    private static final Set<Integer> LAYERS = Set.of(101, 104, 106, 108, 110, 112, 114, 116, 120, 121, 128, 141);
    private static final int ECMWF = 98;
    /**
     * ECMWF local definitions (grib1/local.98.N.def) whose perturbation number sits at octet 50,
     * and its width in bytes: ensemble forecasts (1), seasonal forecasts (12, 15, 16), wave
     * spectra (13), multi-analysis ensembles (18), hindcasts (26), variable-resolution EPS (30).
     * A member another definition carries is not read; its fields then collide with the others'
     * and are reported, never dropped silently.
     */
    private static final Map<Integer, Integer> MEMBER_WIDTH = Map.of(1, 1, 12, 2, 13, 1, 15, 2, 16, 2, 18, 1, 26, 1,
            30, 1);

    private Grib1Fields() {
    }

    /** Binary data section flags (GRIB1 table 11): spherical harmonics, second-order packing. */
    private static final int HARMONICS = 0x80;
    private static final int SECOND_ORDER = 0x40;
    /**
     * Octet 14's flags of second-order packing: the ones the store decodes (general extended, with
     * different widths; no matrix, secondary bitmap or boustrophedonic order).
     */
    private static final int GENERAL_EXTENDED_MASK = 0x7C;
    private static final int GENERAL_EXTENDED = 0x18;
    /** Octet 14 holds more flags: with the integer bit, ECMWF's IEEE packing; without, a matrix of values. */
    private static final int ADDITIONAL_FLAGS = 0x10;
    private static final int MATRIX_OR_IEEE = 0x30;

    /**
     * The field of a GRIB1 message, read from its sections (lengths walked from the product
     * section on, as NetCDF-Java's scanner refuses messages over 16 MB).
     */
    static GribField of(ByteSource message, long offset) throws GribFieldException, IOException {
        long at = 8;
        byte[] p = message.read(at, (int) Math.min(u3(message.read(at, 3), 0), message.size() - at));
        if (p.length < 28) {
            throw new GribFieldException("product definition section of " + p.length + " bytes");
        }
        int sectionFlags = u1(p, 7);
        at += p.length;
        byte[] g = null;
        if ((sectionFlags & 0x80) != 0) {
            g = message.read(at, (int) Math.min(u3(message.read(at, 3), 0), message.size() - at));
            at += Math.max(g.length, 1);
        }
        if ((sectionFlags & 0x40) != 0) {
            at += Math.max(u3(message.read(at, 3), 0), 1);
        }
        int flags = u1(message.read(at + 3, 1), 0);
        int extended = (flags & SECOND_ORDER) != 0 ? u1(message.read(at + 13, 1), 0) : 0;
        String undecodable = (flags & HARMONICS) != 0 ? "GRIB1 spherical harmonics packing has no decoder in refcat"
                : (flags & SECOND_ORDER) != 0 && (extended & GENERAL_EXTENDED_MASK) != GENERAL_EXTENDED
                ? "GRIB1 second-order packing with extended flags " + extended + " has no decoder in refcat (it "
                        + "decodes general extended packing in standard order)"
                : (flags & MATRIX_OR_IEEE) == ADDITIONAL_FLAGS ? "GRIB1 matrix-of-values packing has no decoder in refcat"
                : null;
        int centre = u1(p, 4);
        int levelType = u1(p, 9);
        Map<String, Object> k = new HashMap<>();
        k.put("table2Version", (long) u1(p, 3));
        k.put("centre", (long) centre);
        k.put("indicatorOfParameter", (long) u1(p, 8));
        k.put("indicatorOfTypeOfLevel", (long) levelType);
        double level = LAYERS.contains(levelType) ? u1(p, 10) : u2(p, 10);
        k.put("level", (long) level);
        if (LAYERS.contains(levelType)) {
            k.put("topLevel", (long) u1(p, 10));
            k.put("bottomLevel", (long) u1(p, 11));
        }
        int timeRange = u1(p, 20);
        k.put("timeRangeIndicator", (long) timeRange);
        int unit = u1(p, 17);
        int p1 = u1(p, 18);
        int p2 = u1(p, 19);
        long steps = switch (timeRange) {
            case 0, 1 -> p1;
            case 10 -> (p1 << 8) | p2;
            default -> p2;
        };
        double step = steps * hours(unit);
        int century = u1(p, 24);
        int year = (century - 1) * 100 + u1(p, 12);
        long refTime = LocalDateTime.of(year, u1(p, 13), u1(p, 14), u1(p, 15), u1(p, 16))
                .toEpochSecond(ZoneOffset.UTC);
        Integer number = null;
        Integer width = p.length > 50 && (centre == ECMWF || u1(p, 25) == ECMWF)
                ? MEMBER_WIDTH.get(u1(p, 40)) : null;
        if (width != null) {
            // ECMWF's local definitions (also under other centres with ECMWF as sub-centre, as
            // in C3S data): the perturbation number follows the MARS labels, at octet 50
            number = width == 1 ? u1(p, 49) : u2(p, 49);
        } else {
            ucar.nc2.grib.grib1.Grib1SectionProductDefinition pds = new ucar.nc2.grib.grib1.Grib1SectionProductDefinition(p);
            if (pds.isEnsemble()) {
                number = pds.getPerturbationNumber(); // NCEP's and others' extensions, as NetCDF-Java reads them
            }
        }
        GribGrid grid = g == null ? GribGrid.unsupported("predefined", 0, "predefined grid " + u1(p, 6)
                + " (no grid section) is not placed yet") : grid(g);
        return new GribField(offset, message.size(), 0, 1, centre, k, refTime, step, number, level, grid, undecodable);
    }

    /** GRIB1 code table 4 units in hours; months and years have no fixed length. */
    private static double hours(int unit) throws GribFieldException {
        return switch (unit) {
            case 0 -> 1 / 60.0;
            case 1 -> 1;
            case 2 -> 24;
            case 10 -> 3;
            case 11 -> 6;
            case 12 -> 12;
            case 13 -> 0.25;
            case 14 -> 0.5;
            case 254 -> 1 / 3600.0;
            default -> throw new GribFieldException("time unit " + unit + " (GRIB1 code table 4) has no fixed length");
        };
    }

    /** Data representation types 0 (regular lat/lon) and 4 (Gaussian); the rest are reported. */
    private static GribGrid grid(byte[] g) {
        if (g.length < 28) {
            return GribGrid.unsupported("grid", 0, "grid definition section of " + g.length + " bytes: corrupt");
        }
        int type = u1(g, 5);
        int ni = u2(g, 6);
        int nj = u2(g, 8);
        if (type == 3 || type == 5) {
            return projected(g, type, ni, nj);
        }
        if (type == 10 && g.length >= 42) {
            // rotated lat/lon: type 0's octets, then the rotated south pole and the angle (an IBM float)
            byte[] regular = g.clone();
            regular[5] = 0;
            GribGrid r = grid(regular);
            if (r.unsupported() != null || r.layout() != GribGrid.Layout.REGULAR) {
                return GribGrid.unsupported("rotated_ll", ni * nj, r.unsupported() == null
                        ? "reduced rotated grids are not placed yet" : r.unsupported());
            }
            return GribProjections.rotated(r.nx(), r.ny(), r.latitudes(), r.longitudes(), r.scanMode(),
                    signed(u3(g, 32), 24) / 1000.0, signed(u3(g, 35), 24) / 1000.0,
                    GribNumbers.float4(u1(g, 38), u1(g, 39), u1(g, 40), u1(g, 41)));
        }
        if (type != 0 && type != 4) {
            return GribGrid.unsupported(GribGrids.name1(type), ni * nj, "grid type " + type + " ("
                    + GribGrids.name1(type) + ") is not placed yet");
        }
        double la1 = signed(u3(g, 10), 24) / 1000.0;
        double lo1 = signed(u3(g, 13), 24) / 1000.0;
        double la2 = signed(u3(g, 17), 24) / 1000.0;
        double lo2 = signed(u3(g, 20), 24) / 1000.0;
        int scan = u1(g, 27);
        if (ni == 0xFFFF) {
            int location = u1(g, 4); // octet 5: where the vertical coordinates, then the row lengths, start
            int at = location - 1 + 4 * u1(g, 3);
            if (type != 4 || location == 0xFF || at < 0 || at + 2 * nj > g.length) {
                return GribGrid.unsupported(type == 4 ? "reduced_gg" : "reduced_ll", 0,
                        "reduced grid without a list of row lengths refcat reads");
            }
            int[] pl = new int[nj];
            for (int i = 0; i < nj; i++) {
                pl[i] = u2(g, at + 2 * i);
            }
            return GribGrids.reducedGaussian(u2(g, 25), pl, la1, la2, lo1, scan);
        }
        // resolution and component flags (GRIB1 table 7): 0x80 direction increments given
        boolean increments = (u1(g, 16) & 0x80) != 0;
        int di = u2(g, 23);
        int dj = u2(g, 25);
        double iStep = increments && di != 0xFFFF ? di / 1000.0 : Double.NaN;
        double jStep = increments && type == 0 && dj != 0xFFFF ? dj / 1000.0 : Double.NaN;
        return GribGrids.regular(type == 0 ? "regular_ll" : "regular_gg", ni, nj, la1, lo1, la2, lo2, iStep, jStep,
                scan, type == 4 ? dj : 0);
    }

    /**
     * Types 3 (Lambert conformal; its first standard parallel is where Dx, Dy hold) and 5 (polar
     * stereographic, true at 60 degrees), on GRIB1's spherical earth of radius 6367.47 km.
     */
    private static GribGrid projected(byte[] g, int type, int nx, int ny) {
        String name = GribGrids.name1(type);
        if ((u1(g, 16) & 0x40) != 0) {
            return GribGrid.unsupported(name, nx * ny, "an oblate earth is not placed yet");
        }
        GribProjections.Grid grid = new GribProjections.Grid(nx, ny, signed(u3(g, 10), 24) / 1000.0,
                signed(u3(g, 13), 24) / 1000.0, u3(g, 20), u3(g, 23), u1(g, 27), 6367470);
        double lov = signed(u3(g, 17), 24) / 1000.0;
        boolean southPole = (u1(g, 26) & 0x80) != 0;
        if (type == 5) {
            return GribProjections.polarStereographic(grid, southPole ? -60 : 60, lov, southPole);
        }
        double latin1 = signed(u3(g, 28), 24) / 1000.0;
        return GribProjections.lambert(grid, latin1, lov, latin1, signed(u3(g, 31), 24) / 1000.0);
    }
}
