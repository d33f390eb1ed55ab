#!/usr/bin/env bash
# Benchmarks `modelgate evaluate` on seeded predictions and training files.
#   bash scripts/bench-eval.sh [rows] [classes]
# Prints wall time and peak resident memory (3 runs), default 100,000 rows, 2 classes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rows=${1:-100000}
classes=${2:-2}
dir=target/bench-eval/$rows-$classes
cargo build --release -q -p modelgate-cli --example gen_eval_bench --bin modelgate
if [ ! -f "$dir/training.csv" ]; then
  target/release/examples/gen_eval_bench "$rows" "$dir" "$classes"
fi
ls -l "$dir"/*.csv | awk '{ printf "%s: %.1f MB\n", $NF, $5 / 1e6 }'
for run in 1 2 3; do
  /usr/bin/time -f "run $run: wall %e s, peak RSS %M KiB" \
    target/release/modelgate evaluate --predictions "$dir/predictions.csv" --train "$dir/training.csv" \
      --sensitive region --format json > /dev/null || [ $? = 1 ]
done
