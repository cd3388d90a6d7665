#!/usr/bin/env bash
# Compiles the benchmarks with the project's swc settings and runs one: bench/run.sh foundation
set -euo pipefail
cd "$(dirname "$0")/.."
npx swc apps libs migrations bench -d dist-bench --quiet
node --enable-source-maps "dist-bench/bench/${1:?which benchmark? e.g. foundation}/run.js"
