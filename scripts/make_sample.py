#!/usr/bin/env python3
"""Writes the page's sample data, web/sample/reference.csv and web/sample/current.csv.

Source: the Seattle weather table shipped inside the PyPI package `vega_datasets`
(_data/seattle-weather.csv: daily NOAA observations for Seattle, 2012-2015, public
domain; see web/sample/README.md). No network access is needed.

    reference.csv  every day of 2012 and 2013   (731 rows)
    current.csv    every day of 2015            (365 rows)

2014 is left out on purpose: it makes the gap between the two periods wider.
Rows are copied byte for byte from the source file (same header, same column
order, same number formatting), so the sample is the public data, not a
re-encoding of it.

With --check the script also prints what scipy says about each column (KS for
the numeric columns, chi-square of homogeneity for the weather label), as a
sanity check that the split shows a mix of drifted and stable columns. scipy's
numbers are an independent cross-check, not the ones the page shows.

Usage: python3 scripts/make_sample.py [--check] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys

REFERENCE_YEARS = ("2012", "2013")
CURRENT_YEARS = ("2015",)
EXPECTED_HEADER = ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]


def source_path() -> str:
    try:
        import vega_datasets
    except ImportError:
        sys.exit("make_sample.py: the PyPI package vega_datasets is needed (pip install vega_datasets)")
    path = os.path.join(os.path.dirname(vega_datasets.__file__), "_data", "seattle-weather.csv")
    if not os.path.isfile(path):
        sys.exit(f"make_sample.py: {path} is missing from the installed vega_datasets")
    return path


def split(text: str) -> tuple[str, list[str], list[str]]:
    """Returns the header line and the reference and current data lines, unchanged."""
    lines = text.splitlines()
    header, rows = lines[0], [line for line in lines[1:] if line.strip()]
    if next(csv.reader([header])) != EXPECTED_HEADER:
        sys.exit(f"make_sample.py: unexpected header {header!r}")
    reference, current = [], []
    for line in rows:
        year = line[:4]
        if year in REFERENCE_YEARS:
            reference.append(line)
        elif year in CURRENT_YEARS:
            current.append(line)
    return header, reference, current


def write(path: str, header: str, rows: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(row + "\n")
    print(f"wrote {path}: {len(rows)} rows")


def check(header: str, reference: list[str], current: list[str]) -> None:
    from collections import Counter

    from scipy import stats

    def table(rows: list[str]) -> dict[str, list[str]]:
        records = list(csv.DictReader(io.StringIO("\n".join([header, *rows]))))
        return {name: [r[name] for r in records] for name in EXPECTED_HEADER}

    ref, cur = table(reference), table(current)
    print("scipy cross-check (alpha 0.05):")
    for name in ("precipitation", "temp_max", "temp_min", "wind"):
        r = [float(x) for x in ref[name]]
        c = [float(x) for x in cur[name]]
        res = stats.ks_2samp(r, c)
        verdict = "drifted" if res.pvalue < 0.05 else "ok"
        print(f"  {name:14s} KS D={res.statistic:.4f} p={res.pvalue:.4g} "
              f"mean {sum(r) / len(r):.2f} -> {sum(c) / len(c):.2f}  {verdict}")
    rc, cc = Counter(ref["weather"]), Counter(cur["weather"])
    labels = sorted(set(rc) | set(cc))
    res = stats.chi2_contingency([[rc[k] for k in labels], [cc[k] for k in labels]], correction=False)
    verdict = "drifted" if res.pvalue < 0.05 else "ok"
    print(f"  {'weather':14s} chi2={res.statistic:.4g} dof={res.dof} p={res.pvalue:.4g}  {verdict}")
    for k in labels:
        print(f"      {k:8s} {rc[k] / len(reference):6.1%} -> {cc[k] / len(current):6.1%}")


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "web", "sample"), help="output folder")
    parser.add_argument("--check", action="store_true", help="print scipy's verdict per column")
    args = parser.parse_args()

    with open(source_path(), encoding="utf-8") as f:
        header, reference, current = split(f.read())
    if len(reference) != 731 or len(current) != 365:
        sys.exit(f"make_sample.py: expected 731 and 365 rows, got {len(reference)} and {len(current)}")
    os.makedirs(args.out, exist_ok=True)
    write(os.path.join(args.out, "reference.csv"), header, reference)
    write(os.path.join(args.out, "current.csv"), header, current)
    if args.check:
        check(header, reference, current)


if __name__ == "__main__":
    main()
