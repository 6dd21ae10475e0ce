#!/bin/sh
# The load test (issue 16, BENCHMARKS.md): installs wrk from Debian if it is missing, builds
# gaoxin and runs `gaoxin bench-load` with the arguments given (SQLite by default; a
# PostgreSQL database with --database postgres://…).
set -eu
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq wrk
fi
cargo build --release -p gaoxin
exec ./target/release/gaoxin bench-load "$@"
