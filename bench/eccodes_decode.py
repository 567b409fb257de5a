#!/usr/bin/env python3
"""Times ecCodes decoding the first K messages of a GRIB file (the baseline of GribBench): prints
the float32 output rate in MB/s, best of 3 rounds.

usage: eccodes_decode.py FILE K
"""
import sys
import time

import eccodes


def main():
    path, k = sys.argv[1], int(sys.argv[2])
    messages = []
    with open(path, "rb") as f:
        for _ in range(k):
            h = eccodes.codes_grib_new_from_file(f)
            if h is None:
                break
            messages.append(eccodes.codes_get_message(h))
            eccodes.codes_release(h)
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        values = 0
        for m in messages:
            h = eccodes.codes_new_from_message(m)
            values += len(eccodes.codes_get_values(h))
            eccodes.codes_release(h)
        best = max(best, values * 4 / 1e6 / (time.perf_counter() - t0))
    print(f"{best:.1f}")


if __name__ == "__main__":
    main()
