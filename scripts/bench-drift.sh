#!/usr/bin/env bash
# The drift benchmark of BENCHMARKS.md, in one run:
#   1. native CLI, full drift report on the seeded 1,000,000-row x 5-column pair;
#   2. the wasm build under node on the same files (streamed in 1 MiB chunks);
#   3. a ~1 GB CSV (27,000,000 rows) streamed against a reference profile, peak memory;
#   4. Evidently's DataDriftPreset on the same pair, when Python can import evidently.
#
#   bash scripts/bench-drift.sh [--skip-1gb] [--skip-evidently]
#
# Data goes to target/bench/ (never committed). EVIDENTLY_PYTHON picks the interpreter;
# without it the script uses python3 or makes a venv in target/bench/evidently.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
skip_big=0
skip_evidently=0
for arg in "$@"; do
  case $arg in
    --skip-1gb) skip_big=1 ;;
    --skip-evidently) skip_evidently=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
rows=1000000
dir=target/bench/$rows
cargo build --release -q -p modelgate-cli --example gen_bench --bin modelgate
[ -f "$dir/current.csv" ] || target/release/examples/gen_bench "$rows" "$dir"
bin=target/release/modelgate
timed() { /usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KiB" "$@"; }
ok_or_drift() { "$@" || [ $? = 1 ]; }

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
bash scripts/build-wasm.sh
# Native and wasm runs alternate, so both see the same machine load; read the best of each.
for run in 1 2 3 4 5; do
  echo "== 1. native CLI, run $run: modelgate drift --format json on $dir"
  ok_or_drift timed $bin drift --reference "$dir/reference.csv" --current "$dir/current.csv" --format json > /dev/null
  echo "== 2. wasm under node, run $run (web/pkg, streamed in 1 MiB chunks; node's start-up included in wall/user)"
  timed node scripts/bench-wasm.mjs "$dir/reference.csv" "$dir/current.csv" 1
done

if [ $skip_big = 0 ]; then
  big=target/bench/big
  [ -f "$big/current.csv" ] || target/release/examples/gen_bench 27000000 "$big" current
  ls -l "$big/current.csv" | awk '{ printf "== 3. %s: %.2f GB\n", $NF, $5 / 1e9 }'
  timed $bin profile --input "$dir/reference.csv" --output "$big/reference.profile.json"
  echo "-- drift of the 1 GB file against the reference profile"
  ok_or_drift timed $bin drift --reference-profile "$big/reference.profile.json" --current "$big/current.csv" --format json > "$big/report.json"
  echo "-- profile of the 1 GB file alone"
  timed $bin profile --input "$big/current.csv" --output "$big/current.profile.json"
fi

if [ $skip_evidently = 0 ]; then
  # EVIDENTLY_PYTHON, else python3 if it imports evidently, else a venv of our
  # own in target/bench/evidently (made once: Evidently 0.7 needs pandas < 3).
  # Without Python, or when the install fails, this part is skipped.
  py=${EVIDENTLY_PYTHON:-}
  venv=target/bench/evidently
  if [ -z "$py" ]; then
    if python3 -c "import evidently" 2>/dev/null; then
      py=python3
    elif [ -x $venv/bin/python ] && $venv/bin/python -c "import evidently" 2>/dev/null; then
      py=$venv/bin/python
    elif command -v python3 > /dev/null; then
      echo "== 4. setting up $venv: pip install evidently \"pandas<3\""
      if python3 -m venv --system-site-packages $venv > /dev/null &&
        $venv/bin/python -m pip install -q evidently "pandas<3" > $venv.log 2>&1; then
        py=$venv/bin/python
      else
        echo "   (failed, see $venv.log)"
      fi
    fi
  fi
  if [ -n "$py" ] && "$py" -c "import evidently" 2>/dev/null; then
    echo "== 4. Evidently DataDriftPreset ($py)"
    "$py" scripts/bench_evidently.py "$dir/reference.csv" "$dir/current.csv" 3
  else
    echo "== 4. skipped: no Python that imports evidently (pip install evidently \"pandas<3\", or set EVIDENTLY_PYTHON)"
  fi
fi
