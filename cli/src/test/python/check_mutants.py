#!/usr/bin/env python3
"""Checks mutated files that refcat indexed against the reference library reading the same mutant.

Manifest (JSON list): name, original (the mutant), refs (refcat's kerchunk JSON for it), kind
("netcdf3" or "hdf5"). For every variable the references hold (not listed as unsupported), the
library and the references (fsspec reference filesystem + zarr-python) must agree:
  - both read it and the values are equal; or
  - both fail to read it (a loud failure on both sides, never a wrong value).
A mutant the library refuses to open at all must not have been indexed silently: refcat must have
reported something (an unsupported variable); where only the Python binding fails (a name that is
not UTF-8), no name may be referenced in a mangled form. One JSON line per case, check "values", as
check_netcdf3.py prints them.
"""
import json
import os
import sys

import fsspec
import h5py
import netCDF4
import numpy as np
import zarr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_hdf5 import datasets, text  # noqa: E402
from check_netcdf3 import PerKeyStore, compare_values, manifest_args, report, truth  # noqa: E402


def short(e):
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:200]


def library_variables(case):
    """path -> a function reading the variable as the library reads it (None: cannot be opened)."""
    if case["kind"] == "netcdf3":
        nc = truth(case["original"])
        return {name: (lambda v=v: v[...]) for name, v in nc.variables.items()}
    h5 = h5py.File(case["original"], "r")
    return {path: (None if ds is None else (lambda ds=ds: ds[()])) for path, ds in datasets(h5).items()}


def check(case, problems):
    refs = json.load(open(case["refs"]))
    unsupported = refs.get("refcat", {}).get("unsupported", {})
    try:
        variables = library_variables(case)
    except UnicodeDecodeError:
        # The C library read the file; the Python binding cannot decode a name in it. refcat must
        # not serve a name mangled by decoding (it lists such objects as unsupported).
        mangled = [k for k in refs.get("refs", {}) if "\ufffd" in k]
        if mangled:
            problems.append(f"names that are not UTF-8 referenced in a mangled form: {mangled[:3]}")
        return
    except Exception as e:  # noqa: BLE001 - the library refusing the file is an outcome
        if not unsupported:
            problems.append(f"the library refuses the mutant ({short(e)}) but refcat indexed it reporting nothing")
        return
    fs = fsspec.filesystem("reference", fo=case["refs"])
    group = zarr.open_group(PerKeyStore(fs.get_mapper("")), mode="r")
    for path, read in sorted(variables.items()):
        if path in unsupported:
            continue
        try:
            arr = group[path]
        except KeyError:
            if read is not None:
                problems.append(f"{path}: the library has it; refcat neither references nor reports it")
            continue
        except ValueError as e:
            if "codec not available" in str(e):
                continue  # an HDF5 codec only the served views decode
            raise
        want = got = None
        try:
            want = None if read is None else read()
        except Exception as e:  # noqa: BLE001
            want = e
        try:
            got = arr[...]
        except Exception as e:  # noqa: BLE001
            got = e
        lib_failed = want is None or isinstance(want, Exception)
        refs_failed = isinstance(got, Exception)
        if lib_failed and refs_failed:
            continue
        if lib_failed:
            problems.append(f"{path}: the references read values where the library fails"
                            f" ({'cannot open it' if want is None else short(want)})")
        elif refs_failed:
            problems.append(f"{path}: the references fail ({short(got)}) where the library reads values")
        else:
            want, got = np.asarray(want), np.asarray(got)
            if want.dtype.kind == "O":  # variable-length strings: h5py gives bytes, zarr str
                want, got = (np.vectorize(text, otypes=[object])(a) if a.size else a for a in (want, got))
            elif want.dtype.kind == "S":
                got = got.astype(want.dtype)
            compare_values(path, want, got, problems)


def main():
    _, cases = manifest_args(sys.argv)
    for case in cases:
        problems = []
        try:
            check(case, problems)
        except Exception as e:  # noqa: BLE001 - one case's crash is its result
            problems.append(f"checker failed: {short(e)}")
        report(case, "values", problems)


if __name__ == "__main__":
    main()
