// Reads refcat's served Zarr v3 views with zarrita (an independent JavaScript reader) and compares
// every variable with what the reference library read (the expected-values files the Python
// checkers dump: {"variables": {path: {dtype, shape, values}}}).
// Usage: node zarrita_v3.mjs MANIFEST   where MANIFEST is a JSON list of {name, zarr3, expected}.
// Prints one JSON line per case: {"name", "ok", "problems", "checked"}.
import { readFileSync } from "node:fs";
import * as zarr from "zarrita";

function same(want, got, dtype) {
  // NetCDF char arrays (|S1) are dumped as byte values and served in v3 as one-character strings
  if (typeof want === "number" && typeof got === "string" && dtype.includes("S")) {
    return got === (want === 0 ? "" : String.fromCharCode(want));
  }
  if (typeof want === "string" && ["NaN", "Infinity", "-Infinity"].includes(want)) {
    return want === "NaN" ? Number.isNaN(Number(got)) : Number(got) === Number(want);
  }
  // 64-bit integers: JSON.parse made the expected value the nearest double, so compare there
  if (typeof got === "bigint") return Number(got) === want;
  if (typeof want === "number" && typeof got === "number") {
    // float32 values were widened to float64 by the dump: compare in float32 where the data are
    return dtype.endsWith("f4") ? Math.fround(want) === Math.fround(got) : want === got;
  }
  if (typeof got === "boolean") return Boolean(want) === got;
  return want === got;
}

const manifest = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const c of manifest) {
  const problems = [];
  let checked = 0;
  try {
    const expected = JSON.parse(readFileSync(c.expected, "utf8")).variables;
    const root = zarr.root(new zarr.FetchStore(c.zarr3));
    for (const [path, want] of Object.entries(expected)) {
      try {
        if (want.dtype.endsWith("f2") && globalThis.Float16Array === undefined) {
          continue; // this Node has no Float16Array, which zarrita needs for float16
        }
        const array = await zarr.open.v3(root.resolve(path), { kind: "array" });
        if (JSON.stringify(array.shape) !== JSON.stringify(want.shape)) {
          problems.push(`${path}: shape ${JSON.stringify(array.shape)}, expected ${JSON.stringify(want.shape)}`);
          continue;
        }
        checked++;
        if (want.values.length === 0) {
          continue; // zarrita reads no selection of an empty array; its shape was checked
        }
        const result = await zarr.get(array);
        // a 0-d array is read as its one value
        const got = want.shape.length === 0 ? [result] : Array.from(result.data);
        const bad = want.values.findIndex((w, i) => !same(w, got[i], want.dtype));
        if (bad >= 0) {
          problems.push(`${path}[${bad}]: ${String(got[bad])}, expected ${String(want.values[bad])}`);
        }
      } catch (e) {
        problems.push(`${path}: ${e.name}: ${e.message}`);
      }
    }
  } catch (e) {
    problems.push(`${e.name}: ${e.message}`);
  }
  console.log(JSON.stringify({ name: c.name, ok: problems.length === 0, problems, checked }));
}
