#!/usr/bin/env python3
"""Writes N NetCDF4 files with many chunks each, for bench/run.sh.

usage: generate_netcdf4_archive.py N DIR [CHUNKS]
Each file: one float32 variable of 100 x 100 x 300 (12 MB uncompressed) in chunks of CHUNKS
(default 1x10x30: 10,000 chunks of 1,200 bytes), its coordinates, CF attributes.
"""
import os
import sys

import netCDF4
import numpy as np


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    chunks = tuple(int(c) for c in (sys.argv[3] if len(sys.argv) > 3 else "1x10x30").split("x"))
    os.makedirs(out, exist_ok=True)
    field = np.arange(100 * 300, dtype="f4").reshape(100, 300)
    for i in range(n):
        with netCDF4.Dataset(os.path.join(out, f"run_{i:04d}.nc"), "w", format="NETCDF4") as ds:
            ds.title = f"benchmark run {i}"
            ds.createDimension("time", 100)
            ds.createDimension("y", 100)
            ds.createDimension("x", 300)
            t = ds.createVariable("time", "f8", ("time",))
            t.units = "hours since 2000-01-01"
            t[:] = np.arange(100) + i * 100
            v = ds.createVariable("tas", "f4", ("time", "y", "x"), chunksizes=chunks)
            v.units = "K"
            v.standard_name = "air_temperature"
            for r in range(100):
                v[r] = field + r
    print(f"wrote {n} files to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
