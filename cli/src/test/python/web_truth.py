"""What the reference libraries read, for the web catalogue's browser test.

Usage: web_truth.py REQUEST.json, where REQUEST is
  {"original": path, "engine": "netcdf4" | "cfgrib", "variable": name, "fixed": {dim: index},
   "series_at": {dim: index} (optional), "zarr": url (optional)}
Prints JSON: {"slice": 2-D list of the variable at the fixed indices (null for missing),
              "series": the values along the other dimensions at series_at (nested lists, null for missing),
              "zarr_matches": whether xarray on the served Zarr URL reads the same values as the original}.
"""
import json
import sys

import numpy as np


def read(original, engine, variable):
    if engine == "cfgrib":
        import xarray as xr
        ds = xr.open_dataset(original, engine="cfgrib", backend_kwargs={"indexpath": ""})
        v = ds[variable]
        return list(v.dims), np.asarray(v.values, dtype="f8")
    import netCDF4
    with netCDF4.Dataset(original) as nc:
        v = nc.variables[variable]
        v.set_auto_maskandscale(True)
        data = np.ma.filled(np.ma.asarray(v[...]).astype("f8"), np.nan)
        return list(v.dimensions), data


def listed(a):
    return [None if x != x else float(x) for x in a] if a.ndim == 1 else [listed(x) for x in a]


def main():
    req = json.load(open(sys.argv[1]))
    dims, data = read(req["original"], req["engine"], req["variable"])
    out = {}
    index = tuple(req["fixed"].get(d, slice(None)) for d in dims)
    out["slice"] = listed(np.asarray(data[index]))
    if "series_at" in req:
        at = tuple(req["series_at"].get(d, slice(None)) for d in dims)
        s = np.asarray(data[at])
        out["series"] = listed(s) if s.ndim else (None if s != s else float(s))
    if "zarr" in req:
        import xarray as xr
        served = xr.open_dataset(req["zarr"], engine="zarr", consolidated=True)[req["variable"]]
        got = np.asarray(served.values, dtype="f8")
        out["zarr_matches"] = bool(got.shape == data.shape and np.array_equal(got, data, equal_nan=True))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
