#!/usr/bin/python3
"""How often reported near pairs differ in their figures (the scan issue's
test of templated reports on real wire data).

  figures.py CORPUS.jsonl PAIRS.jsonl [--relation near] [--verify-ngram N --verify-threshold T]

A pair's figures are its texts' number tokens as written (amounts, dates,
rates: "1.50", "16-3/8", "1,050,000", "23"). Two readings of "the two sets
share under half" are printed, because the issue does not say which:
  - jaccard: |A & B| < half of |A | B|;
  - smaller: both sets non-empty and |A & B| < half of the smaller set.
Pairs of identical texts (doppel calls them exact, not near) are counted
apart and left out of the shares; pairs where neither text has a number
never differ. largest_component: the most documents the kept pairs join
(union-find, as a tool without clustering of its own would). The pairs that differ under the Jaccard reading
are split into "changed": each side has figures the other lacks (another
week's report, or a corrected one), and "subset": one side's figures are
all in the other (a re-send cut short or extended).

With --verify-ngram, pairs are kept only if the Jaccard of their texts'
lower-cased word N-grams reaches --verify-threshold: datasketch's candidates,
verified, for its usual setting (5, 0.5). Prints one JSON object.
"""
import argparse
import json
import re

NUMBER = re.compile(r"\d[\d.,/\-]*\d|\d")
WORD = re.compile(r"\w+", re.U)


def word_grams(text, n):
    w = [t.lower() for t in WORD.findall(text)]
    return {" ".join(w[i:i + n]) for i in range(max(1, len(w) - n + 1))}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("pairs")
    ap.add_argument("--relation", default="near", help="pairs with another relation are skipped (pairs without one are kept)")
    ap.add_argument("--verify-ngram", type=int, default=0)
    ap.add_argument("--verify-threshold", type=float, default=0.5)
    a = ap.parse_args()
    text = {}
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text[str(d["id"])] = d.get("text") or ""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    counts = {"pairs": 0, "identical_texts": 0, "no_numbers": 0, "jaccard_under_half": 0,
              "smaller_under_half": 0, "changed": 0, "subset": 0}
    with open(a.pairs, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            if p.get("relation", a.relation) != a.relation:
                continue
            ta, tb = text[str(p["a"])], text[str(p["b"])]
            if not ta.strip() or not tb.strip():
                continue
            if a.verify_ngram:
                ga, gb = word_grams(ta, a.verify_ngram), word_grams(tb, a.verify_ngram)
                if len(ga & gb) < a.verify_threshold * len(ga | gb):
                    continue
            counts["pairs"] += 1
            parent[find(str(p["a"]))] = find(str(p["b"]))
            if ta == tb:
                counts["identical_texts"] += 1
                continue
            na, nb = set(NUMBER.findall(ta)), set(NUMBER.findall(tb))
            if not na and not nb:
                counts["no_numbers"] += 1
                continue
            shared = len(na & nb)
            if na and nb and 2 * shared < min(len(na), len(nb)):
                counts["smaller_under_half"] += 1
            if 2 * shared < len(na | nb):
                counts["jaccard_under_half"] += 1
                counts["subset" if na <= nb or nb <= na else "changed"] += 1
    n = max(1, counts["pairs"] - counts["identical_texts"])
    counts["jaccard_under_half_share"] = round(counts["jaccard_under_half"] / n, 4)
    counts["smaller_under_half_share"] = round(counts["smaller_under_half"] / n, 4)
    counts["changed_share"] = round(counts["changed"] / n, 4)
    sizes = {}
    for x in list(parent):
        sizes[find(x)] = sizes.get(find(x), 0) + 1
    counts["largest_component"] = max(sizes.values(), default=0)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
