"""Writes the full-report fixtures the renderer's e2e tests draw (tests/data/report/).

A full report is put together from the JSON of the single commands, run on the
committed sample and eval files (a binary evaluation with a sensitive column, a
second run of its predictions with a few changes, serving features recomputed
differently), with the raw values the report drops removed here too. The e2e test
passes each through wasm `exportReport(sections, ...)`, the page's own export path.

    cargo build --release -p modelgate-cli
    python3 tests/data/report/make_fixtures.py target/release/modelgate
"""

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parent


def run(cli, *args):
    done = subprocess.run([cli, *args, "--format", "json"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def rewrite(src, dst, change):
    rows = list(csv.reader(open(ROOT / src)))
    out = [rows[0]] + [change(i, list(r), rows[0]) for i, r in enumerate(rows[1:])]
    csv.writer(open(dst, "w", newline="")).writerows(out)


def serving(i, r, h):
    # temp_max recomputed differently at serving time on every 7th row; some precipitation lost.
    if i % 7 == 0:
        r[h.index("temp_max")] = str(round(float(r[h.index("temp_max")]) + 0.5, 1))
    if i % 50 == 0:
        r[h.index("precipitation")] = ""
    return r


def rerun(i, r, h):
    # A second run of the model: some scores moved, a few predictions flipped.
    if i % 10 == 3:
        r[h.index("score")] = str(round(float(r[h.index("score")]) + 0.01, 6))
    if i % 25 == 5:
        r[h.index("prediction")] = str(1 - int(r[h.index("prediction")]))
    return r


def main():
    cli = sys.argv[1] if len(sys.argv) > 1 else "target/release/modelgate"
    with tempfile.TemporaryDirectory() as tmp:
        serving_csv = Path(tmp) / "serving.csv"
        rerun_csv = Path(tmp) / "predictions_rerun.csv"
        rewrite("web/sample/training.csv", serving_csv, serving)
        rewrite("tests/data/eval/diabetes_binary.csv", rerun_csv, rerun)
        base = run(cli, "report", "-r", "web/sample/reference.csv", "-c", "web/sample/current.csv")
        quality = run(cli, "quality", "-r", "web/sample/reference.csv", "-c", "web/sample/current.csv")
        comparison = run(cli, "compare-predictions", "--a", "tests/data/eval/diabetes_binary.csv", "--b", str(rerun_csv))
        skew = run(cli, "skew", "--training", "web/sample/training.csv", "--serving", str(serving_csv))
        comparison["b"] = "predictions_rerun.csv"
        skew["serving"] = "serving.csv"
        for f in comparison["findings"] + skew["findings"]:
            f["source"] = Path(f["source"]).name if f["source"].startswith(tmp) else f["source"]
    for col in comparison["columns"]:
        col.pop("examples", None)
    for f in skew["features"]:
        f.pop("examples", None)
    for f in quality["findings"]:
        f.pop("values", None)
    rubric = run(cli, "rubric", "-a", "tests/data/rubric/answers/ok-2017.csv",
                 "--drift-reference", "web/sample/reference.csv", "--drift-current", "web/sample/current.csv")
    binary = run(cli, "evaluate", "-p", "tests/data/eval/diabetes_binary.csv",
                 "--train", "tests/data/eval/diabetes_binary_train.csv", "--sensitive", "sex")
    regression = run(cli, "evaluate", "-p", "web/sample/predictions.csv", "--train", "web/sample/training.csv")
    multiclass = run(cli, "evaluate", "-p", "tests/data/eval/iris.csv", "--train", "tests/data/eval/iris_train.csv", "--label", "species")
    full = {**base, "quality": quality, "evaluation": binary, "comparison": comparison, "skew": skew, "rubric": rubric}
    (OUT / "full-binary.json").write_text(json.dumps(full, indent=1) + "\n")
    (OUT / "full-regression.json").write_text(json.dumps({**base, "quality": quality, "evaluation": regression}, indent=1) + "\n")
    (OUT / "evaluation-multiclass.json").write_text(json.dumps({"kind": base["kind"], "format_version": base["format_version"], "modelgate": base["modelgate"], "evaluation": multiclass}, indent=1) + "\n")


main()
