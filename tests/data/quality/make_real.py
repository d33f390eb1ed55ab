"""Writes the real-data quality fixtures from datasets that ship inside Python packages.

    python3 tests/data/quality/make_real.py

- real_wine/: scikit-learn's bundled copy of the UCI Wine data (178 wines, 13
  chemical measurements and a cultivar class; Forina et al., via the UCI Machine
  Learning Repository). A seeded split: 120 rows as reference, the other 58 as
  current, with the breakages a production feed really suffers written into the
  current file: a unit change (alcohol sent as per mille for 6 rows), a feature a
  broken form stops sending (magnesium blank in 30 rows), a new class label, a
  sensor fault (NaN and inf in color_intensity), a text placeholder in a numeric
  column, three rows ingested twice and an identifier column added upstream.
- real_cars/: the cars data bundled with vega_datasets (406 cars, 1970-1982;
  from the StatLib library at Carnegie Mellon), split by model year: up to 1976
  as reference, 1977 on as current. It is left as it is: real nulls in
  Miles_per_Gallon and Horsepower, real range changes, no injected faults.

CI does not run this script; its outputs are committed.
"""

import json
import os

import numpy as np
import pandas as pd
from sklearn.datasets import load_wine

HERE = os.path.dirname(os.path.abspath(__file__))


def wine():
    data = load_wine(as_frame=True)
    frame = data.frame.copy()
    frame["target"] = frame["target"].map({0: "class_0", 1: "class_1", 2: "class_2"})
    frame = frame.rename(columns={"od280/od315_of_diluted_wines": "od280_od315", "target": "cultivar"})
    rng = np.random.default_rng(20240601)
    order = rng.permutation(len(frame))
    reference = frame.iloc[order[:120]].reset_index(drop=True)
    current = frame.iloc[order[120:]].reset_index(drop=True).astype(object)
    current.loc[[4, 9, 15, 22, 31, 40], "alcohol"] = current.loc[[4, 9, 15, 22, 31, 40], "alcohol"].astype(float) * 10
    current.loc[current.index[:30], "magnesium"] = ""
    current.loc[[5, 17], "cultivar"] = "class_3"
    current.loc[[8, 33], "color_intensity"] = "NaN"
    current.loc[[12], "color_intensity"] = "inf"
    current.loc[[27], "hue"] = "unknown"
    current = pd.concat([current, current.iloc[[1, 2, 3]]], ignore_index=True)
    current.insert(0, "sample_id", [f"W{1000 + i}" for i in range(len(current))])
    # The duplicated rows must stay duplicates: give them the ids of the rows they copy.
    current.loc[len(current) - 3 :, "sample_id"] = current.loc[[1, 2, 3], "sample_id"].values
    out = os.path.join(HERE, "real_wine")
    os.makedirs(out, exist_ok=True)
    reference.to_csv(os.path.join(out, "reference.csv"), index=False)
    current.to_csv(os.path.join(out, "current.csv"), index=False)


def cars():
    import vega_datasets

    path = os.path.join(os.path.dirname(vega_datasets.__file__), "_data", "cars.json")
    with open(path) as f:
        frame = pd.DataFrame(json.load(f))
    frame["Year"] = frame["Year"].str.slice(0, 10)
    reference = frame[frame["Year"] < "1977"]
    current = frame[frame["Year"] >= "1977"]
    out = os.path.join(HERE, "real_cars")
    os.makedirs(out, exist_ok=True)
    reference.to_csv(os.path.join(out, "reference.csv"), index=False)
    current.to_csv(os.path.join(out, "current.csv"), index=False)


if __name__ == "__main__":
    wine()
    cars()
