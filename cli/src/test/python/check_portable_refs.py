#!/usr/bin/env python3
"""Opens a catalogued dataset from another process the way a STAC client does, through the server only.

Arguments: the STAC item URL, then the original file (read with netCDF4-python as the truth).
Takes the item's `references` asset, checks that the references name no file of the server's disk
(every chunk URL is an http URL of the server, so this process reaches the data only through it),
opens the dataset with xarray exactly as the asset's `xarray:open_kwargs` say, and compares every
variable with the original, value for value. Prints "ok" or fails with the differences.
"""
import json
import sys
import urllib.request

import netCDF4
import numpy as np
import xarray as xr


def main(item_url, original):
    item = json.load(urllib.request.urlopen(item_url))
    asset = item["assets"]["references"]
    refs = json.load(urllib.request.urlopen(asset["href"]))
    urls = list(refs.get("templates", {}).values())
    urls += [v[0] for v in refs["refs"].values() if isinstance(v, list) and not v[0].startswith("{{")]
    base = item_url.split("/stac/")[0]
    bad = [u for u in urls if not u.startswith(base + "/files/")]
    assert urls and not bad, "references name sources the client cannot reach through the server: %s" % bad[:3]
    source = item["assets"]["source"]["href"]
    assert source.startswith(base + "/files/"), source

    ds = xr.open_dataset("reference://", mask_and_scale=False, decode_times=False, **asset["xarray:open_kwargs"])
    truth = netCDF4.Dataset(original)
    truth.set_auto_maskandscale(False)
    problems = []
    for name, var in truth.variables.items():
        if var.dtype is str or var.dtype.kind == "S":
            continue  # characters: compared by the NetCDF3 interop checks
        expected = np.asarray(var[...])
        got = ds[name].values
        if expected.shape != got.shape or not np.array_equal(expected, got, equal_nan=expected.dtype.kind == "f"):
            problems.append("%s: expected %s, got %s" % (name, expected.ravel()[:5], got.ravel()[:5]))
    assert not problems, problems
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
