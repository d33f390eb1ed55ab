"""Times Evidently's DataDriftPreset on the benchmark pair (optional part of scripts/bench-drift.sh).

    python3 scripts/bench_evidently.py target/bench/1000000/reference.csv target/bench/1000000/current.csv

Prints one line per run: the wall time of reading both CSVs with pandas and
running the preset, the same work the native CLI's figure covers.
"""

import sys
import time

import pandas as pd
import evidently
from evidently import Report
from evidently.presets import DataDriftPreset


def run(reference_path, current_path):
    cpu = time.process_time()
    start = time.perf_counter()
    reference = pd.read_csv(reference_path)
    current = pd.read_csv(current_path)
    loaded = time.perf_counter()
    snapshot = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
    snapshot.dict()
    done = time.perf_counter()
    return loaded - start, done - start, time.process_time() - cpu


def main():
    reference_path, current_path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    print(f"evidently {evidently.__version__}, pandas {pd.__version__}")
    for i in range(runs):
        read, total, cpu = run(reference_path, current_path)
        print(f"run {i + 1}: wall {total:.2f} s, cpu {cpu:.2f} s (of which pandas.read_csv {read:.2f} s wall)")


if __name__ == "__main__":
    main()
