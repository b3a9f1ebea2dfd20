"""What the two baseline pipelines share: reading the corpus, the keyword lists, the Parquet writer.

The baselines are the pipelines a user would otherwise write to get a sentence-level labeled
Parquet file out of a news dump, without claimset. They read the same inputs (gzip JSON Lines, one
article per line), use the same keyword lists (the terms of the repository's `rules/*.toml` and the
aliases of `lexicon/actors.toml`), and write zstd Parquet with pyarrow, flushing a row group per
input file so their memory does not grow with the corpus. They do less than claimset (no
normalization, no negation or guard rules, no content hashes, no audit, no manifest), so the
ratios flatter them.
"""

import gzip
import json
import sys
import time
import tomllib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
STANCES = ("threat", "cooperation", "reassurance")

SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("input", pa.string()),
        ("sentence_index", pa.int32()),
        ("text", pa.string()),
        ("stance", pa.string()),
        ("cues", pa.list_(pa.string())),
        ("actors", pa.list_(pa.string())),
    ]
)


def keywords():
    """{term: label}: stance terms (label threat/cooperation/reassurance) and actor aliases (actor:<id>)."""
    terms = {}
    for path in sorted((ROOT / "rules").glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for rule in doc.get("rule", []):
            if rule.get("label") in STANCES:
                for t in rule.get("terms", []):
                    terms.setdefault(t, rule["label"])
    doc = tomllib.loads((ROOT / "lexicon" / "actors.toml").read_text(encoding="utf-8"))
    for actor in doc.get("actor", []):
        for role in ("names", "capitals", "demonyms", "institutions"):
            for t in actor.get(role, []):
                terms.setdefault(t, "actor:" + actor["id"])
    return terms


def input_files(root):
    root = Path(root)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.name.endswith((".jsonl", ".jsonl.gz")))


def articles(root):
    """(input, article_id, text) for every article: title and content, as claimset joins them."""
    for path in input_files(root):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                obj = json.loads(line)
                title = (obj.get("title") or "").strip()
                content = (obj.get("content") or obj.get("text") or "").strip()
                yield path.name, f"{path.name}#{n}", obj.get("id") or obj.get("url") or "", title, content


def stance_of(cues):
    counts = {}
    for c in cues:
        counts[c] = counts.get(c, 0) + 1
    return max(sorted(counts), key=counts.get) if counts else "none"


class Writer:
    """A zstd Parquet writer that flushes one row group per input file."""

    def __init__(self, path):
        self.writer = pq.ParquetWriter(path, SCHEMA, compression="zstd")
        self.columns = {name: [] for name in SCHEMA.names}
        self.rows = 0

    def add(self, article_id, input_, index, text, cues, actors):
        c = self.columns
        c["article_id"].append(article_id)
        c["input"].append(input_)
        c["sentence_index"].append(index)
        c["text"].append(text)
        c["stance"].append(stance_of(cues))
        c["cues"].append(cues)
        c["actors"].append(actors)
        self.rows += 1

    def flush(self):
        if self.columns["text"]:
            self.writer.write_table(pa.table(self.columns, schema=SCHEMA))
            self.columns = {name: [] for name in SCHEMA.names}

    def close(self):
        self.flush()
        self.writer.close()


def run(name, process, argv):
    """Command line shared by the baselines: INPUT OUT.parquet; prints one JSON summary line."""
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} INPUT_DIR_OR_FILE OUT.parquet")
    start = time.perf_counter()
    summary = process(argv[1], argv[2])
    summary["seconds"] = round(time.perf_counter() - start, 3)
    summary["pipeline"] = name
    print(json.dumps(summary))
