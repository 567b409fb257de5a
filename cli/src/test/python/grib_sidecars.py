#!/usr/bin/env python3
"""Index sidecars for GRIB files, written from ecCodes' own offsets (Debian has no wgrib2 here).

usage: grib_sidecars.py idx FILE...      writes FILE.idx in wgrib2's inventory format
       grib_sidecars.py index FILE...    writes FILE-without-extension.index in ECMWF's format (JSON lines)
       grib_sidecars.py big FILE N       writes N large GRIB2 messages (1,000 x 1,000 points, 16 bits) to FILE
"""
import json
import os
import sys

import eccodes
import numpy as np


def messages(path):
    with open(path, "rb") as f:
        while True:
            h = eccodes.codes_grib_new_from_file(f)
            if h is None:
                return
            try:
                yield {k: eccodes.codes_get(h, k) for k in ("offset", "totalLength", "shortName", "dataDate", "dataTime",
                                                             "typeOfLevel", "level", "stepRange", "edition")}
            finally:
                eccodes.codes_release(h)


def write_idx(path):
    with open(path + ".idx", "w") as out:
        for n, m in enumerate(messages(path), 1):
            out.write("%d:%d:d=%d%02d:%s:%s %s:%s:\n" % (n, m["offset"], m["dataDate"], m["dataTime"] // 100,
                                                          m["shortName"].upper(), m["level"], m["typeOfLevel"],
                                                          m["stepRange"]))


def write_index(path):
    with open(os.path.splitext(path)[0] + ".index", "w") as out:
        for m in messages(path):
            out.write(json.dumps({"date": str(m["dataDate"]), "time": "%04d" % m["dataTime"], "param": m["shortName"],
                                  "levtype": m["typeOfLevel"], "step": str(m["stepRange"]),
                                  "_offset": int(m["offset"]), "_length": int(m["totalLength"])}) + "\n")


def write_big(path, n):
    rng = np.random.default_rng(7)
    with open(path, "wb") as out:
        for i in range(n):
            h = eccodes.codes_grib_new_from_samples("regular_ll_sfc_grib2")
            eccodes.codes_set(h, "Ni", 1000)
            eccodes.codes_set(h, "Nj", 1000)
            eccodes.codes_set(h, "iDirectionIncrementInDegrees", 0.36)
            eccodes.codes_set(h, "jDirectionIncrementInDegrees", 0.18)
            eccodes.codes_set(h, "latitudeOfFirstGridPointInDegrees", 90.0)
            eccodes.codes_set(h, "longitudeOfFirstGridPointInDegrees", 0.0)
            eccodes.codes_set(h, "latitudeOfLastGridPointInDegrees", -89.82)
            eccodes.codes_set(h, "longitudeOfLastGridPointInDegrees", 359.64)
            eccodes.codes_set(h, "bitsPerValue", 16)
            eccodes.codes_set(h, "forecastTime", i)
            eccodes.codes_set_values(h, 250 + 50 * rng.random(1000 * 1000))
            eccodes.codes_write(h, out)
            eccodes.codes_release(h)


if __name__ == "__main__":
    if sys.argv[1] == "big":
        write_big(sys.argv[2], int(os.path.basename(sys.argv[3])))
    else:
        for p in sys.argv[2:]:
            (write_idx if sys.argv[1] == "idx" else write_index)(p)
