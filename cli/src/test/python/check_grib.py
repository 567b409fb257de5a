#!/usr/bin/env python3
"""Checks refcat's output for GRIB files against ecCodes and cfgrib (Debian's python3-eccodes,
python3-cfgrib).

Same manifest and output as check_netcdf3.py (name, original, refs, zarr); with --dump DIR it
also writes what cfgrib reads, per refcat array path, to DIR/<name>.expected.json for the Java
clients. Checks:
  "zarr_http": every data variable of every group of the served Zarr v2 store (xarray over
               zarr-python) equals the cfgrib variable of the same name, dimensions, shape, type
               of level and step type: values NaN-aware to float32 precision, dimension names,
               coordinates; and every cfgrib variable is found, or refcat lists it as unsupported.
  "messages":  the kerchunk-form references list exactly the messages ecCodes finds (offset and
               length), except those refcat reports as unsupported.
  "kerchunk_refs": (with --kerchunk DIR, kerchunk's package) the references read through fsspec
               with kerchunk's own codecs equal the served view, NaN for NaN, for every array with
               kerchunk's `grib` codec; arrays with refcat's `refcat_grib` codec (fields kerchunk's
               codec would read otherwise) must make that client fail, never read other values.
"""
import json
import os
import sys

import cfgrib
import eccodes
import fsspec
import numpy as np
import xarray as xr
import zarr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_netcdf3 import PerKeyStore, failure, manifest_args, report  # noqa: E402

# Larger arrays are compared field by field (the chunks refcat references), not as one array:
# cfgrib's hypercube of a seasonal archive can be 10^8 mostly-missing values.
WHOLE_LIMIT = 2_000_000
DUMP_LIMIT = 100_000

# What cfgrib itself does not show, and what refcat does instead (docs/FORMAT-COVERAGE.md).
CFGRIB_LACKS = {
    # cfgrib keeps the instantaneous fields and drops the averages over 0 s that share their step
    "cfrzr_and_cprat_0s.grib": {"surface_avg/cfrzr", "surface_avg/cprat"},
}


# Where cfgrib's coordinate does not describe its own values, and what refcat is compared with instead.
# East-to-west rows (iScansNegatively): cfgrib's 1-D longitude is ecCodes' distinctLongitudes, sorted
# ascending, while the values stay in stored order; refcat gives the longitudes of the stored order,
# ecCodes' per-point `longitudes` of the first row (docs/DECISIONS.md, GRIB).
ECCODES_ROW_LONGITUDES = {"east_to_west.grib2"}


# Where cfgrib fails reading values it opens: a field over one `values` dimension (a Mercator grid)
# scanned in alternate directions, whose odd rows cfgrib turns around with 2-D indexing on a 1-D array
# (IndexError). Compared instead with ecCodes' values under cfgrib's own rules: odd rows reversed,
# missing values NaN.
ALTERNATE_ROWS_OVER_VALUES = {"ds.waveh.5.grib"}


def eccodes_rows_turned(path):
    with open(path, "rb") as f:
        h = eccodes.codes_grib_new_from_file(f)
        try:
            values = eccodes.codes_get_values(h)
            values[values == eccodes.codes_get(h, "missingValue")] = np.nan  # as cfgrib shows missing points
            rows = values.reshape(-1, eccodes.codes_get(h, "Ni")).astype("f4")
            rows[1::2] = rows[1::2, ::-1].copy()
            return rows.ravel()
        finally:
            eccodes.codes_release(h)


def eccodes_row_longitudes(path):
    with open(path, "rb") as f:
        h = eccodes.codes_grib_new_from_file(f)
        try:
            return eccodes.codes_get_array(h, "longitudes")[:eccodes.codes_get(h, "Ni")]
        finally:
            eccodes.codes_release(h)


def cfgrib_datasets(path):
    try:
        return cfgrib.open_datasets(path, backend_kwargs={"indexpath": ""})
    except Exception as e:  # noqa: BLE001 - cfgrib's own failures are the finding
        return e


def served(case):
    mapper = fsspec.get_mapper(case["zarr"])
    root = zarr.open_consolidated(mapper, mode="r")
    groups = list(root.group_keys()) or [""]
    for g in groups:
        # chunks=None: with dask installed (the combine test needs it) open_zarr would make every
        # field read a task graph, many times slower.
        yield g, xr.open_zarr(mapper, group=g or None, consolidated=True, chunks=None)


def same_coord(a, b):
    if a.dtype.kind in "iuMm" or b.dtype.kind in "iuMm":
        return a.shape == b.shape and np.array_equal(a, b)
    # 2-D coordinates of rotated and projected grids: ecCodes' rotation carries ~2e-6 degrees of
    # error of its own; 1e-5 degrees is about a metre
    tolerance = 1e-5 if a.ndim == 2 else 1e-6
    return a.shape == b.shape and np.allclose(a, b, rtol=0, atol=tolerance, equal_nan=True)


def matches(ours, theirs):
    return (ours.dims == theirs.dims and ours.shape == theirs.shape
            and all(ours.attrs.get(k) == theirs.attrs.get(k) for k in ("GRIB_typeOfLevel", "GRIB_stepType")))


def fields_of(case, path):
    """The header indexes of the fields refcat references for an array (its chunk keys)."""
    refs = json.load(open(case["refs"]))["refs"]
    for key in refs:
        if key.startswith(path + "/") and not key.rsplit("/", 1)[1].startswith("."):
            yield tuple(int(i) for i in key.rsplit("/", 1)[1].split(".")[:-2])


def check_served(case, unsupported, problems, dump):
    dss = cfgrib_datasets(case["original"])
    if isinstance(dss, Exception):
        if not unsupported:
            problems.append(f"cfgrib cannot open the file ({type(dss).__name__}: {dss}) and refcat reports nothing")
        return
    lacking = CFGRIB_LACKS.get(os.path.basename(case["original"]), set())
    found = set()
    for g, z in served(case):
        for v in z.data_vars:
            path = f"{g}/{v}" if g else v
            candidates = [(i, d) for i, d in enumerate(dss) if v in d.data_vars and matches(z[v], d[v])]
            if not candidates:
                if path not in lacking:
                    problems.append(f"{path}: no cfgrib variable with dims {z[v].dims} shape {z[v].shape}")
                continue
            i, d = candidates[0]
            found.add((i, v))
            if z[v].dtype != np.float32:
                problems.append(f"{path}: dtype {z[v].dtype}, expected float32")
            if os.path.basename(case["original"]) in ALTERNATE_ROWS_OVER_VALUES:
                pairs = [((), eccodes_rows_turned(case["original"]), z[v].values)]
            elif z[v].size <= WHOLE_LIMIT:
                pairs = [((), d[v].values.astype("f4"), z[v].values)]
            else:
                pairs = [(i, d[v][i].values.astype("f4"), z[v][i].values) for i in fields_of(case, path)]
            for where, want, got in pairs:
                if not np.allclose(want, got, rtol=1e-6, atol=0, equal_nan=True) or not np.array_equal(
                        np.isnan(want), np.isnan(got)):
                    problems.append(f"{path}{list(where)}: values differ, max {np.nanmax(np.abs(want - got))}")
                    break
            for c in d[v].coords:
                if c not in z.coords:
                    problems.append(f"{path}: cfgrib coordinate {c} missing")
                elif c == "longitude" and os.path.basename(case["original"]) in ECCODES_ROW_LONGITUDES:
                    want = eccodes_row_longitudes(case["original"])
                    if not np.allclose((want - z[c].values + 180) % 360 - 180, 0, atol=1e-6):
                        problems.append(f"{path}: longitude {z[c].values[:3]} vs ecCodes' {want[:3]}")
                elif d[c].dims != z[c].dims or not same_coord(d[c].values, z[c].values):
                    problems.append(f"{path}: coordinate {c} {d[c].dims} {d[c].values.ravel()[:3]} vs "
                                    f"{z[c].dims} {z[c].values.ravel()[:3]}")
            if z[v].size <= DUMP_LIMIT:
                dump[path] = {"dtype": "<f4", "shape": list(z[v].shape), "values": [
                    "NaN" if x != x else float(x) for x in d[v].values.astype("f4").ravel().tolist()]}
    for i, d in enumerate(dss):
        for v in d.data_vars:
            reported = any(k.startswith(v + " (") or k.startswith("message@") for k in unsupported)
            if (i, v) not in found and not reported:
                problems.append(f"cfgrib variable {v} {d[v].dims} of dataset {i} is not served")


def check_messages(case, unsupported, problems):
    refs = json.load(open(case["refs"]))["refs"]
    ours = {(r[1], r[2]) for k, r in refs.items()
            if isinstance(r, list) and len(r) == 3 and not k.split("/")[-1].startswith(".")}
    bad = {int(k[len("message@"):]) for k in unsupported if k.startswith("message@")}
    theirs = set()
    with open(case["original"], "rb") as f:
        while True:
            h = eccodes.codes_grib_new_from_file(f)
            if h is None:
                break
            try:
                offset, length = eccodes.codes_get(h, "offset"), eccodes.codes_get(h, "totalLength")
                level = eccodes.codes_get(h, "typeOfLevel")
                names = {eccodes.codes_get(h, "cfVarName"), eccodes.codes_get(h, "shortName")}
                if offset not in bad and not any(f"{n} ({level})" in unsupported for n in names):
                    theirs.add((offset, length))
            finally:
                eccodes.codes_release(h)
    if ours != theirs:
        problems.append(f"message ranges differ: refcat only {sorted(ours - theirs)[:3]}, "
                        f"ecCodes only {sorted(theirs - ours)[:3]}")


def check_kerchunk(case, problems):
    """kerchunk's clients (fsspec's reference file system, kerchunk's codecs) against the served view."""
    refs = json.load(open(case["refs"]))["refs"]
    store = PerKeyStore(fsspec.filesystem("reference", fo=case["refs"]).get_mapper(""))
    view = zarr.open_consolidated(fsspec.get_mapper(case["zarr"]), mode="r")
    for key in sorted(k for k in refs if k == ".zarray" or k.endswith("/.zarray")):
        path = key[:-len(".zarray")].rstrip("/")
        meta = json.loads(refs[key])
        codec_id = ((meta.get("filters") or [{}])[0]).get("id")
        try:
            array = zarr.open_array(store, path=path, mode="r")
            got = array[fields_index(case, path, array)]
        except Exception as e:  # noqa: BLE001 - refusing is what refcat_grib arrays must make it do
            if codec_id != "refcat_grib":
                problems.append(f"{path}: kerchunk's client fails: {type(e).__name__}: {e}")
            elif "refcat_grib" not in str(e):
                problems.append(f"{path}: fails, but not for its codec: {type(e).__name__}: {e}")
            continue
        if codec_id == "refcat_grib":
            problems.append(f"{path}: a kerchunk client read a refcat_grib array instead of failing")
            continue
        want = view[path][fields_index(case, path, array)]
        if want.shape != got.shape or not np.array_equal(np.asarray(want, dtype="f8"), np.asarray(got, dtype="f8"),
                                                         equal_nan=True):
            problems.append(f"{path}: kerchunk's codec reads {np.ravel(got)[:3]}, the served view "
                            f"{np.ravel(want)[:3]}")


def fields_index(case, path, array):
    """All of a small array; the first referenced field of a large one."""
    if array.size <= WHOLE_LIMIT:
        return Ellipsis
    first = next(fields_of(case, path), None)
    return Ellipsis if first is None else first


def main():
    kerchunk = None
    if "--kerchunk" in sys.argv:
        at = sys.argv.index("--kerchunk")
        kerchunk = sys.argv[at + 1]
        del sys.argv[at:at + 2]
        sys.path.insert(0, kerchunk)
        import kerchunk.codecs  # noqa: F401 - registers kerchunk's grib codec with numcodecs
    dump_dir, cases = manifest_args(sys.argv)
    for case in cases:
        unsupported = json.load(open(case["refs"])).get("refcat", {}).get("unsupported", {})
        dump = {}
        for name in ("zarr_http", "messages") + (("kerchunk_refs",) if kerchunk else ()):
            problems = []
            try:
                if name == "zarr_http":
                    check_served(case, unsupported, problems, dump)
                elif name == "kerchunk_refs":
                    check_kerchunk(case, problems)
                else:
                    check_messages(case, unsupported, problems)
            except Exception as e:  # noqa: BLE001 - see failure()
                problems = failure(e)
            report(case, name, problems, unsupported=unsupported)
        if dump_dir:
            with open(os.path.join(dump_dir, case["name"] + ".expected.json"), "w") as f:
                json.dump({"variables": dump}, f)


if __name__ == "__main__":
    main()
