#!/usr/bin/env python3
"""Mines the SaudiNewsNet corpus for actor mentions (stdlib only: gzip + json + tomllib).

Prints counts only; no corpus text is written anywhere.

(a) Mentions of every alias of lexicon/actors*.toml, per actor id, over all articles
    (title + content), after the same folding as src/normalize.rs (أإآٱ→ا, ى→ي, ة→ه, ؤ→و, ئ→ي,
    harakat/tatweel removed, lower case) and at token boundaries with the proclitics
    و ف ب ك ل (and لل for ال). Capitals and demonyms are counted without the engine's guards, so
    their numbers are upper bounds; `names` and `institutions` hits are counted separately.
    Prints the top N actor ids (default 200) and the lexicon actors with zero hits.
(b) Candidate actors missing from the lexicon: the 1-3 word sequences that most often follow a
    title word («الرئيس», «وزير الخارجية», «الأمين العام», «زعيم», «رئيس الوزراء», «ولي العهد»,
    «الملك», «الأمير», «تنظيم», «جماعة», «حركة», «حزب», «ميليشيا», «جبهة» …) and that are not
    already covered by an alias; and the most frequent nisba adjectives (ال…ي / ال…ية), which is
    where state demonyms missing from the lexicon show up.

Run (from the crate root):
    python3 scripts/mine_actors.py [--corpus ../shared/corpus/saudinewsnet] [--top 200] [--cands 40]

Results of the last run (30,990 articles, 2015-07/08) are recorded in scripts/gen_actors.py.
"""
import argparse
import collections
import glob
import gzip
import json
import os
import re
import sys
import tomllib

FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                      "ک": "ك", "گ": "ك", "ڤ": "ف", "پ": "ب", "چ": "ج", "ژ": "ز"})
DROP = re.compile("[\u064b-\u065f\u0670\u0640\u0610-\u061a\u06d6-\u06ed\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad]")
WORD = re.compile(r"[0-9a-z\u0621-\u064a\u0660-\u0669\u066e-\u066f\u0671-\u06d3\u06d5]+")
PROCLITICS = ["", "و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"]


def norm(s):
    return DROP.sub("", s.translate(FOLD).lower())


def tokens(s):
    return WORD.findall(norm(s))


def load_lexicon(root):
    actors = []
    for p in sorted(glob.glob(os.path.join(root, "lexicon", "actors*.toml"))):
        with open(p, "rb") as f:
            actors += tomllib.load(f).get("actor", [])
    return actors


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--root", default=here)
    ap.add_argument("--corpus", default=os.path.join(os.environ.get("CLAIMSET_SHARED", os.path.join(here, "..", "shared")), "corpus", "saudinewsnet"))
    ap.add_argument("--top", type=int, default=200)
    ap.add_argument("--cands", type=int, default=40)
    a = ap.parse_args()

    actors = load_lexicon(a.root)
    # alias token tuple -> [(actor id, strong)]; strong = names/institutions/context forms
    alias = collections.defaultdict(list)
    for act in actors:
        for role in ("names", "institutions", "capitals", "demonyms"):
            for s in act.get(role, []):
                t = tuple(tokens(s))
                if t:
                    alias[t].append((act["id"], role in ("names", "institutions")))
        for c in act.get("context", []):
            t = tuple(tokens(c["form"]))
            if t:
                alias[t].append((act["id"], False))
    by_first = collections.defaultdict(list)
    for t in alias:
        by_first[t[0]].append(t)
    for v in by_first.values():
        v.sort(key=len, reverse=True)

    titles = ["الرئيس", "رئيس", "وزير الخارجيه", "وزير الدفاع", "وزير", "الامين العام", "زعيم", "رئيس الوزراء", "رئيس وزراء",
              "ولي العهد", "الملك", "الامير", "الشيخ", "تنظيم", "جماعه", "حركه", "حزب", "ميليشيا", "ميليشيات", "مليشيات", "جبهه",
              "المتحدث باسم", "سفير", "المبعوث", "قوات", "جيش", "الجيش", "منظمه", "مجلس"]
    title_t = [tuple(tokens(t)) for t in titles]
    title_first = collections.defaultdict(list)
    for tt in title_t:
        title_first[tt[0]].append(tt)
    mentions = collections.Counter()
    strong = collections.Counter()
    after = {t: collections.Counter() for t in title_t}
    nisba = collections.Counter()
    n_art = 0

    def match_at(toks, i):
        """Longest alias starting at token i (after a proclitic); returns (alias, length) or None."""
        w = toks[i]
        for p in PROCLITICS:
            if p and not w.startswith(p):
                continue
            body = w[len(p):]
            if not body:
                continue
            cands = list(by_first.get(body, []))
            if p in ("", "و", "ف") and body.startswith("لل"):
                cands += by_first.get("ال" + body[2:], [])
            for t in cands:
                if tuple(toks[i + 1:i + len(t)]) == t[1:]:
                    return t
        return None

    files = sorted(glob.glob(os.path.join(a.corpus, "*.jsonl.gz")))
    if not files:
        sys.exit(f"no corpus at {a.corpus}")
    for fp in files:
        with gzip.open(fp, "rt", encoding="utf-8") as f:
            for line in f:
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                n_art += 1
                toks = tokens((d.get("title") or "") + "\n" + (d.get("content") or ""))
                i = 0
                n = len(toks)
                covered = [False] * n
                while i < n:
                    t = match_at(toks, i)
                    if t:
                        for (aid, st) in alias[t]:
                            mentions[aid] += 1
                            if st:
                                strong[aid] += 1
                        for j in range(i, min(n, i + len(t))):
                            covered[j] = True
                        i += len(t)
                    else:
                        i += 1
                for i in range(n):
                    w = toks[i]
                    if w.startswith("ال") and (w.endswith("يه") or w.endswith("ي")) and len(w) >= 6 and not covered[i]:
                        nisba[w] += 1
                    for tt in title_first.get(w, ()):
                        k = len(tt)
                        if tuple(toks[i:i + k]) == tt and i + k < n and not covered[i + k]:
                            seq = toks[i + k:i + k + 3]
                            for m in (1, 2, 3):
                                if len(seq) >= m and not any(covered[i + k:i + k + m]):
                                    after[tt][" ".join(seq[:m])] += 1

    ids = [act["id"] for act in actors]
    print(f"# corpus: {len(files)} files, {n_art} articles; lexicon: {len(ids)} actors, {len(alias)} alias forms")
    ranked = sorted(ids, key=lambda x: (-mentions[x], x))
    zero = [x for x in ids if mentions[x] == 0]
    print(f"# (a) actors by mentions (all roles, unguarded) — top {a.top}; strong = names+institutions only")
    for r, x in enumerate(ranked[:a.top], 1):
        print(f"{r:4d} {x:28s} {mentions[x]:8d}  strong {strong[x]:8d}")
    print(f"# lexicon actors with zero hits: {len(zero)}: {' '.join(zero)}")
    print(f"# lexicon actors with >= 1 hit: {len(ids) - len(zero)}; >= 10 hits: {sum(1 for x in ids if mentions[x] >= 10)}")
    print("# (b) frequent sequences after titles, not covered by an alias (review by hand; counts only)")
    stop = set(tokens("في من على الى عن مع ان او ثم قد كما التي الذي الذين هذا هذه ذلك تلك بين عبر خلال بعد قبل امس اليوم العام"))
    for tt, c in after.items():
        items = [(s, k) for s, k in c.most_common(a.cands * 3) if s.split()[0] not in stop][:a.cands]
        print(f"## {' '.join(tt)}: " + "; ".join(f"{s} {k}" for s, k in items))
    print("# nisba adjectives (ال…ي/ال…يه) not covered by an alias, top 120")
    print("; ".join(f"{w} {k}" for w, k in nisba.most_common(120)))


if __name__ == "__main__":
    main()
