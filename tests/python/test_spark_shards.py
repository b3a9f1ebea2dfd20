"""A 4-shard build under PySpark in local mode (examples/spark_shards.py) equals the single-machine
build byte for byte.

Input: a few hundred SaudiNewsNet articles (../shared, or $CLAIMSET_SHARED) copied to a temporary
JSON Lines file, else a generated corpus (benches/gen_corpus.py). Skips with a message where Java
is missing; pyspark comes from scripts/requirements-test.txt.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("CLAIMSET_BIN", ROOT / "target" / "debug" / "claimset"))
EXAMPLE = ROOT / "examples" / "spark_shards.py"
GEN = ROOT / "benches" / "gen_corpus.py"
SHARED = Path(os.environ.get("CLAIMSET_SHARED", ROOT.parent / "shared"))
NAME, VERSION = "sparktest", "1.0.0"


def java_missing():
    if os.environ.get("JAVA_HOME") and (Path(os.environ["JAVA_HOME"]) / "bin" / "java").exists():
        return None
    if shutil.which("java") is None:
        return "Java is missing (PySpark needs Java 17 or newer): the Spark shard test is skipped"
    return None


def tree_hashes(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def make_input(base):
    """Returns the input directory: corpus articles when the shared corpus is there, else generated ones."""
    inp = base / "input"
    inp.mkdir(parents=True)
    corpus = SHARED / "corpus" / "saudinewsnet"
    if corpus.is_dir():
        for day, n in (("2015-07-21", 200), ("2015-08-06", 150)):
            subprocess.run([sys.executable, GEN, "sample", corpus / f"{day}.jsonl.gz", inp / f"{day}.jsonl",
                            "--articles", str(n)], check=True)
    else:
        subprocess.run([sys.executable, GEN, "generate", inp, "--articles", "300", "--files", "2"], check=True)
    return inp


def test_four_shards_under_pyspark_equal_the_single_build(tmp_path):
    reason = java_missing()
    if reason:
        pytest.skip(reason)
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail("pyspark is not installed: pip install -r scripts/requirements-test.txt (scripts/test.sh does)")
    if not BIN.exists():
        pytest.exit(f"{BIN} not found: run `cargo build` first (scripts/test.sh does)", returncode=2)

    inp = make_input(tmp_path)

    single = tmp_path / "single"
    proc = subprocess.run([BIN, "build", "--input", inp, "--name", NAME, "--version", VERSION,
                           "--out", single, "--quiet"], capture_output=True, text=True)
    assert proc.returncode in (0, 1), f"single build failed ({proc.returncode}):\n{proc.stderr}"

    spark_out = tmp_path / "spark"
    env = dict(os.environ, CLAIMSET_BIN=str(BIN))
    proc = subprocess.run([sys.executable, EXAMPLE, "--input", inp, "--name", NAME, "--version", VERSION,
                           "--out", spark_out, "--shards", "4", "--master", "local[2]"],
                          capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, f"spark_shards.py failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-6000:]}"
    summary = json.loads(proc.stdout.strip().splitlines()[-1])

    # Four shard results, each with articles, together as many as the single build.
    shards = spark_out / "work" / NAME / "shards" / VERSION
    assert sorted(p.name for p in shards.iterdir() if not p.name.startswith(".")) == [f"{i}-of-4" for i in range(4)]
    assert [s["shard"] for s in summary["shards"]] == [0, 1, 2, 3]
    assert all(s["articles"] > 0 for s in summary["shards"]), summary
    single_manifest = json.loads((single / NAME / VERSION / "manifest.json").read_text(encoding="utf-8"))
    assert sum(s["articles"] for s in summary["shards"]) == sum(s["articles"] for s in single_manifest["splits"])

    want = tree_hashes(single / NAME / VERSION)
    got = tree_hashes(spark_out / NAME / VERSION)
    assert any(k.endswith(".parquet") for k in want), want
    assert got == want, {k: (want.get(k), got.get(k)) for k in sorted(set(want) | set(got)) if want.get(k) != got.get(k)}
    assert summary["release"]["content_sha256"] == single_manifest["content_sha256"]
