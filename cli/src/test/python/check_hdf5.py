#!/usr/bin/env python3
"""Checks refcat's output for HDF5 / NetCDF4 files against libhdf5 (h5py) and libnetcdf.

Same manifest and output as check_netcdf3.py (name, original, refs, zarr); with --dump DIR it
also writes what h5py reads to DIR/<name>.expected.json for the Java clients. For every dataset of
the original that refcat did not list as unsupported (the "refcat.unsupported" member of its
JSON), values and attributes must equal h5py's; for NetCDF4 files the dimension names must equal
netCDF4-python's. Checks: "refs" (fsspec reference filesystem + zarr-python) and "zarr_http"
(zarr-python on the served Zarr v2 store), and "zarr3_structured" (compound datasets through the
served Zarr v3 view, read by this file's reader of the zarr-extensions `structured` data type:
no Zarr v3 library here implements it). Unsupported datasets are echoed in "unsupported".
"""
import contextlib
import itertools
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

import h5py
import numpy as np
import xarray as xr
import zarr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_netcdf3 import (DECODE_NOTHING, PerKeyStore, check_xarray, compare_values, failure, manifest_args,  # noqa: E402
                           reference_fs, report, same_attr, truth)

HIDDEN = {"_Netcdf4Dimid", "_Netcdf4Coordinates", "_NCProperties", "_nc3_strict", "DIMENSION_LIST",
          "REFERENCE_LIST", "CLASS", "NAME", "_FillValue"}
NOT_A_VARIABLE = b"This is a netCDF dimension but not a netCDF variable"


def text(v):
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v).decode("utf-8", "replace")
    return v


def fixed_text(v):
    """A fixed-length string as refcat's v3 view serves it: UTF-8 where valid, else one character per byte."""
    try:
        return bytes(v).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(v).decode("latin-1")


def records(v):
    """A compound attribute as refcat writes it: an object per element, member -> value."""
    if isinstance(v, np.ndarray) and v.shape != ():
        return [records(x) for x in v.ravel()]
    return {name: (text(v[name]) if isinstance(v[name], bytes) else np.asarray(v[name]).tolist()) for name in v.dtype.names}


def compare_attrs(where, h5_attrs, got, problems, unsupported, prefix):
    """Attributes refcat listed as unsupported ("path/@name") are not expected in the store."""
    expected = {}
    for k in h5_attrs.keys():
        if k in HIDDEN or prefix + "@" + k in unsupported:
            continue
        try:
            v = h5_attrs[k]
        except (OSError, TypeError):
            continue  # attributes h5py itself cannot read
        expected[k] = None if isinstance(v, h5py.Empty) else v
    got = {k: v for k, v in got.items() if k != "_ARRAY_DIMENSIONS"}
    if set(expected) != set(got):
        problems.append(f"{where}: attribute names differ: h5py {sorted(expected)} vs {sorted(got)}")
        return
    for k, v in expected.items():
        if isinstance(v, (np.void, np.ndarray)) and v.dtype.names:
            if records(v) != got[k]:
                problems.append(f"{where}: attribute {k}: h5py {records(v)!r} vs {got[k]!r}")
            continue
        a = text(v) if not isinstance(v, np.ndarray) or v.dtype.kind not in "SO" else [text(x) for x in v.ravel()]
        if not same_attr(a, got[k]):
            problems.append(f"{where}: attribute {k}: h5py {v!r} vs {got[k]!r}")


def datasets(h5):
    out = {}

    def visit(name):
        try:
            obj = h5[name]
        except (KeyError, OSError):
            # an object libhdf5 cannot open either (no layout message, an undefined datatype class):
            # refcat must list it as unsupported, which "check" demands of every path it cannot find
            out[name] = None
            return
        if isinstance(obj, h5py.Dataset):
            label = obj.attrs.get("NAME")
            if isinstance(label, (bytes, np.bytes_)) and bytes(label).startswith(NOT_A_VARIABLE):
                return
            # libnetcdf shows "_nc4_non_coord_y" as "y" (a variable named like a dimension it is not the
            # coordinate of); refcat serves the netCDF name
            parent, _, leaf = name.rpartition("/")
            if leaf.startswith("_nc4_non_coord_") and len(leaf) > len("_nc4_non_coord_"):
                name = (parent + "/" if parent else "") + leaf[len("_nc4_non_coord_"):]
            out[name] = obj

    # by links rather than h5.visit: libhdf5's visit stops at the first object it cannot open
    seen = set()

    def walk(group, prefix):
        for key in group.keys():
            if not isinstance(group.get(key, getlink=True), h5py.HardLink):
                continue  # soft and external links: as h5.visit, which follows hard links only
            name = prefix + key
            visit(name)
            try:
                child = group[key]
            except (KeyError, OSError):
                continue
            address = h5py.h5o.get_info(child.id).addr
            if isinstance(child, h5py.Group) and address not in seen:
                seen.add(address)
                walk(child, name + "/")

    walk(h5, "")
    return out


def netcdf_dims(path):
    try:
        import netCDF4
        ds = netCDF4.Dataset(path)
    except Exception:
        return None
    dims = {}

    def walk(g, prefix):
        for name, v in g.variables.items():
            dims[prefix + name] = list(v.dimensions)
        for name, sub in g.groups.items():
            walk(sub, prefix + name + "/")

    walk(ds, "")
    ds.close()
    return dims


def linked(h5, group, seen):
    """Arrays the store holds under links (soft or external), which visititems does not visit:
    h5py follows the link when the path is opened directly."""
    out = {}
    arrays = [k[: -len("/.zarray")] for k in group.store.keys() if k.endswith("/.zarray")]
    for path in arrays:
        if path not in seen:
            try:
                obj = h5[path]
            except (KeyError, OSError):
                continue
            if isinstance(obj, h5py.Dataset):
                out[path] = obj
    return out


def check(case, group, unsupported, problems, served):
    with h5py.File(case["original"], "r") as h5:
        compare_attrs("/", h5.attrs, dict(group.attrs), problems, unsupported, "")
        nc_dims = netcdf_dims(case["original"])
        visited = datasets(h5)
        for path, ds in sorted({**visited, **linked(h5, group, visited)}.items()):
            if path in unsupported:
                continue
            if ds is None:
                problems.append(f"{path}: libhdf5 cannot open it, and refcat does not list it as unsupported")
                continue
            try:
                arr = group[path]
            except KeyError:
                problems.append(f"{path}: missing from the Zarr store and not listed as unsupported")
                continue
            except ValueError as e:
                # The references keep HDF5 codecs (fletcher32 needs numcodecs 0.12+; lzf, lz4 and
                # bitshuffle framings have no numcodecs codec); the served store decodes them.
                if "codec not available" in str(e) and not served:
                    continue
                raise
            try:
                # libhdf5 finds external raw data files (H5Pset_external) relative to the working directory
                with contextlib.chdir(os.path.dirname(os.path.abspath(case["original"]))):
                    expected = ds[()]
            except OSError:
                continue  # h5py lacks the filter plugin: there is no truth to compare with
            got = arr[...]
            if h5py.check_string_dtype(ds.dtype) and ds.dtype.kind == "O":
                want = [text(x) for x in np.asarray(expected, dtype=object).ravel()]
                have = [text(x) for x in np.asarray(got, dtype=object).ravel()]
                if want != have:
                    problems.append(f"{path}: strings differ: {want[:3]} vs {have[:3]}")
            else:
                if ds.dtype.kind == "S":
                    got = got.astype(ds.dtype)
                if served and ds.dtype.names and got.dtype.names != ds.dtype.names:
                    problems.append(f"{path}: fields {got.dtype.names}, h5py has {ds.dtype.names}")
                compare_values(path, expected, got, problems)
            got_attrs = dict(arr.attrs)
            mapping = h5py.check_enum_dtype(ds.dtype)
            if mapping and ds.dtype.kind != "b":
                want = sorted(mapping.items(), key=lambda kv: kv[1])
                flags = (got_attrs.pop("flag_values", None), got_attrs.pop("flag_meanings", None))
                if flags != ([v for _, v in want], " ".join(k.replace(" ", "_") for k, _ in want)):
                    problems.append(f"{path}: enum mapping {mapping} vs flags {flags}")
            compare_attrs(path, ds.attrs, got_attrs, problems, unsupported, path + "/")
            if nc_dims is not None and path in nc_dims and nc_dims[path] != arr.attrs.get("_ARRAY_DIMENSIONS"):
                problems.append(f"{path}: dimensions netCDF4 {nc_dims[path]} vs {arr.attrs.get('_ARRAY_DIMENSIONS')}")


V3_CORE = {"bool": "?", "int8": "i1", "int16": "i2", "int32": "i4", "int64": "i8", "uint8": "u1", "uint16": "u2",
           "uint32": "u4", "uint64": "u8", "float16": "f2", "float32": "f4", "float64": "f8"}


def v3_numpy_type(data_type, endian):
    """A Zarr v3 data type as NumPy's: the registry's `structured` one packed, fields in order."""
    if isinstance(data_type, dict) and data_type.get("name") == "structured":
        return np.dtype([(name, v3_numpy_type(t, endian)) for name, t in data_type["configuration"]["fields"]])
    if isinstance(data_type, str) and data_type.startswith("r"):
        return np.dtype(f"V{int(data_type[1:]) // 8}")
    return np.dtype(endian + V3_CORE[data_type])


def v3_fill(dtype, fill):
    """The registry's fill value (member -> value) as one element of `dtype`."""
    value = np.zeros((), dtype=dtype)
    for name in dtype.names:
        if dtype[name].names:
            value[name] = v3_fill(dtype[name], fill[name])
        elif dtype[name].kind == "V":
            value[name] = bytes(fill[name])
        else:
            v = fill[name]
            value[name] = float(v) if isinstance(v, str) else v  # "NaN", "Infinity" are strings in v3 JSON
    return value


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def read_v3_structured(base, meta):
    """Every chunk of a v3 structured array with only the `bytes` codec, as the registry encodes it."""
    codecs = meta["codecs"]
    if [c["name"] for c in codecs] != ["bytes"]:
        raise AssertionError(f"codecs {codecs}: the store serves structured chunks as plain bytes")
    endian = ">" if codecs[0].get("configuration", {}).get("endian") == "big" else "<"
    dtype = v3_numpy_type(meta["data_type"], endian)
    shape, chunks = meta["shape"], meta["chunk_grid"]["configuration"]["chunk_shape"]
    out = np.full(shape, v3_fill(dtype, meta["fill_value"]), dtype=dtype)
    grid = [range(0, -(-n // c)) for n, c in zip(shape, chunks)]
    for index in itertools.product(*grid):
        key = "c/" + "/".join(map(str, index)) if shape else "c"
        status, body = fetch(f"{base}/{key}")
        if status == 404:
            continue
        if status != 200:
            raise AssertionError(f"{key}: HTTP {status}: {body[:200]!r}")
        block = np.frombuffer(body, dtype=dtype).reshape(chunks)
        where = tuple(slice(i * c, min((i + 1) * c, n)) for i, c, n in zip(index, chunks, shape))
        out[where] = block[tuple(slice(0, w.stop - w.start) for w in where)]
    return out


def v3_expressible(dtype):
    """Whether the registry's structured type holds every member: scalar numbers, bytes, nested records."""
    for name in dtype.names:
        member = dtype[name]
        if member.shape or member.kind in "SUO" or (member.names and not v3_expressible(member)):
            return False
    return True


def check_v3_structured(case, unsupported, problems):
    """Compound datasets through the served Zarr v3 view: the registry's structured type, read member
    by member as h5py reads them; members v3 cannot hold give a 501 naming the member."""
    base = case["zarr"].replace("/zarr/", "/zarr3/", 1)
    with h5py.File(case["original"], "r") as h5:
        for path, ds in sorted(datasets(h5).items()):
            if ds is None or path in unsupported or not ds.dtype.names or ds.shape is None:
                continue
            status, body = fetch(f"{base}/{urllib.parse.quote(path)}/zarr.json")
            if not v3_expressible(ds.dtype):
                if status != 501 or b"member" not in body:
                    problems.append(f"{path}: members v3 cannot hold, but HTTP {status}: {body[:200]!r}")
                continue
            if status != 200:
                problems.append(f"{path}: zarr.json HTTP {status}: {body[:300]!r}")
                continue
            meta = json.loads(body)
            got = read_v3_structured(f"{base}/{urllib.parse.quote(path)}", meta)
            with contextlib.chdir(os.path.dirname(os.path.abspath(case["original"]))):
                expected = ds[()]
            if got.dtype.names != ds.dtype.names:
                problems.append(f"{path}: fields {got.dtype.names}, h5py has {ds.dtype.names}")
                continue
            compare_values(path, expected, got, problems)


def check_against_netcdf4(case, unsupported, problems):
    """For files libnetcdf opens as NetCDF4 (not plain HDF5): xarray on the served store must see
    what netCDF4-python sees, variable by variable, as for NetCDF3."""
    try:
        nc = truth(case["original"])
    except (OSError, RuntimeError):
        return  # not a file libnetcdf reads: h5py's checks above are the proof
    try:
        with h5py.File(case["original"], "r") as h5:
            written_by_libnetcdf = "_NCProperties" in h5.attrs
        if not written_by_libnetcdf or unsupported:
            return  # plain HDF5 (phony dimensions) or partly indexed: checked above

        def walk(group, path):
            xds = xr.open_dataset(case["zarr"], engine="zarr", consolidated=True, group=path or None,
                                  **DECODE_NOTHING)
            before = len(problems)
            check_xarray(case, group, xds, problems)
            problems[before:] = [f"{path or '/'}: {p}" for p in problems[before:]]
            for name, sub in group.groups.items():
                walk(sub, f"{path}/{name}" if path else name)

        walk(nc, "")
    finally:
        nc.close()


DUMP_LIMIT = 5_000


def dump(case, unsupported, out_dir):
    """What h5py reads, for the Java and JavaScript clients' checks (datasets up to DUMP_LIMIT elements:
    numbers, and strings as text: variable-length ones with dtype "|O", fixed-length ones "|S<n>")."""
    out = {}
    with h5py.File(case["original"], "r") as h5:
        for path, ds in sorted(datasets(h5).items()):
            if ds is None:
                continue
            strings = ds.dtype.kind == "S" or (ds.dtype.kind == "O" and h5py.check_string_dtype(ds.dtype) is not None)
            if path in unsupported or ds.shape is None or ds.size > DUMP_LIMIT or (ds.dtype.kind not in "iuf"
                                                                                   and not strings):
                continue
            try:
                with contextlib.chdir(os.path.dirname(os.path.abspath(case["original"]))):
                    values = np.asarray(ds[()]).ravel().tolist()
            except OSError:
                continue  # h5py lacks the filter plugin
            if ds.dtype.kind == "S":
                values = [fixed_text(v) for v in values]
            elif strings:
                values = [text(v) for v in values]
            values = [("NaN" if v != v else "Infinity" if v == float("inf") else "-Infinity" if v == float("-inf")
                       else v) if isinstance(v, float) else v for v in values]
            out[path] = {"dtype": ds.dtype.str, "shape": list(ds.shape), "values": values}
    with open(os.path.join(out_dir, case["name"] + ".expected.json"), "w") as f:
        json.dump({"variables": out}, f)


def main():
    dump_dir, cases = manifest_args(sys.argv)
    for case in cases:
        ext = json.load(open(case["refs"])).get("refcat", {})
        unsupported = ext.get("unsupported", {})
        # Arrays with chunks stored skipping filters: only the served views decode those per chunk.
        masked = {k.rsplit("/", 1)[0] for k in ext.get("filter_masks", {})}
        if dump_dir:
            dump(case, unsupported, dump_dir)
        for name in case.get("checks", ("refs", "zarr_http", "netcdf4_xarray", "zarr3_structured")):
            problems = []
            try:
                if name == "netcdf4_xarray":
                    check_against_netcdf4(case, unsupported, problems)
                elif name == "zarr3_structured":
                    check_v3_structured(case, unsupported, problems)
                elif name == "refs":
                    fs = reference_fs(case)
                    group = zarr.open_group(PerKeyStore(fs.get_mapper("")), mode="r")
                    check(case, group, {**unsupported, **{m: "filter masks" for m in masked}}, problems,
                          served=False)
                else:
                    group = zarr.open_consolidated(case["zarr"], mode="r")
                    check(case, group, unsupported, problems, served=True)
            except Exception as e:  # noqa: BLE001 - see failure()
                problems = failure(e)
            report(case, name, problems, unsupported=unsupported)


if __name__ == "__main__":
    main()
