#!/usr/bin/env python3
"""Verify a claimset release without claimset (standard library + pyarrow only).

    python3 scripts/verify_release.py RELEASE_DIR [--rules RULESET_ROOT]

Checks the manifest's self hash, every file against manifest.json (sha256, size, no extra or missing
file), recomputes every record's text_sha256 and record_id, every record hash, each data file's
content hash, the release content hash, the Parquet footer keys and the per-split statistics, exactly
as schemas/hashes.md defines them. With --rules, also recomputes the rule-set sha256 from a rule-set
root (the directory holding rules/ and lexicon/).
Prints `ok` and exits 0, or names the first problem on stderr and exits 2.
"""
import hashlib
import json
import os
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq


ARTICLES_FILE = "meta/articles.parquet"


class Bad(Exception):
    pass


def u32(n):
    return struct.pack("<I", n)


def u64(n):
    return struct.pack("<Q", n)


def s(x):  # a string: u64le byte length, then its UTF-8 bytes
    b = x.encode("utf-8")
    return u64(len(b)) + b


def opt(x):  # a nullable string: 0x00 for null, else 0x01 and the string
    return b"\x00" if x is None else b"\x01" + s(x)


def strs(xs):  # a list of strings: u64le count, then each string
    return u64(len(xs)) + b"".join(s(x) for x in xs)


def sha(b):
    return hashlib.sha256(b).hexdigest()


def record_id(article_id, sentence_index, text):
    return sha(s(article_id) + u32(sentence_index) + s(text))


def record_hash(r):
    b = [s(r["record_id"]), s(r["article_id"]), s(r["input"])]
    b += [opt(r[k]) for k in ("publisher", "url", "date", "author")]
    b += [u32(r["sentence_index"]), s(r["kind"])]
    b += [u32(r[k]) for k in ("char_start", "char_end", "byte_start", "byte_end")]
    b += [opt(r["text"]), s(r["text_sha256"]), s(r["lang"]), s(r["stance"])]
    b += [strs(r["stances"]), strs(r["actors"]), u64(len(r["evidence"]))]
    for e in r["evidence"]:
        b += [s(e["rule"]), s(e["label"]), s(e["mode"]), u32(e["char_start"]), u32(e["char_end"])]
    b.append(s(r["split"]))
    return hashlib.sha256(b"".join(b)).digest()


def _utf8(name, nullable=False):
    return pa.field(name, pa.string(), nullable)


def _u32(name):
    return pa.field(name, pa.uint32(), False)


def _list(name, item):
    return pa.field(name, pa.list_(pa.field("item", item, False)), False)


SCHEMA_V1 = pa.schema(
    [_utf8("record_id"), _utf8("article_id"), _utf8("input")]
    + [_utf8(n, True) for n in ("publisher", "url", "date", "author")]
    + [_u32("sentence_index"), _utf8("kind")]
    + [_u32(n) for n in ("char_start", "char_end", "byte_start", "byte_end")]
    + [_utf8("text", True), _utf8("text_sha256"), _utf8("lang"), _utf8("stance")]
    + [_list("stances", pa.string()), _list("actors", pa.string())]
    + [_list("evidence", pa.struct([_utf8("rule"), _utf8("label"), _utf8("mode"), _u32("char_start"), _u32("char_end")]))]
    + [_utf8("split")]
)


def file_sha(path):
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def rules_sha256(root):
    """sha256 over every *.toml under root/rules and root/lexicon, by relative path in byte order."""
    files = []
    for sub in ("rules", "lexicon"):
        for d, _, names in os.walk(os.path.join(root, sub)):
            for n in names:
                if n.endswith(".toml"):
                    p = os.path.join(d, n)
                    files.append((os.path.relpath(p, root).replace(os.sep, "/").encode(), p))
    h = hashlib.sha256()
    for rel, p in sorted(files):
        data = open(p, "rb").read()
        h.update(rel + b"\x00" + u64(len(data)) + data)
    return h.hexdigest()


def check_record(r, split, without_text):
    if r["split"] != split:
        raise Bad(f"split `{r['split']}` in the {split} file")
    text = r["text"]
    if text is None:
        if not without_text:
            raise Bad("text is null in a release built with text")
        return
    if sha(text.encode("utf-8")) != r["text_sha256"]:
        raise Bad(f"text_sha256 {r['text_sha256']} does not match the text")
    rid = record_id(r["article_id"], r["sentence_index"], text)
    if rid != r["record_id"]:
        raise Bad(f"record_id {r['record_id']} but recomputes to {rid}")
    if r["char_end"] - r["char_start"] != len(text) or r["byte_end"] - r["byte_start"] != len(text.encode("utf-8")):
        raise Bad("offsets do not span the text")


SELF_HASH_KEY = b'\n  "manifest_sha256": "'


def check_self_hash(raw, m):
    """manifest_sha256 is the sha256 of the manifest's bytes with its own value blanked."""
    at = raw.find(SELF_HASH_KEY)
    if at < 0 or raw.find(SELF_HASH_KEY, at + 1) >= 0:
        raise Bad("manifest.json: no single top-level manifest_sha256")
    start = at + len(SELF_HASH_KEY)
    end = raw.find(b'"', start)
    if raw[start:end].decode() != m.get("manifest_sha256") or sha(raw[:start] + raw[end:]) != raw[start:end].decode():
        raise Bad("manifest.json: the manifest was changed (its bytes do not hash to its manifest_sha256)")


def new_stats(split):
    return {"split": split, "articles": 0, "rows": 0, "stance": {}, "stances": {}, "abstain": 0}


def count(stats, r):
    st = stats.setdefault(r["split"], new_stats(r["split"]))
    st["rows"] += 1
    st["stance"][r["stance"]] = st["stance"].get(r["stance"], 0) + 1
    for label in r["stances"]:
        st["stances"][label] = st["stances"].get(label, 0) + 1
    if all(e["label"].startswith("actor:") for e in r["evidence"]):
        st["abstain"] += 1


def verify(release, rules_root=None):
    with open(os.path.join(release, "manifest.json"), "rb") as f:
        raw = f.read()
    m = json.loads(raw)
    check_self_hash(raw, m)
    expected = {"manifest.json"} | {f["path"] for f in m["data_files"]} | {f["path"] for f in m["files"]}
    present = set()
    for d, _, names in os.walk(release):
        present |= {os.path.relpath(os.path.join(d, n), release).replace(os.sep, "/") for n in names}
    for extra in sorted(present - expected):
        raise Bad(f"{extra}: file not listed in the manifest")
    for missing in sorted(expected - present):
        raise Bad(f"{missing}: listed in the manifest but missing")
    for f in m["files"] + m["data_files"]:
        digest, size = file_sha(os.path.join(release, f["path"]))
        if (digest, size) != (f["sha256"], f["bytes"]):
            raise Bad(f"{f['path']}: sha256 {digest} ({size} bytes), manifest says {f['sha256']} ({f['bytes']} bytes)")
    if m["schema_version"] != "1":
        raise Bad(f"schema version {m['schema_version']}, this script checks version 1")
    if rules_root is not None and rules_sha256(rules_root) != m["rules"]["sha256"]:
        raise Bad(f"rule-set sha256 {rules_sha256(rules_root)}, manifest says {m['rules']['sha256']}")

    release_hash, stats = hashlib.sha256(), {}
    for f in m["data_files"]:
        try:
            pf = pq.ParquetFile(os.path.join(release, f["path"]))
            if not pf.schema_arrow.remove_metadata().equals(SCHEMA_V1):
                raise Bad(f"{f['path']}: schema is not record schema v1")
            content, rows = hashlib.sha256(), 0
            for batch in pf.iter_batches(batch_size=4096):
                for r in batch.to_pylist():
                    try:
                        check_record(r, f["split"], m["options"]["without_text"])
                    except Bad as e:
                        raise Bad(f"{f['path']}: row {rows}: {e}") from None
                    content.update(record_hash(r))
                    count(stats, r)
                    rows += 1
            footer = {k.decode(): v.decode() for k, v in (pf.metadata.metadata or {}).items()}
        except (pa.ArrowException, OSError) as e:
            raise Bad(f"{f['path']}: unreadable Parquet: {e}") from None
        if rows != f["rows"]:
            raise Bad(f"{f['path']}: {rows} rows, manifest says {f['rows']}")
        if content.hexdigest() != f["content_sha256"]:
            raise Bad(f"{f['path']}: content hash {content.hexdigest()}, manifest says {f['content_sha256']}")
        want = {
            "claimset.schema_version": "1",
            "claimset.dataset": m["dataset"]["name"],
            "claimset.version": m["dataset"]["version"],
            "claimset.rules_sha256": m["rules"]["sha256"],
            "claimset.content_sha256": m["content_sha256"],
            "claimset.file_content_sha256": f["content_sha256"],
        }
        for key, value in want.items():
            if footer.get(key) != value:
                raise Bad(f"{f['path']}: footer {key} is {footer.get(key)!r}, expected {value!r}")
        release_hash.update(s(f["path"]) + u64(f["rows"]) + bytes.fromhex(f["content_sha256"]))
    if release_hash.hexdigest() != m["content_sha256"]:
        raise Bad(f"release content hash {release_hash.hexdigest()}, manifest says {m['content_sha256']}")
    # Split statistics: rows and labels recounted from the data, articles from the article table.
    for split in pq.read_table(os.path.join(release, ARTICLES_FILE), columns=["split"]).column("split").to_pylist():
        stats.setdefault(split, new_stats(split))["articles"] += 1
    for claimed in m["splits"]:
        found = stats.pop(claimed["split"], new_stats(claimed["split"]))
        if found != claimed:
            raise Bad(f"split {claimed['split']}: the data give {found}, the manifest says {claimed}")
    for split in stats:
        raise Bad(f"split `{split}` is in the data but not in the manifest")


def main(argv):
    args = argv[1:]
    rules = None
    if len(args) == 3 and args[1] == "--rules":
        rules = args[2]
        args = args[:1]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        verify(args[0], rules)
    except Bad as e:
        print(f"verify_release: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"verify_release: cannot verify: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
