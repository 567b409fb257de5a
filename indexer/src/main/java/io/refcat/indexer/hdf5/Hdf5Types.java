package io.refcat.indexer.hdf5;

import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.datatype.BitField;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
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
            return ordered(f.getByteOrder(), 'f', f.getSize());
        }
        if (t instanceof StringData) {
            return new DType('|', 'S', t.getSize());
        }
        if (t instanceof CompoundDataType c) {
            return structured(c);
        }
        throw new UnsupportedVariableException("HDF5 datatype " + t.getClass().getSimpleName()
                + " (class " + t.getDataClass() + ") is not referenced yet");
    }

    /**
     * A compound type whose members are packed in offset order becomes a structured dtype; NumPy's
     * list form, which Zarr v2 uses, cannot state offsets, so a compound with padding cannot.
     */
    private static DType structured(CompoundDataType c) throws UnsupportedVariableException {
        List<CompoundDataType.CompoundDataMember> members = new ArrayList<>(c.getMembers());
        members.sort(Comparator.comparingInt(CompoundDataType.CompoundDataMember::getOffset));
        List<DType.Field> fields = new ArrayList<>();
        int offset = 0;
        for (CompoundDataType.CompoundDataMember m : members) {
            if (m.getOffset() != offset) {
                throw new UnsupportedVariableException("compound member '" + m.getName() + "' at byte " + m.getOffset()
                        + " follows padding; Zarr's structured dtypes are packed");
            }
            List<Integer> shape = new ArrayList<>();
            DataType type = m.getDataType();
            if (type instanceof ArrayDataType array) {
                for (int d : array.getArrayTypeDimensions()) {
                    shape.add(d);
                }
                type = array.getBaseType();
            }
            DType.Field f = new DType.Field(m.getName(), dtype(type), shape);
            fields.add(f);
            offset += f.size();
        }
        if (offset != c.getSize()) {
            throw new UnsupportedVariableException("compound type of " + c.getSize() + " bytes has " + (c.getSize() - offset)
                    + " bytes of trailing padding; Zarr's structured dtypes are packed");
        }
        return DType.structured(fields);
    }

    /** h5py (and numpy) store booleans as the enum {FALSE: 0, TRUE: 1} over one byte. */
    static boolean isBoolean(EnumDataType e) {
        return e.getSize() == 1 && e.getEnumMapping().equals(java.util.Map.of(0, "FALSE", 1, "TRUE"));
    }

    private static DType ordered(ByteOrder order, char kind, int size) {
        return size == 1 ? new DType('|', kind, 1) : new DType(order == ByteOrder.BIG_ENDIAN ? '>' : '<', kind, size);
    }
}
