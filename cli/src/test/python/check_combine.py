#!/usr/bin/env python3
"""Checks combined datasets against xarray.open_mfdataset on the original files (Debian's
python3-xarray with netCDF4 / cfgrib, and dask), value for value.

Usage: check_combine.py [--dump DIR] MANIFEST  (--dump: expected stored values for zarr-java)
MANIFEST: [{"name", "originals": [...], "engine": "netcdf4"|"cfgrib", "concat_dim", "nested": bool,
            "refs": kerchunk JSON (optional), "zarr": served v2 URL}]
Checks, one JSON line each {"name", "check", "ok", "problems"}:
  "refs"       the combined references through fsspec's reference filesystem and zarr-python
               (for Parquet references, the JSON that hyparquet read from them)
  "zarr_http"  the served Zarr v2 view (consolidated metadata) over HTTP
Every variable of the expected dataset must be in ours with the same dimensions and values
(NaN-aware; times compared decoded); GRIB fields go through the same ecCodes on both sides.
"""
import json
import os
import sys

import eccodes
import fsspec
import numcodecs
import numpy as np
import xarray as xr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_netcdf3 import PerKeyStore  # noqa: E402
from check_netcdf3 import failure, manifest_args, report  # noqa: E402


class GribCodec(numcodecs.abc.Codec):
    """kerchunk's "grib" codec (whole message in, its values out, missing points keeping ecCodes'
    missingValue), written here with ecCodes because Debian packages no kerchunk."""
    codec_id = "grib"

    def __init__(self, var=None, dtype="float32", field=0):
        self.var, self.dtype, self.field = var, dtype, field

    def decode(self, buf, out=None):
        if self.field:
            raise ValueError("multi-field messages are not used here")
        h = eccodes.codes_new_from_message(bytes(buf))
        try:
            values = eccodes.codes_get_values(h).astype(self.dtype)
        finally:
            eccodes.codes_release(h)
        if out is not None:
            np.copyto(np.frombuffer(out, self.dtype), values)
            return out
        return values

    def encode(self, buf):
        raise NotImplementedError("read-only")


numcodecs.register_codec(GribCodec)


def expected(case):
    kwargs = {"backend_kwargs": {"indexpath": ""}} if case["engine"] == "cfgrib" else {}
    if case["nested"]:
        return xr.open_mfdataset(case["originals"], engine=case["engine"], combine="nested",
                                 concat_dim=case["concat_dim"], **kwargs)
    # refcat concatenates only the variables that lie along the dimension (xarray's data_vars="minimal");
    # where the files lack the dimension, every variable that varies (xarray's default, "all").
    return xr.open_mfdataset(case["originals"], engine=case["engine"], combine="by_coords", data_vars="minimal",
                             **kwargs)


def compare(want, got, case, problems):
    tolerant = case["engine"] == "cfgrib"
    for name, var in want.variables.items():
        if name not in got.variables:
            problems.append(f"{name}: missing")
            continue
        ours = got.variables[name]
        if var.dims != ours.dims:
            problems.append(f"{name}: dims {ours.dims}, expected {var.dims}")
            continue
        a, b = np.asarray(var.values), np.asarray(ours.values)
        if a.shape != b.shape:
            problems.append(f"{name}: shape {b.shape}, expected {a.shape}")
        elif a.dtype.kind in "mM" or b.dtype.kind in "mM":
            if not np.array_equal(a.astype("datetime64[ns]" if a.dtype.kind == "M" else "timedelta64[ns]"),
                                  b.astype(a.dtype)):
                problems.append(f"{name}: times {b.ravel()[:6]}..., expected {a.ravel()[:6]}...")
        elif a.dtype.kind == "f" or b.dtype.kind == "f":
            ok = np.allclose(a, b, rtol=1e-6 if tolerant else 0, atol=0, equal_nan=True)
            if not ok:
                bad = np.argwhere(~np.isclose(a, b, rtol=1e-6 if tolerant else 0, atol=0, equal_nan=True))[:3]
                problems.append(f"{name}: values differ at {bad.tolist()}: "
                                f"{[b[tuple(i)] for i in bad]} vs {[a[tuple(i)] for i in bad]}")
        elif not np.array_equal(a, b):
            problems.append(f"{name}: values differ")
        if "units" in var.attrs and var.attrs.get("units") != ours.attrs.get("units") and a.dtype.kind not in "mM":
            problems.append(f"{name}: units {ours.attrs.get('units')!r}, expected {var.attrs['units']!r}")


def dump(case, want, out_dir):
    """Stored values of the combined variables (NaN put back to the fill value it decoded from), for
    zarr-java's reads of the served v2 and v3 views. Times, packed variables and variables whose
    missing values have no fill value to go back to are left to the checks above."""
    out = {}
    kwargs = {"backend_kwargs": {"indexpath": ""}} if case["engine"] == "cfgrib" else {}
    first = xr.open_dataset(case["originals"][0], engine=case["engine"], **kwargs)
    for name, var in want.variables.items():
        values = np.asarray(var.values)
        if values.dtype.kind not in "iuf" or "scale_factor" in var.encoding or name == case["concat_dim"]:
            continue
        if values.dtype.kind == "f" and np.isnan(values).any() and case["engine"] != "cfgrib":
            fill = first[name].encoding.get("_FillValue") if name in first.variables else None
            if fill is None:
                continue
            values = np.where(np.isnan(values), fill, values).astype(values.dtype)
        flat = [("NaN" if v != v else v) if isinstance(v, float) else v for v in values.ravel().tolist()]
        out[name] = {"dtype": values.dtype.str, "shape": list(values.shape), "values": flat}
    with open(os.path.join(out_dir, case["name"] + ".expected.json"), "w") as f:
        json.dump({"variables": out}, f)


def from_refs(refs):
    fs = fsspec.filesystem("reference", fo=refs)
    return xr.open_dataset(PerKeyStore(fs.get_mapper("")), engine="zarr", consolidated=False)


def main():
    dump_dir, cases = manifest_args(sys.argv)
    for case in cases:
        want = None
        checks = (["refs"] if case.get("refs") else []) + ["zarr_http"]
        for check in checks:
            problems = []
            try:
                if want is None:
                    want = expected(case).load()
                    if dump_dir:
                        dump(case, want, dump_dir)
                if check == "refs":
                    got = from_refs(case["refs"])
                else:
                    got = xr.open_zarr(case["zarr"], consolidated=True, chunks=None)
                compare(want, got, case, problems)
            except Exception as e:  # noqa: BLE001 - see failure()
                problems = failure(e, 5)
            report(case, check, problems)


if __name__ == "__main__":
    main()
