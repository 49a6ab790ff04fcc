#!/usr/bin/env bash
# Regenerates the README's pictures of the board's page (docs/img/): the top
# of the NHS example's dashboard and one trust's section, rendered by
# headless Chromium. Usage: scripts/board_screenshots.sh [VIGIL_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
vigil=${1:-build/release/tools/vigil}
ex=examples/nhs_early_warning
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$vigil" evaluate --rules "$ex/rules.textproto" --data "$ex/observations.csv" \
  --providers "$ex/providers.csv" --indicators "$ex/indicators.csv" \
  --as-of 2019-03 --output "$work/board.html"
# One section on a page of its own (the page's head, then that section).
python3 - "$work/board.html" "$work/section.html" RM1 <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
head = page[:page.index("<body>") + len("<body>")]
# The funnel plots' shared drawings, which the section's charts <use>.
defs = ""
if '<svg class="defs"' in page:
    d0 = page.index('<svg class="defs"')
    defs = page[d0:page.index("</svg>", d0) + len("</svg>")]
head += defs
start = page.index('<section class="provider" id="p-%s"' % sys.argv[3])
end = page.index("</section>", start) + len("</section>")
open(sys.argv[2], "w", encoding="utf-8").write(head + page[start:end] + "</body></html>")
PY
shot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$1" --window-size="$2" "file://$3" 2>/dev/null
}
shot docs/img/board_top.png 1200,900 "$work/board.html"
shot docs/img/board_provider.png 1100,2250 "$work/section.html"
ls -la docs/img/board_top.png docs/img/board_provider.png
