#!/usr/bin/env python3
"""Writes a GRIB2 archive of N global 1-degree fields for bench/run.sh, in turn in each of
PACKINGS (default grid_simple,grid_complex; 16 bits), with ecCodes (Debian's python3-eccodes).

usage: generate_grib_archive.py N FILE [PACKINGS]
"""
import sys

import eccodes
import numpy as np


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    packings = (sys.argv[3] if len(sys.argv) > 3 else "grid_simple,grid_complex").split(",")
    with open("/usr/share/eccodes/samples/regular_ll_sfc_grib2.tmpl", "rb") as f:
        sample = eccodes.codes_grib_new_from_file(f)
    y, x = np.mgrid[0:181, 0:360]
    with open(out, "wb") as f:
        for i in range(n):
            h = eccodes.codes_clone(sample)
            for k, v in dict(Ni=360, Nj=181, iDirectionIncrementInDegrees=1, jDirectionIncrementInDegrees=1,
                             latitudeOfFirstGridPointInDegrees=90, latitudeOfLastGridPointInDegrees=-90,
                             longitudeOfFirstGridPointInDegrees=0, longitudeOfLastGridPointInDegrees=359,
                             stepRange=str(i), bitsPerValue=16).items():
                eccodes.codes_set(h, k, v)
            field = 273 + 20 * np.sin(x / 17.0 + i) * np.cos(y / 11.0) + 0.001 * x * y
            eccodes.codes_set_values(h, field.ravel())
            if packings[i % len(packings)] != "grid_simple":
                eccodes.codes_set(h, "packingType", packings[i % len(packings)])
            f.write(eccodes.codes_get_message(h))
            eccodes.codes_release(h)
    print(f"wrote {n} messages to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
