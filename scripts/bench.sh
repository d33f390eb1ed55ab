#!/usr/bin/env bash
# Benchmarks the native CLI on the seeded 1,000,000-row x 5-column pair.
#   bash scripts/bench.sh [rows]
# Prints wall time and peak resident memory of `modelgate drift` (best of 3 runs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rows=${1:-1000000}
dir=target/bench/$rows
cargo build --release -q -p modelgate-cli --example gen_bench --bin modelgate
if [ ! -f "$dir/current.csv" ]; then
  target/release/examples/gen_bench "$rows" "$dir"
fi
ls -l "$dir"/*.csv | awk '{ printf "%s: %.1f MB\n", $NF, $5 / 1e6 }'
for run in 1 2 3; do
  /usr/bin/time -f "run $run: wall %e s, peak RSS %M KiB" \
    target/release/modelgate drift --reference "$dir/reference.csv" --current "$dir/current.csv" --format json \
    > /dev/null || [ $? = 1 ]
done
