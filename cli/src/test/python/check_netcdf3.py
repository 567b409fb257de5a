#!/usr/bin/env python3
"""Checks refcat's output for NetCDF3 files against libnetcdf, with the Python clients users run.

Reads a manifest (JSON list) from the file named on the command line; each case has
  name      a label
  original  the NetCDF3 file netCDF4-python reads as the truth
  refs      refcat's kerchunk JSON for it
  zarr      the Zarr v2 URL refcat serves for it
and, with --dump DIR, also writes what netCDF4-python reads into DIR/<name>.expected.json
(the fixtures' expected-values format) so Java clients can be compared with the same truth.

Prints one JSON line per case and check: {"name", "check", "ok", "problems"}. The checks:
  refs         fsspec reference filesystem + xarray (engine zarr) on the JSON file
  zarr_http    zarr-python on the served Zarr v2 URL (consolidated)
  xarray_http  xarray on the served Zarr v2 URL
A case may name the checks it gets ("checks": [...]); all three otherwise.
"""
import json
import math
import os
import sys
import traceback
from collections.abc import MutableMapping

import fsspec
import netCDF4
import numpy as np
import xarray as xr
import zarr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                                "fixtures", "generator"))
import generate_netcdf3  # noqa: E402  (the fixtures' expected-values writer, the same truth)

DECODE_NOTHING = dict(decode_cf=False, mask_and_scale=False, decode_times=False, concat_characters=False,
                      decode_coords=False)


class PerKeyStore(MutableMapping):
    """fsspec before 2023 raises KeyError from the batched getitems for a chunk that has no
    reference (kerchunk's way of saying "fill value"); zarr then fails instead of filling. Hiding
    getitems makes zarr ask key by key, where KeyError means "missing". Newer fsspec needs no help."""

    def __init__(self, mapper):
        self.mapper = mapper

    def __getitem__(self, key):
        return self.mapper[key]

    def __contains__(self, key):
        return key in self.mapper

    def __iter__(self):
        return iter(self.mapper)

    def __len__(self):
        return len(self.mapper)

    def __setitem__(self, key, value):
        raise PermissionError("read-only")

    def __delitem__(self, key):
        raise PermissionError("read-only")


def truth(path):
    ds = netCDF4.Dataset(path)
    ds.set_auto_maskandscale(False)
    ds.set_always_mask(False)
    ds.set_auto_chartostring(False)
    return ds


def default_fill(var):
    if var.dtype is str:
        return None  # variable-length strings: no fill value to compare
    if "_FillValue" in var.ncattrs():
        fill = var.getncattr("_FillValue")
    else:
        fill = netCDF4.default_fillvals[var.dtype.str[1:] if var.dtype.kind != "S" else "S1"]
    return char_fill(fill) if var.dtype.kind == "S" else fill


def char_fill(fill):
    """NumPy bytes drop trailing NULs, so b"\\0" and b"" are the same char fill value."""
    if isinstance(fill, str):
        fill = fill.encode("latin-1")
    return bytes(fill).rstrip(b"\0")


def plain(v):
    """Attribute values as comparable Python lists."""
    if isinstance(v, (str, bytes)):
        return [v]
    return np.asarray(v).ravel().tolist()


def same_scalar(a, b):
    if isinstance(a, float) or isinstance(b, float):
        try:
            fa, fb = float(a), float(b)
        except (TypeError, ValueError):
            return False
        return (math.isnan(fa) and math.isnan(fb)) or fa == fb
    return a == b


def same_attr(a, b):
    pa, pb = plain(a), plain(b)
    return len(pa) == len(pb) and all(same_scalar(x, y) for x, y in zip(pa, pb))


def compare_attrs(where, nc_attrs, got_attrs, problems):
    nc_attrs = {k: v for k, v in nc_attrs.items() if k != "_FillValue"}
    got_attrs = {k: v for k, v in got_attrs.items() if k not in ("_FillValue", "_ARRAY_DIMENSIONS")}
    if set(nc_attrs) != set(got_attrs):
        problems.append(f"{where}: attribute names differ: netCDF {sorted(nc_attrs)} vs {sorted(got_attrs)}")
        return
    for k in nc_attrs:
        if not same_attr(nc_attrs[k], got_attrs[k]):
            problems.append(f"{where}: attribute {k}: netCDF {nc_attrs[k]!r} vs {got_attrs[k]!r}")


def compare_values(where, expected, got, problems):
    expected = np.asarray(expected)
    got = np.asarray(got)
    if expected.shape != got.shape:
        problems.append(f"{where}: shape {expected.shape} vs {got.shape}")
        return
    if expected.dtype.kind == "O":
        for i, (x, y) in enumerate(zip(expected.ravel(), got.ravel())):
            if isinstance(x, np.ndarray):  # variable-length sequences
                same = isinstance(y, np.ndarray) and x.dtype == y.dtype and np.array_equal(
                    x, y, equal_nan=x.dtype.kind == "f")
            else:
                same = str(x) == str(y)
            if not same:
                problems.append(f"{where}: item {i} differs: {x!r} vs {y!r}")
                return
        return
    if expected.dtype.kind == "S":
        if expected.tobytes() != got.astype(expected.dtype).tobytes():
            problems.append(f"{where}: char values differ")
        return
    if expected.dtype.names:
        # member by member: the served views pack them (the same names as the file's); the references
        # keep the stored layout, where padding reads back as extra unnamed (f<i>) fields, so there
        # the offsets must match too
        packed = got.dtype.names == expected.dtype.names
        for name in expected.dtype.names:
            if got.dtype.names is None or name not in got.dtype.names:
                problems.append(f"{where}: no field {name} in {got.dtype}")
            elif not packed and expected.dtype.fields[name][1] != got.dtype.fields[name][1]:
                problems.append(f"{where}.{name}: offset {expected.dtype.fields[name][1]} vs {got.dtype.fields[name][1]}")
            else:
                compare_values(f"{where}.{name}", expected[name], got[name], problems)
        return
    if expected.dtype.kind != got.dtype.kind or expected.dtype.itemsize != got.dtype.itemsize:
        problems.append(f"{where}: dtype {expected.dtype} vs {got.dtype}")
        return
    if expected.dtype.kind == "f":
        ok = np.array_equal(expected, got, equal_nan=True)
    else:
        ok = np.array_equal(expected, got)
    if not ok:
        bad = np.argwhere(~((expected == got) | (expected != expected) & (got != got)))[:3].tolist()
        problems.append(f"{where}: values differ, e.g. at {bad}")


def check_xarray(case, nc, xds, problems):
    names = set(nc.variables)
    if set(xds.variables) != names:
        problems.append(f"variables differ: netCDF {sorted(names)} vs {sorted(xds.variables)}")
    compare_attrs("global", {k: nc.getncattr(k) for k in nc.ncattrs()}, dict(xds.attrs), problems)
    for name in sorted(names & set(xds.variables)):
        v = nc.variables[name]
        xv = xds.variables[name]
        if tuple(v.dimensions) != tuple(xv.dims):
            problems.append(f"{name}: dims {v.dimensions} vs {xv.dims}")
        compare_values(name, v[...], xv.values, problems)
        got_attrs = dict(xv.attrs)
        if isinstance(getattr(v, "datatype", None), netCDF4.EnumType):
            members = sorted(v.datatype.enum_dict.items(), key=lambda kv: kv[1])
            flags = (got_attrs.pop("flag_values", None), got_attrs.pop("flag_meanings", None))
            if not same_attr([m for _, m in members], flags[0]) or \
                    flags[1] != " ".join(k.replace(" ", "_") for k, _ in members):
                problems.append(f"{name}: enum {v.datatype.enum_dict} vs flags {flags}")
        compare_attrs(name, {k: v.getncattr(k) for k in v.ncattrs()}, got_attrs, problems)
        fill = xv.attrs.get("_FillValue", xv.encoding.get("_FillValue"))
        if v.dtype is str:
            continue
        if v.dtype.kind == "S" and fill is not None:
            fill = char_fill(fill)
        if not same_attr(default_fill(v), fill):
            problems.append(f"{name}: fill value {default_fill(v)!r} vs {fill!r}")


def check_zarr(case, nc, group, problems):
    arrays = dict(group.arrays())
    if set(arrays) != set(nc.variables):
        problems.append(f"arrays differ: netCDF {sorted(nc.variables)} vs {sorted(arrays)}")
    compare_attrs("global", {k: nc.getncattr(k) for k in nc.ncattrs()}, dict(group.attrs), problems)
    for name in sorted(set(arrays) & set(nc.variables)):
        v = nc.variables[name]
        a = arrays[name]
        dims = a.attrs.get("_ARRAY_DIMENSIONS")
        if list(v.dimensions) != list(dims or []):
            problems.append(f"{name}: _ARRAY_DIMENSIONS {dims} vs {v.dimensions}")
        compare_values(name, v[...], a[...], problems)
        compare_attrs(name, {k: v.getncattr(k) for k in v.ncattrs()}, dict(a.attrs), problems)
        fill = a.fill_value
        if a.dtype.kind == "S":
            fill = char_fill(fill)
        if not same_attr(default_fill(v), fill):
            problems.append(f"{name}: fill value {default_fill(v)!r} vs {fill!r}")


def reference_fs(case):
    """fsspec's reference file system over the case's references; s3:// ones read from the case's S3 endpoint."""
    if "s3" in case:
        from s3_boto_fs import BotoS3FileSystem
        return fsspec.filesystem("reference", fo=case["refs"], fs=BotoS3FileSystem(case["s3"]["endpoint"]))
    return fsspec.filesystem("reference", fo=case["refs"])


def run(case, check):
    problems = []
    nc = truth(case["original"])
    try:
        if check == "refs":
            fs = reference_fs(case)
            xds = xr.open_dataset(fs.get_mapper(""), engine="zarr", consolidated=False, **DECODE_NOTHING)
            check_xarray(case, nc, xds, problems)
        elif check == "zarr_http":
            check_zarr(case, nc, zarr.open_consolidated(case["zarr"], mode="r"), problems)
        elif check == "xarray_http":
            xds = xr.open_dataset(case["zarr"], engine="zarr", consolidated=True, **DECODE_NOTHING)
            check_xarray(case, nc, xds, problems)
    finally:
        nc.close()
    return problems


def manifest_args(argv):
    """(the dump directory or None, the manifest's cases) from [--dump DIR] MANIFEST: how every
    checker is called by the Java interop harness."""
    args = argv[1:]
    dump_dir = None
    if args and args[0] == "--dump":
        dump_dir, args = args[1], args[2:]
    with open(args[0]) as f:
        return dump_dir, json.load(f)


def report(case, check, problems, **extra):
    """One result line, as the Java harness reads them."""
    print(json.dumps({"name": case["name"], "check": check, "ok": not problems, "problems": problems, **extra}),
          flush=True)


def failure(e, limit=4):
    """A client that fails to open or read is a result of its check, not a crash of the run."""
    return [f"{type(e).__name__}: {e}", traceback.format_exc(limit=limit)]


def main():
    dump, cases = manifest_args(sys.argv)
    for case in cases:
        if dump:
            with open(os.path.join(dump, case["name"] + ".expected.json"), "w") as f:
                json.dump(generate_netcdf3.expected_of(case["original"]), f)
        for check in case.get("checks", ("refs", "zarr_http", "xarray_http")):
            try:
                problems = run(case, check)
            except Exception as e:  # noqa: BLE001 - see failure()
                problems = failure(e, 3)
            report(case, check, problems)


if __name__ == "__main__":
    main()
