#!/usr/bin/env bash
# Runs the cargo fuzz (libFuzzer) targets in fuzz/, each for a set time.
#
#   bash scripts/fuzz.sh [seconds-per-target] [target...]
#
# Defaults: 600 seconds, every target. The machine has a stable toolchain only:
# RUSTC_BOOTSTRAP=1 lets it accept the nightly flags cargo fuzz passes
# (-Zsanitizer=...). FUZZ_SANITIZER=none builds without AddressSanitizer;
# FUZZ_NICE sets the niceness (default 15, the machine is shared).
# New inputs go to fuzz/target/corpus/<target> (not committed); the committed
# seeds in fuzz/corpus/<target> are only read. Crashes land in
# fuzz/artifacts/<target>/. Prints, per target: wall-clock seconds (a crash
# stops a target early), runs, exec/s, coverage (cov: edges, ft: features),
# and new crash files.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true
sanitizer="${FUZZ_SANITIZER:-address}"
niceness="${FUZZ_NICE:-15}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz" >&2
  cargo install cargo-fuzz
fi

all_targets=(csv_ingest contract_parse rubric_answers profile_file payload validate eval_table)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

# Longest input per target: a few KB reaches every branch of a line- or
# token-based parser; more only slows each run.
max_len() {
  case "$1" in
    csv_ingest | eval_table) echo 8192 ;;
    profile_file) echo 32768 ;;
    *) echo 4096 ;;
  esac
}

# Seconds one input may take before libFuzzer calls it a hang. evaluate fits a
# logistic baseline per class: a few KB of predictions with a hundred classes
# takes ~0.5 s natively and over 10 s under ASan with coverage instrumentation.
timeout_for() {
  case "$1" in
    eval_table) echo 30 ;;
    *) echo 10 ;;
  esac
}

(cd fuzz && nice -n "$niceness" cargo fuzz build -s "$sanitizer")

mkdir -p fuzz/target/logs
printf '%-16s %8s %10s %8s %8s %8s %8s\n' target seconds runs exec/s cov ft crashes
for t in "${targets[@]}"; do
  work="fuzz/target/corpus/$t"
  mkdir -p "$work" "fuzz/artifacts/$t"
  log="fuzz/target/logs/$t.log"
  # Crashes, timeouts and out-of-memory inputs; libFuzzer's slow-unit-* files are not failures.
  count_failures() { find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l; }
  before=$(count_failures)
  # Built before the clock starts (a no-op unless the sources changed since).
  (cd fuzz && nice -n "$niceness" cargo fuzz build -s "$sanitizer" "$t" >/dev/null 2>&1)
  start=$(date +%s)
  set +e
  (cd fuzz && nice -n "$niceness" cargo fuzz run -s "$sanitizer" "$t" "../$work" "corpus/$t" -- \
    -max_total_time="$seconds" -max_len="$(max_len "$t")" -rss_limit_mb=2048 -timeout="$(timeout_for "$t")" \
    -print_final_stats=1) >"$log" 2>&1
  status=$?
  set -e
  elapsed=$(($(date +%s) - start))
  after=$(count_failures)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo '?')
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo '?')
  crashes=$((after - before))
  printf '%-16s %8s %10s %8s %8s %8s %8s\n' "$t" "$elapsed" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
  if [ "$status" -ne 0 ]; then
    echo "  $t exited with $status; see $log and fuzz/artifacts/$t/" >&2
  fi
done
