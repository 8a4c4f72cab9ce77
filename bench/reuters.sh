#!/usr/bin/env bash
# Templated reports on real wire data (Reuters-21578, no labels): doppel at
# its defaults against datasketch's usual setting (word 5-grams, threshold
# 0.5) with its candidates verified, side by side on the same input.
#
#   bash bench/reuters.sh            (needs ../shared; SHARED=... to move it)
#
# Prints, for each tool's near pairs, how many differ in their figures under
# both readings of the scan issue's "the sets of number tokens share under
# half", the Jaccard one also with other cuts of number tokens
# (bench/figures.py; shares over the pairs of texts that are not
# identical), the largest group the pairs join, doppel's largest copy
# cluster, and what doppel's summary.json counted.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3
R="$SHARED/data/jsonl/reuters21578.jsonl"
[ -f "$R" ] || { echo "bench: $R not found (set SHARED=...)" >&2; exit 2; }
bash scripts/install-deps.sh python3-numpy python3-scipy
make -s build >/dev/null
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

build/doppel scan "$R" --out "$W/doppel" -q
$PY "$SHARED/tools/peer_datasketch.py" "$R" --out "$W/ds" >/dev/null

largest() {  # clusters.jsonl -> size of the largest cluster of non-empty documents
  $PY -c 'import collections, json, sys
c = collections.Counter(r["cluster"] for r in map(json.loads, open(sys.argv[1])) if not r.get("empty"))
print(max(c.values()))' "$1"
}
echo "Reuters-21578: near pairs that differ in their figures (bench/figures.py)"
printf "  %-28s %s, largest copy cluster %s\n" "doppel (defaults)" \
  "$($PY bench/figures.py "$R" "$W/doppel/pairs.jsonl")" "$(largest "$W/doppel/clusters.jsonl")"
printf "  %-28s %s\n" "datasketch 5-gram 0.5, verified" \
  "$($PY bench/figures.py "$R" "$W/ds/pairs.jsonl" --verify-ngram 5 --verify-threshold 0.5)"
$PY -c 'import json, sys
s = json.load(open(sys.argv[1]))
print("  doppel summary.json: docs %d, empty %d, exact pairs %d, near pairs %d, partial pairs %d, candidates whose figures differ %d,"
      " near by their words but not by their figures taken whole (tested as partial reuse) %d, largest copy cluster %d"
      % (s["docs"], s["empty_docs"], s["pairs"]["exact"], s["pairs"]["near"], s["pairs"]["partial"], s["vetoed_by_numbers"],
         s["near_by_words_not_figures"], s["clusters"]["largest"]))' "$W/doppel/summary.json"
