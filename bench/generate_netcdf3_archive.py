#!/usr/bin/env python3
"""Writes N NetCDF3 files shaped like a daily model archive, for bench/run.sh.

usage: generate_netcdf3_archive.py N DIR
Each file: classic format, 8 records of a 64 x 128 float32 field plus two more record variables,
coordinates, CF attributes (a header of about 2 KB, 300 KB of data).
"""
import os
import sys

import netCDF4
import numpy as np


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    field = np.linspace(250, 300, 64 * 128, dtype="f4").reshape(64, 128)
    for i in range(n):
        path = os.path.join(out, f"day_{i:05d}.nc")
        with netCDF4.Dataset(path, "w", format="NETCDF3_CLASSIC") as ds:
            ds.title = f"benchmark day {i}"
            ds.institution = "refcat bench"
            ds.Conventions = "CF-1.8"
            ds.createDimension("time", None)
            ds.createDimension("lat", 64)
            ds.createDimension("lon", 128)
            t = ds.createVariable("time", "f8", ("time",))
            t.units = f"hours since 2000-01-01 00:00:00"
            t.calendar = "standard"
            lat = ds.createVariable("lat", "f4", ("lat",))
            lat.units = "degrees_north"
            lat.standard_name = "latitude"
            lat[:] = np.linspace(-88.6, 88.6, 64)
            lon = ds.createVariable("lon", "f4", ("lon",))
            lon.units = "degrees_east"
            lon.standard_name = "longitude"
            lon[:] = np.arange(128) * 2.8125
            tas = ds.createVariable("tas", "f4", ("time", "lat", "lon"))
            tas.units = "K"
            tas.standard_name = "air_temperature"
            tas.long_name = "near-surface air temperature"
            flag = ds.createVariable("quality", "i1", ("time",))
            flag.long_name = "quality flag"
            steps = ds.createVariable("steps", "i4", ("time",))
            for r in range(8):
                t[r] = i * 24 + r * 3
                tas[r] = field + r
                flag[r] = r % 3
                steps[r] = r
    print(f"wrote {n} files to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
