package io.refcat.indexer;

/** The file formats refcat recognises by their magic bytes. */
public enum Format {
    NETCDF3_CLASSIC("NetCDF3 classic"),
    NETCDF3_64BIT_OFFSET("NetCDF3 64-bit offset"),
    NETCDF3_64BIT_DATA("NetCDF3 64-bit data (CDF5)"),
    HDF5("HDF5 / NetCDF4"),
    GRIB("GRIB");

    private final String label;

    Format(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
