package io.refcat.indexer.hdf5;

import io.jhdf.object.datatype.BitField;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import io.refcat.reference.zarr.DType;
import java.nio.ByteOrder;

/** HDF5 datatypes → Zarr v2 dtypes, for the types whose bytes Zarr reads as they are stored. */
final class Hdf5Types {
    private Hdf5Types() {
    }

    static DType dtype(DataType t) throws UnsupportedVariableException {
        if (t instanceof EnumDataType e) {
            // h5py (and numpy) store booleans as the enum {FALSE: 0, TRUE: 1} over one byte.
            if (e.getSize() == 1 && e.getEnumMapping().equals(java.util.Map.of(0, "FALSE", 1, "TRUE"))) {
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
        throw new UnsupportedVariableException("HDF5 datatype " + t.getClass().getSimpleName()
                + " (class " + t.getDataClass() + ") is not referenced yet");
    }

    private static DType ordered(ByteOrder order, char kind, int size) {
        return size == 1 ? new DType('|', kind, 1) : new DType(order == ByteOrder.BIG_ENDIAN ? '>' : '<', kind, size);
    }
}
