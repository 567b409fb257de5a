#!/usr/bin/env python3
"""Writes a GRIB1 message over 16 MB (ECMWF's large-message length convention) with ecCodes, for
GribInteropTest: a 0.1-degree global field of 24-bit values (19 MB). Too large to commit.

usage: make_large_grib1.py FILE
"""
import sys

import eccodes
import numpy as np


def main():
    h = eccodes.codes_grib_new_from_samples("regular_ll_sfc_grib1")
    for k, v in dict(Ni=3600, Nj=1801, iDirectionIncrementInDegrees=0.1, jDirectionIncrementInDegrees=0.1,
                     latitudeOfFirstGridPointInDegrees=90.0, latitudeOfLastGridPointInDegrees=-90.0,
                     longitudeOfFirstGridPointInDegrees=0.0, longitudeOfLastGridPointInDegrees=359.9,
                     bitsPerValue=24).items():
        eccodes.codes_set(h, k, v)
    y, x = np.mgrid[0:1801, 0:3600]
    eccodes.codes_set_values(h, (250 + 10 * np.sin(x / 50.0) * np.cos(y / 30.0)).ravel())
    message = eccodes.codes_get_message(h)
    assert len(message) > 16 * 1024 * 1024 and message[4] & 0x80, "not a large message"
    with open(sys.argv[1], "wb") as f:
        f.write(message)


if __name__ == "__main__":
    main()
