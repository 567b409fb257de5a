#!/usr/bin/env python3
"""Writes indexer/src/main/resources/io/refcat/indexer/grib/concepts.tsv.gz from ecCodes' GRIB
definitions (Debian's libeccodes-data, Apache-2.0), so refcat names GRIB parameters and level
types exactly as ecCodes, and so cfgrib, does.

usage: python3 indexer/tables/generate_grib_concepts.py [DEFINITIONS_DIR]
       (default /usr/share/eccodes/definitions)

One line per concept entry, in ecCodes' file order:
  edition  concept  dir  value  conditions
where concept is paramId, shortName, cfVarName, name, units, cfName, typeOfLevel or (GRIB1) stepType; dir is "master" or the centre
abbreviation of a localConcepts directory; conditions are key=value pairs joined by ";" (string
values quoted with '). Lines "0 centre CODE ABBREVIATION" map WMO centre codes (common/c-11.table)
to those abbreviations. GribConcepts explains how refcat evaluates them.
"""
import gzip
import os
import re
import sys

DEFS = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/eccodes/definitions"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "io", "refcat",
                   "indexer", "grib", "concepts.tsv.gz")
CONCEPTS = {"paramId": "paramId.def", "shortName": "shortName.def", "cfVarName": "cfVarName.def", "name": "name.def",
            "units": "units.def", "cfName": "cfName.def"}
ENTRY = re.compile(r"['\"]([^'\"]*)['\"]\s*=\s*\{([^}]*)\}", re.S)


def entries(path):
    text = "\n".join(line for line in open(path, encoding="utf-8") if not line.lstrip().startswith("#"))
    for m in ENTRY.finditer(text):
        conds = []
        for part in m.group(2).split(";"):
            part = part.strip()
            if not part:
                continue
            key, value = (s.strip() for s in part.split("=", 1))
            conds.append(f"{key}={value}")
        yield m.group(1), ";".join(conds)


def main():
    lines = []
    for row in open(os.path.join(DEFS, "common", "c-11.table"), encoding="utf-8"):
        parts = row.split()
        if len(parts) >= 2 and parts[0].isdigit() and not row.startswith("#"):
            lines.append("\t".join(["0", "centre", parts[0], parts[1], ""]))
    for edition in ("grib1", "grib2"):
        files = dict(CONCEPTS)
        files["typeOfLevel"] = "typeOfLevel.def" if edition == "grib1" else "typeOfLevelConcept.def"
        if edition == "grib1":
            files["stepType"] = "stepType.def"  # GRIB2's is a table in template.4.statistical.def
        for concept, name in files.items():
            local_root = os.path.join(DEFS, edition, "localConcepts")
            dirs = [(d, os.path.join(local_root, d, name)) for d in sorted(os.listdir(local_root))]
            dirs.append(("master", os.path.join(DEFS, edition, name)))
            for tag, path in dirs:
                if os.path.exists(path):
                    for value, conds in entries(path):
                        lines.append("\t".join([edition[-1], concept, tag, value, conds]))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"wrote {len(lines)} entries to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
