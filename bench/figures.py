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
all in the other (a re-send cut short or extended). jaccard_reading gives
the Jaccard reading again with other cuts of "number tokens" (runs of
digits; decimals), over all pairs and over the pairs whose texts both
carry numbers.

With --verify-ngram, pairs are kept only if the Jaccard of their texts'
lower-cased word N-grams reaches --verify-threshold: datasketch's candidates,
verified, for its usual setting (5, 0.5). Prints one JSON object.
"""
import argparse
import json
import re

NUMBER = re.compile(r"\d[\d.,/\-]*\d|\d")
WORD = re.compile(r"\w+", re.U)
# Other ways to cut "number tokens", for the Jaccard reading: runs of digits
# ("16-3/8" is 16, 3 and 8; "1,050" is 1 and 050), and decimals with
# thousands separators ("16-3/8" is 16, 3 and 8; "1,050.5" is one).
OTHER_TOKENS = {"digits": re.compile(r"\d+"), "decimal": re.compile(r"\d+(?:[.,]\d+)*")}


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
    # The Jaccard reading with other tokens, and over the pairs whose texts
    # both carry numbers (a text without any cannot differ in them): name ->
    # [differ, pairs, differ among both-carry, both-carry pairs].
    other = {name: [0, 0, 0, 0] for name in ["figure"] + list(OTHER_TOKENS)}
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
            for name, o in other.items():
                tok = NUMBER if name == "figure" else OTHER_TOKENS[name]
                xa, xb = set(tok.findall(ta)), set(tok.findall(tb))
                differ = 2 * len(xa & xb) < len(xa | xb)
                o[0] += differ
                o[1] += 1
                if xa and xb:
                    o[2] += differ
                    o[3] += 1
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
    counts["jaccard_reading"] = {name: {"all": round(o[0] / max(1, o[1]), 4), "both_carry_numbers": round(o[2] / max(1, o[3]), 4)}
                                 for name, o in other.items()}
    sizes = {}
    for x in list(parent):
        sizes[find(x)] = sizes.get(find(x), 0) + 1
    counts["largest_component"] = max(sizes.values(), default=0)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
