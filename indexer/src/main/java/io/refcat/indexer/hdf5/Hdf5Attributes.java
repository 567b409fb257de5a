package io.refcat.indexer.hdf5;

import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.Reference;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * HDF5 attributes → JSON-ready values (text, numbers, nested lists), minus the attributes with
 * which netCDF-4 and the HDF5 dimension-scale API implement dimensions: clients see those as
 * dimension names, not as attributes.
 */
final class Hdf5Attributes {
    static final Set<String> HIDDEN = Set.of("_Netcdf4Dimid", "_Netcdf4Coordinates", "_NCProperties", "_nc3_strict",
            "DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_FillValue");

    private Hdf5Attributes() {
    }

    /**
     * @param problems receives {@code name → reason} for attributes that cannot be represented
     */
    static Map<String, Object> of(Node node, Map<String, String> problems) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Attribute> e : node.getAttributes().entrySet()) {
            if (HIDDEN.contains(e.getKey())) {
                continue;
            }
            try {
                Attribute a = e.getValue();
                if (a.getDataType() instanceof Reference) {
                    throw new UnsupportedVariableException("object and region references are not represented");
                }
                Object data = a.isEmpty() ? null : a.getData();
                if (a.getDataType() instanceof EnumDataType en) {
                    data = enumValues(data, en.getEnumMapping());
                }
                Object value = json(data);
                if (a.getDataType() instanceof CompoundDataType && value instanceof Map<?, ?> columns) {
                    List<Object> rows = rows(columns);
                    value = a.isScalar() && rows.size() == 1 ? rows.get(0) : rows;
                }
                out.put(e.getKey(), value);
            } catch (RuntimeException | UnsupportedVariableException ex) {
                problems.put(e.getKey(), ex.getMessage());
            }
        }
        return new LinkedHashMap<>(out);
    }

    /** jhdf gives enum members' names; h5py, and so Python users, see the integer values. */
    private static Object enumValues(Object data, Map<Integer, String> mapping) {
        if (data instanceof String name) {
            for (Map.Entry<Integer, String> m : mapping.entrySet()) {
                if (m.getValue().equals(name)) {
                    return (long) m.getKey();
                }
            }
            return name;
        }
        if (data != null && data.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(data); i++) {
                list.add(enumValues(Array.get(data, i), mapping));
            }
            return list;
        }
        return data;
    }

    /**
     * A compound attribute is a JSON object, member → value (jhdf gives members as columns); an
     * array of compounds a list of such objects, one per element, as h5py's records read.
     */
    private static List<Object> rows(Map<?, ?> columns) {
        List<Object> rows = new ArrayList<>();
        for (Map.Entry<?, ?> c : columns.entrySet()) {
            List<?> values = c.getValue() instanceof List<?> l ? l : List.of(c.getValue());
            for (int i = 0; i < values.size(); i++) {
                if (rows.size() <= i) {
                    rows.add(new LinkedHashMap<String, Object>());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) rows.get(i);
                row.put(String.valueOf(c.getKey()), values.get(i));
            }
        }
        return rows;
    }

    static Object json(Object data) throws UnsupportedVariableException {
        if (data == null || data instanceof String || data instanceof Boolean) {
            return data;
        }
        if (data instanceof Map<?, ?> members) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> m : members.entrySet()) {
                out.put(String.valueOf(m.getKey()), json(m.getValue()));
            }
            return out;
        }
        if (data instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(json(o));
            }
            return out;
        }
        if (data instanceof Number n) {
            return number(n);
        }
        if (data.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(data); i++) {
                list.add(json(Array.get(data, i)));
            }
            return list;
        }
        throw new UnsupportedVariableException("attribute value of type " + data.getClass().getSimpleName());
    }

    private static Object number(Number n) {
        if (n instanceof Float || n instanceof Double) {
            return n.doubleValue();
        }
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        return n.longValue();
    }
}
