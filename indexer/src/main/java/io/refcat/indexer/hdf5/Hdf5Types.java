package io.refcat.indexer.hdf5;

import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.datatype.BitField;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OpaqueDataType;
import io.jhdf.object.datatype.StringData;
import io.refcat.reference.zarr.DType;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** HDF5 datatypes → Zarr v2 dtypes, for the types whose bytes Zarr reads as they are stored. */
final class Hdf5Types {
    private Hdf5Types() {
    }

    static DType dtype(DataType t) throws UnsupportedVariableException {
        if (t instanceof EnumDataType e) {
            if (isBoolean(e)) {
                return new DType('|', 'b', 1);
            }
            return dtype(e.getBaseType());
        }
        if (t instanceof FixedPoint f) {
            return ordered(f.getByteOrder(), f.isSigned() ? 'i' : 'u', f.getSize());
        }
        if (t instanceof BitField b) {
            return ordered(b.getByteOrder(), 'u', b.getSize());
        }
        if (t instanceof FloatingPoint f) {
            if (f.getSize() != 2 && f.getSize() != 4 && f.getSize() != 8) {
                throw new UnsupportedVariableException(f.getSize() + "-byte floating point has no Zarr dtype");
            }
            requireIeee(f);
            return ordered(f.getByteOrder(), 'f', f.getSize());
        }
        if (t instanceof StringData) {
            return new DType('|', 'S', t.getSize());
        }
        if (t instanceof CompoundDataType c) {
            return structured(c);
        }
        if (t instanceof OpaqueDataType) {
            return new DType('|', 'V', t.getSize()); // raw bytes, as h5py reads opaque data
        }
        throw new UnsupportedVariableException("HDF5 datatype " + t.getClass().getSimpleName()
                + " (class " + t.getDataClass() + ") is not referenced yet");
    }

    /**
     * Zarr's {@code f2}/{@code f4}/{@code f8} are IEEE 754 binary16/32/64; HDF5 describes its float
     * bits field by field and libhdf5 converts any layout on reading. Bytes of another layout (an
     * exponent bias of 100, a shifted mantissa, a narrower precision) read as IEEE would be other
     * numbers, so such a type is reported rather than referenced.
     */
    private static void requireIeee(FloatingPoint f) throws UnsupportedVariableException {
        int bits = f.getSize() * 8;
        int exponent = switch (f.getSize()) {
            case 2 -> 5;
            case 4 -> 8;
            default -> 11;
        };
        int mantissa = bits - 1 - exponent;
        boolean ieee = f.getBitOffset() == 0 && f.getBitPrecision() == bits && f.getSignLocation() == bits - 1
                && f.getExponentLocation() == mantissa && f.getExponentSize() == exponent
                && f.getMantissaLocation() == 0 && f.getMantissaSize() == mantissa
                && f.getExponentBias() == (1 << (exponent - 1)) - 1 && f.getMantissaNormalization() == 2;
        if (!ieee) {
            throw new UnsupportedVariableException(bits + "-bit floating point whose bit layout is not IEEE 754 (sign at bit "
                    + f.getSignLocation() + ", exponent " + f.getExponentSize() + " bits at " + f.getExponentLocation()
                    + " with bias " + f.getExponentBias() + ", mantissa " + f.getMantissaSize() + " bits at "
                    + f.getMantissaLocation() + ", precision " + f.getBitPrecision() + " from bit " + f.getBitOffset()
                    + "): Zarr's float dtypes read only IEEE bytes");
        }
    }

    /**
     * A compound type becomes a structured dtype in NumPy's list form, members in offset order.
     * That form cannot state offsets, so padding (between members and at the end, as C alignment
     * leaves it) becomes unnamed {@code |V<n>} fields, as NumPy's {@code descr} and zarr-python
     * write padded types: NumPy reads them back as padding (named {@code f<i>}), and the named
     * members sit at their HDF5 offsets.
     */
    private static DType structured(CompoundDataType c) throws UnsupportedVariableException {
        List<CompoundDataType.CompoundDataMember> members = new ArrayList<>(c.getMembers());
        members.sort(Comparator.comparingInt(CompoundDataType.CompoundDataMember::getOffset));
        List<DType.Field> fields = new ArrayList<>();
        int offset = 0;
        for (CompoundDataType.CompoundDataMember m : members) {
            if (m.getOffset() < offset) {
                throw new UnsupportedVariableException("compound member '" + m.getName() + "' at byte " + m.getOffset()
                        + " overlaps the member before it");
            }
            if (m.getOffset() > offset) {
                fields.add(padding(m.getOffset() - offset));
            }
            List<Integer> shape = new ArrayList<>();
            DataType type = m.getDataType();
            if (type instanceof ArrayDataType array) {
                for (int d : array.getArrayTypeDimensions()) {
                    shape.add(d);
                }
                type = array.getBaseType();
            }
            if (type instanceof io.jhdf.object.datatype.VariableLength) {
                throw new UnsupportedVariableException("compound member '" + m.getName() + "' is variable-length; "
                        + "Zarr's structured dtypes hold fixed-size members only");
            }
            DType.Field f = new DType.Field(m.getName(), dtype(type), shape);
            fields.add(f);
            offset = m.getOffset() + f.size();
        }
        if (offset > c.getSize()) {
            throw new UnsupportedVariableException("compound members end at byte " + offset + ", past the type's "
                    + c.getSize() + " bytes");
        }
        if (offset < c.getSize()) {
            fields.add(padding(c.getSize() - offset));
        }
        return DType.structured(fields);
    }

    private static DType.Field padding(int bytes) {
        return new DType.Field("", new DType('|', 'V', bytes), List.of());
    }

    /** h5py (and numpy) store booleans as the enum {FALSE: 0, TRUE: 1} over one byte. */
    static boolean isBoolean(EnumDataType e) {
        return e.getSize() == 1 && e.getEnumMapping().equals(java.util.Map.of(0, "FALSE", 1, "TRUE"));
    }

    private static DType ordered(ByteOrder order, char kind, int size) {
        return size == 1 ? new DType('|', kind, 1) : new DType(order == ByteOrder.BIG_ENDIAN ? '>' : '<', kind, size);
    }
}
