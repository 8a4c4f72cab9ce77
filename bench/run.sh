#!/usr/bin/env bash
# Speed and quality of `doppel scan` against datasketch MinHash-LSH, side by
# side on the same planted corpus in the same run (these machines are noisy:
# only ratios measured together mean anything).
#
#   bash bench/run.sh [DOCS] [SEED]        (needs ../shared; default 20000 1)
#   REPEAT=N bash bench/run.sh              (runs of each command; default 3)
#   FAST_REPEAT=N bash bench/run.sh         (runs of doppel --threads 1 and 2; default 5 x REPEAT)
#
# Prints wall-clock seconds, peak RSS, docs/s and MB/s for datasketch, doppel
# --find exact,near at 1 and 2 threads (the command the scan issue names:
# copies, clusters and the aligned passages of every near pair), doppel with
# partial reuse added, with stories added, and its default run (all of
# them); the ratios, with what this machine gives two threads (a pure
# arithmetic loop, filling fresh memory, and two single-thread scans run at
# once); and the quality figures from score.py.
set -euo pipefail
export LC_ALL=C  # a decimal point in $EPOCHREALTIME and awk
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
DOCS=${1:-20000}
SEED=${2:-1}
PY=/usr/bin/python3
[ -d "$SHARED/tools" ] || { echo "bench: $SHARED/tools not found (set SHARED=...)" >&2; exit 2; }
bash scripts/install-deps.sh python3-numpy python3-scipy time
make -s build >/dev/null
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
C="$W/corpus"
$PY "$SHARED/tools/plant.py" --base "$SHARED/data/jsonl/reuters21578.jsonl" --base "$SHARED/data/jsonl/bbc.jsonl" \
  --docs "$DOCS" --seed "$SEED" --out "$C" 2>/dev/null
MB=$(du -m --apparent-size "$C/corpus.jsonl" | cut -f1)

REPEAT=${REPEAT:-3}
# Every command runs REPEAT times; the fastest wall time counts (the run
# least disturbed by other load on a shared machine), and the largest peak
# RSS. The doppel commands take turns (one run of each, then again), so a
# slow spell of the machine falls on all of them alike and their ratios hold.
# The two sub-second runs behind the thread ratio take turns FAST_REPEAT
# times (default 5 x REPEAT): a disturbance of a few tens of ms is a tenth
# of such a run, and on these shared machines five runs in a row were
# sometimes all disturbed (a 1.51x that was 1.70x on the next try).
FAST_REPEAT=${FAST_REPEAT:-$((5 * REPEAT))}
# Wall time from bash's microsecond clock around the command (/usr/bin/time
# rounds to 10 ms, 5 % of a two-thread run); peak RSS from /usr/bin/time.
run_once() {  # name, command...
  local name=$1; shift
  local start=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$W/$name.rss" "$@" > "$W/$name.stdout" 2> "$W/$name.stderr"
  local end=$EPOCHREALTIME
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b - a}') $(cat "$W/$name.rss")" >> "$W/$name.times"
}
# Two single-thread scans at once, each with its own output: what this
# machine gives two copies of this very workload (memory traffic, page
# faults and all) when nothing is shared between them; the ceiling for what
# --threads 2 can reach here.
pair_once() {
  local start=$EPOCHREALTIME
  build/doppel scan "$C/corpus.jsonl" --out "$W/dpa" --threads 1 --find exact,near -q &
  local other=$!
  build/doppel scan "$C/corpus.jsonl" --out "$W/dpb" --threads 1 --find exact,near -q
  wait "$other"
  local end=$EPOCHREALTIME
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b - a}') 0" >> "$W/doppelpair.times"
}
best() {  # name -> "seconds rss_mib"
  awk 'NR==1||$1<s{s=$1} $2>m{m=$2} END{printf "%s %.0f\n", s, m/1024}' "$W/$1.times"
}

# The machine's own two-thread scaling in this run (2.00 = two free cores).
g++ -O2 -pthread -o "$W/calibrate" bench/calibrate.cc
read -r machine_scaling memory_scaling < <("$W/calibrate" 2)

: > "$W/datasketch.times"
for _ in $(seq "$REPEAT"); do
  run_once datasketch $PY "$SHARED/tools/peer_datasketch.py" "$C/corpus.jsonl" --out "$W/ds"
done
for name in doppel1 doppel2 doppelpair doppelpartial doppelstory doppelfull; do : > "$W/$name.times"; done
for _ in $(seq "$FAST_REPEAT"); do
  # Copies and clusters (what datasketch finds), with passages for near pairs.
  run_once doppel1 build/doppel scan "$C/corpus.jsonl" --out "$W/d1" --threads 1 --find exact,near -q
  run_once doppel2 build/doppel scan "$C/corpus.jsonl" --out "$W/d2" --threads 2 --find exact,near -q
  pair_once
done
for _ in $(seq "$REPEAT"); do
  # Each further stage on its own, then everything doppel does by default.
  run_once doppelpartial build/doppel scan "$C/corpus.jsonl" --out "$W/dp" --threads 1 --find exact,near,partial -q
  run_once doppelstory build/doppel scan "$C/corpus.jsonl" --out "$W/ds2" --threads 1 --find exact,near,story -q
  run_once doppelfull build/doppel scan "$C/corpus.jsonl" --out "$W/df" --threads 1 -q
  $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"]["story"])' "$W/df/summary.json" >> "$W/story.times"
done
read -r ds_s ds_m < <(best datasketch)
read -r t1_s t1_m < <(best doppel1)
read -r t2_s t2_m < <(best doppel2)
read -r pair_s _ < <(best doppelpair)
read -r tp_s tp_m < <(best doppelpartial)
read -r ts_s ts_m < <(best doppelstory)
read -r tf_s tf_m < <(best doppelfull)

echo "corpus: plant.py --docs $DOCS --seed $SEED (${MB} MB); best of $REPEAT runs each ($FAST_REPEAT for doppel_threads1/2)"
printf "%-22s %8s %9s %10s %8s\n" tool seconds peak_MiB docs/s MB/s
for row in "datasketch $ds_s $ds_m" "doppel_threads1 $t1_s $t1_m" "doppel_threads2 $t2_s $t2_m" \
  "doppel_partial_t1 $tp_s $tp_m" "doppel_story_t1 $ts_s $ts_m" "doppel_default_t1 $tf_s $tf_m"; do
  set -- $row
  awk -v n="$1" -v s="$2" -v m="$3" -v d="$DOCS" -v mb="$MB" 'BEGIN{printf "%-22s %8.3f %9d %10.0f %8.1f\n", n, s, m, d/s, mb/s}'
done
awk -v a="$ds_s" -v b="$t1_s" -v c="$t2_s" -v p="$tp_s" -v st="$ts_s" -v f="$tf_s" -v m="$machine_scaling" -v mm="$memory_scaling" -v pr="$pair_s" 'BEGIN{
  printf "speed-up vs datasketch (1 thread): %.1fx\nthreads 2 vs 1: %.2fx (this machine on 2 threads: pure arithmetic %.2fx, filling fresh memory %.2fx, two --threads 1 scans at once %.2fx)\n", a/b, b/c, m, mm, 2*b/pr
  printf "with partial reuse vs exact,near: %.2fx\nstory stage (its extra time) vs exact,near: %.2fx\ndefault run (all relations) vs exact,near: %.2fx\n", p/b, (st-b)/b, f/b}'
story_stage=$(sort -g "$W/story.times" | head -1)
awk -v s="$story_stage" -v b="$t1_s" 'BEGIN{printf "story stage alone (fastest of the default runs'"'"' summary.json): %.2f s = %.2fx exact,near\n", s, s/b}'
echo "quality (score.py, clusters, --ignore partial; ds = datasketch, d1 = --find exact,near, df = defaults, the acceptance run):"
for name in ds d1 df; do
  printf "  %-10s " "$name"
  $PY "$SHARED/tools/score.py" --truth-pairs "$C/truth.pairs.jsonl" --truth-clusters "$C/truth.clusters.jsonl" \
    --clusters "$W/$name/clusters.jsonl" --ignore partial |
    $PY -c 'import json,sys; r=json.load(sys.stdin); print("P %.4f R %.4f heavy %s ARI %.4f" % (r["precision"], r["recall"], r["found_by_kind"]["near-heavy"].split("= ")[1], r["clusters"]["ari"]))'
done
printf "  %-10s " "pairs"
$PY "$SHARED/tools/score.py" --truth-pairs "$C/truth.pairs.jsonl" --pairs "$W/df/pairs.jsonl" --relations exact,near --ignore partial |
  $PY -c 'import json,sys; r=json.load(sys.stdin); print("doppel pairs.jsonl (defaults) precision %.4f" % r["precision"])'
printf "  %-10s " "stories"
$PY - "$C/truth.pairs.jsonl" "$W/df/clusters.jsonl" <<'PY'
import collections, json, sys
story = {r["id"]: r["story"] for r in map(json.loads, open(sys.argv[2]))}
near = [r for r in map(json.loads, open(sys.argv[1])) if r["kind"].startswith("near")]
same = sum(story[r["a"]] == story[r["b"]] for r in near)
largest = max(collections.Counter(story.values()).values())
print("near-copy pairs sharing a story %.4f, largest story %d docs (%.2f%% of %d)"
      % (same / len(near), largest, 100 * largest / len(story), len(story)))
PY
