#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each), from the committed seeds, with
# memory capped: a crash, a panic or an input that needs more than 1 GB fails the run and leaves
# the input in fuzz/artifacts/TARGET/. Needs cargo-fuzz (cargo install cargo-fuzz --locked);
# the stable toolchain builds the targets with RUSTC_BOOTSTRAP=1 and no sanitizer.
#   fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
export RUSTC_BOOTSTRAP=1
# Each target starts from the repository's own files of its kind, and fuzz/seeds/ (the inputs
# that once failed, kept as regressions).
seeds() {
  case "$1" in
    plan_file) echo ../plans ../plans/examples ../plans/broken ;;
    workbook) echo ../crates/gaoxin/tests/fixtures ../tests/browser seeds/workbook ;;
    *) echo "seeds/$1" ;;
  esac
}
for target in plan_file workbook figures_csv attachment; do
  mkdir -p "corpus/$target"
  echo "==> fuzz $target for ${seconds}s"
  # shellcheck disable=SC2046
  cargo fuzz run --sanitizer none "$target" "corpus/$target" $(seeds "$target") -- \
    -max_total_time="$seconds" -rss_limit_mb=1024 -max_len=262144 -timeout=20 -print_final_stats=1 \
    2>&1 | grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|thread .* panicked)|ERROR|SUMMARY" || true
  if compgen -G "artifacts/$target/*" > /dev/null; then
    echo "fuzz $target found an input that fails: $(ls artifacts/$target)"
    exit 1
  fi
done
