package io.refcat.indexer.hdf5;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dimension names as libnetcdf gives them: from {@code DIMENSION_LIST} (dimension scales); a
 * scale is its own dimension; datasets without scales get {@code phony_dim_N} names, reusing a
 * group's phony dimension of equal length and unlimited-ness that the dataset does not use yet,
 * numbered across the file in the order the scanner visits variables (libnetcdf's order).
 */
final class NetcdfDimensions {
    private static final String NOT_A_VARIABLE = "This is a netCDF dimension but not a netCDF variable";
    private static final String NON_COORD = "_nc4_non_coord_";

    private final Map<Long, String> scaleNames = new HashMap<>();
    private final Map<String, List<String>> phonyDims = new HashMap<>();
    private int phonyCount;

    void collectScales(Group g, GroupLinks links) {
        for (GroupLinks.Child link : links.of(g)) {
            Node n = link.node();
            try {
                if (n instanceof Group child) {
                    collectScales(child, links);
                } else if (n instanceof Dataset && "DIMENSION_SCALE".equals(text(n, "CLASS"))) {
                    scaleNames.put(n.getAddress(), n.getName());
                }
            } catch (RuntimeException e) {
                // reported when the node itself is visited
            }
        }
    }

    /**
     * The name libnetcdf shows for a dataset: a variable named like a dimension it is not the
     * coordinate of is stored as {@code _nc4_non_coord_<name>} (beside the dimension's own scale
     * dataset {@code <name>}, which is not a variable), and read back as {@code <name>}.
     */
    static String variableName(String hdf5Name) {
        return hdf5Name.startsWith(NON_COORD) && hdf5Name.length() > NON_COORD.length()
                ? hdf5Name.substring(NON_COORD.length()) : hdf5Name;
    }

    static boolean isDimensionOnly(Dataset d) {
        String name = text(d, "NAME");
        return name != null && name.startsWith(NOT_A_VARIABLE);
    }

    List<String> names(Dataset d, String groupPath, List<Long> shape) {
        List<String> names = new ArrayList<>();
        List<String> usedPhony = new ArrayList<>();
        long[] max = d.getMaxSize();
        Attribute list = d.getAttribute("DIMENSION_LIST");
        Object refs = list == null ? null : list.getData();
        for (int i = 0; i < shape.size(); i++) {
            String name = null;
            if (refs instanceof Object[] perDim && i < perDim.length && perDim[i] instanceof long[] addrs
                    && addrs.length > 0) {
                name = scaleNames.get(addrs[0]);
            }
            if (name == null && shape.size() == 1 && scaleNames.containsKey(d.getAddress())) {
                name = d.getName();
            }
            if (name == null) {
                boolean unlimited = max != null && i < max.length && max[i] < 0;
                name = phony(groupPath, shape.get(i), unlimited, usedPhony);
                usedPhony.add(name);
            }
            names.add(name);
        }
        return names;
    }

    /**
     * libnetcdf's phony dimensions: a group's existing one of this length and unlimited-ness that
     * the dataset does not use yet, else a new {@code phony_dim_N}, N counting across the file.
     */
    private String phony(String groupPath, long length, boolean unlimited, List<String> used) {
        List<String> candidates = phonyDims.computeIfAbsent(groupPath + "|" + length + "|" + unlimited,
                k -> new ArrayList<>());
        for (String c : candidates) {
            if (!used.contains(c)) {
                return c;
            }
        }
        String name = "phony_dim_" + phonyCount++;
        candidates.add(name);
        return name;
    }

    private static String text(Node n, String attribute) {
        Attribute a = n.getAttribute(attribute);
        if (a == null) {
            return null;
        }
        Object v = a.getData();
        return v instanceof String s ? s : null;
    }
}
