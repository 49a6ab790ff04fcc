#!/usr/bin/env bash
# Regenerates the golden example reports after an intended change. Review the
# diff (git diff tests/golden) before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-build/test/tools/vigil}
ex=examples/nhs_early_warning
"$tool" evaluate --rules "$ex/rules.textproto" --data "$ex/observations.csv" \
  --providers "$ex/providers.csv" --indicators "$ex/indicators.csv" \
  --as-of 2019-03 --format json --output tests/golden/nhs_early_warning_2019-03.json
echo "wrote tests/golden/nhs_early_warning_2019-03.json"
ex=examples/hcai
"$tool" evaluate --rules "$ex/rules.textproto" --data "$ex/observations.csv" \
  --providers "$ex/providers.csv" --indicators "$ex/indicators.csv" \
  --plans "$ex/plans.csv" --as-of 2018-03 --format json \
  --output tests/golden/hcai_2018-03.json
echo "wrote tests/golden/hcai_2018-03.json"
