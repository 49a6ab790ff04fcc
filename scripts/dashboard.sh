#!/usr/bin/env bash
# The main job: installs what is needed, builds Vigil (Release) and prints the
# NHS Early Warning Dashboard for every trust with a type-1 A&E department, as
# of March 2019, from the bundled real NHS England A&E data; also writes the
# board's page, build/dashboard.html (SPC charts and Making Data Count icons).
# Extra arguments go to 'vigil evaluate' (e.g. --format json, --as-of 2018-03).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
mkdir -p build
echo "Building vigil (Release; about a minute on 2 cores; log in build/dashboard-build.log)..." >&2
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DVIGIL_BUILD_TESTS=OFF > build/dashboard-build.log 2>&1 || { cat build/dashboard-build.log; exit 1; }
cmake --build build/release --target vigil_tool >> build/dashboard-build.log 2>&1 || { cat build/dashboard-build.log; exit 1; }
ex=examples/nhs_early_warning
inputs=(--rules "$ex/rules.textproto" --data "$ex/observations.csv"
        --providers "$ex/providers.csv" --indicators "$ex/indicators.csv"
        --as-of 2019-03)
build/release/tools/vigil evaluate "${inputs[@]}" --output build/dashboard.html
build/release/tools/vigil evaluate "${inputs[@]}" "$@"
echo "The board's page (open it in a browser): $PWD/build/dashboard.html" >&2
