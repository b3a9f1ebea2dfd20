#!/usr/bin/env python3
"""Corpora for benches/pipeline.sh and the shard tests.

    gen_corpus.py generate OUT_DIR [--articles 30990] [--files 18] [--seed 7]
        A synthetic Arabic news corpus shaped like SaudiNewsNet (../shared/corpus/saudinewsnet):
        gzip JSON Lines, one file per "day", articles {source, url, date_extracted, title, author,
        content} of about 3 KB of content each (98.8 MB of title and content at the default size),
        built from the repository's own cue terms and actor names so the labeler has work to do,
        with the corpus's defects: ~1.1% empty content, ~2.5% repeated content.
    gen_corpus.py replicate SRC_DIR OUT_DIR --times 10
        SRC_DIR's articles TIMES over, each copy with its own url (`#copy-K`) and a marker appended
        to non-empty content, so no copy is a duplicate of another (claimset would drop those).
    gen_corpus.py sample SRC_DIR OUT_FILE --articles 300
        The first articles of SRC_DIR (files in name order) into one JSON Lines file.
    gen_corpus.py textbytes DIR
        Prints the bytes of title and content text: sum of len(title.strip()) + len(content.strip()),
        UTF-8, and the number of articles.

Standard library only. Output is deterministic for a given seed.
"""

import argparse
import gzip
import json
import random
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FILLER = (
    "في وقال إن أن على من إلى مع عن بعد قبل خلال الذي التي هذا هذه ذلك كما حيث أيضا وأضاف "
    "وأكد وأشار المتحدث الرسمي الوزير الحكومة الاجتماع المؤتمر الصحفي اليوم أمس الأسبوع "
    "المقبل الماضي العام الجاري المنطقة العاصمة المدينة الشركة السوق الأسعار النفط الاقتصاد "
    "التنمية المشروع المواطنين الطلاب الجامعة المستشفى الصحة التعليم الرياضة المباراة الفريق "
    "الموسم الدوري الكأس اللاعب المدرب النادي الجمهور الملعب مجلس الإدارة الرئيس التنفيذي "
    "بنسبة مليون مليار ريال دولار نحو حوالي أكثر أقل عدد من الذين بين جميع كل بعض لدى"
).split()
SOURCES = ["aawsat", "aleqtisadiya", "aljazirah", "almadina", "almasryalyoum", "alriyadh", "alwatan",
           "alweeam", "alyaum", "arriyadiyah", "okaz", "sabq", "saudiyoum", "spa"]


def vocabulary():
    """Cue terms and actor names from the repository, falling back to a few when they are absent."""
    cues, actors = [], []
    try:
        for path in sorted((ROOT / "rules").glob("*.toml")):
            for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", []):
                cues.extend(rule.get("terms", []))
        doc = tomllib.loads((ROOT / "lexicon" / "actors.toml").read_text(encoding="utf-8"))
        for actor in doc.get("actor", []):
            actors.extend(actor.get("names", []) + actor.get("demonyms", []))
    except (OSError, tomllib.TOMLDecodeError):
        pass
    return cues or ["تهديد", "هجوم", "تعاون", "اتفاق", "طمأنة"], actors or ["روسيا", "إيران", "مصر"]


def sentence(rng, cues, actors):
    words = rng.choices(FILLER, k=rng.randint(8, 30))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        words.insert(rng.randrange(len(words) + 1), rng.choice(actors))
    if rng.random() < 0.45:
        words.insert(rng.randrange(len(words) + 1), rng.choice(cues))
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words) + 1), str(rng.randint(2, 2025)))
    return " ".join(words) + rng.choice(".........؟!")


def generate(args):
    rng = random.Random(args.seed)
    cues, actors = vocabulary()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    days = [f"2015-07-{d:02d}" for d in range(21, 32)] + [f"2015-08-{d:02d}" for d in range(1, 32)]
    per_file = -(-args.articles // args.files)
    earlier, made = [], 0
    for f in range(args.files):
        day = days[f % len(days)]
        with gzip.open(out / f"{day}.jsonl.gz", "wt", encoding="utf-8", compresslevel=6) as fh:
            for _ in range(min(per_file, args.articles - made)):
                made += 1
                roll = rng.random()
                if roll < 0.0114:
                    content = rng.choice(("", " ", "\n"))
                elif roll < 0.0363 and earlier:
                    # Repeats an earlier article's content, with other whitespace.
                    content = rng.choice(earlier).replace(" ", "  ", 1)
                else:
                    paragraphs = []
                    target = int(rng.lognormvariate(7.08, 0.6))  # mean ~3.2 KB of UTF-8 per article
                    size = 0
                    while size < target:
                        para = " ".join(sentence(rng, cues, actors) for _ in range(rng.randint(1, 5)))
                        paragraphs.append(para)
                        size += len(para)
                    content = "\n".join(paragraphs)
                    if len(earlier) < 2000:
                        earlier.append(content)
                source = rng.choice(SOURCES)
                obj = {
                    "source": source,
                    "url": f"https://{source}.example/article/{made}",
                    "date_extracted": f"{day} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                    "title": sentence(rng, cues, actors).rstrip(".؟!"),
                    "author": rng.choice(("", "واس", "الرياض: محمد علي", "جدة: سارة أحمد")),
                    "content": content,
                }
                fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def read_articles(src):
    src = Path(src)
    files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.name.endswith((".jsonl", ".jsonl.gz")))
    for path in files:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield path, json.loads(line)


def replicate(args):
    src, out = Path(args.src), Path(args.out)
    files = sorted(p for p in src.rglob("*") if p.name.endswith((".jsonl", ".jsonl.gz")))
    out.mkdir(parents=True, exist_ok=True)
    for k in range(args.times):
        for path in files:
            stem = path.name.split(".", 1)[0]
            target = out / f"{stem}-copy{k:02d}.jsonl.gz"
            with gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as fh:
                for _, obj in read_articles(path):
                    if k:
                        obj["url"] = f"{obj.get('url', '')}#copy-{k}"
                        if "id" in obj:
                            obj["id"] = f"{obj['id']}#copy-{k}"
                        if (obj.get("content") or "").strip():
                            obj["content"] = obj["content"] + f" (نسخة {k})"
                    fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def sample(args):
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for n, (_, obj) in enumerate(read_articles(args.src)):
            if n >= args.articles:
                break
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def textbytes(args):
    total = count = 0
    for _, obj in read_articles(args.dir):
        count += 1
        total += len((obj.get("title") or "").strip().encode()) + len((obj.get("content") or "").strip().encode())
    print(total, count)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("out")
    g.add_argument("--articles", type=int, default=30990)
    g.add_argument("--files", type=int, default=18)
    g.add_argument("--seed", type=int, default=7)
    r = sub.add_parser("replicate")
    r.add_argument("src")
    r.add_argument("out")
    r.add_argument("--times", type=int, default=10)
    s = sub.add_parser("sample")
    s.add_argument("src")
    s.add_argument("out")
    s.add_argument("--articles", type=int, default=300)
    t = sub.add_parser("textbytes")
    t.add_argument("dir")
    args = p.parse_args()
    {"generate": generate, "replicate": replicate, "sample": sample, "textbytes": textbytes}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
