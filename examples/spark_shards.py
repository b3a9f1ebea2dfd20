#!/usr/bin/env python3
"""A sharded claimset build on Apache Spark: one task per shard, then one merge on the driver.

    python examples/spark_shards.py --input DIR --name NAME --version X.Y.Z --out OUT [--shards 4]

Each of the N shard indices is one element of an RDD with N partitions; `mapPartitions` runs
`claimset build --shard I/N` for the index in its partition, writing the shard result to
`OUT/work/NAME/shards/X.Y.Z/I-of-N`. When every task has finished, the driver runs `claimset merge`,
which checks that the N shards are all there, were built with the same tool, rules, spec and
inputs, and cover disjoint articles, and writes the release to `OUT/NAME/X.Y.Z`: the same bytes as
`claimset build` of the same inputs on one machine, whatever N is.

Here Spark runs in local mode (`--master local[2]`), so every task sees the same file system. On a
cluster, INPUT and OUT must be on storage that every executor and the driver share (NFS, a mounted
bucket), or each task copies its shard directory to object storage and the driver fetches them all
before merging. The claimset binary (`--bin`, or $CLAIMSET_BIN, else `claimset` on PATH) must be on
every executor.

Needs pyspark (pip install pyspark) and Java 17 or newer. Prints a JSON summary on stdout; exits 0
when the release is published (or already was, with identical bytes), 2 otherwise.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def shard_task(binary, inputs, name, version, out, count, threads):
    """The function each partition runs: `claimset build --shard I/N` for its shard indices."""

    def run(indices):
        for index in indices:
            cmd = [binary, "build", "--name", name, "--version", version, "--out", out,
                   "--shard", f"{index}/{count}", "--threads", str(threads), "--quiet", "--json"]
            for path in inputs:
                cmd += ["--input", path]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            yield {
                "shard": index,
                "exit": proc.returncode,
                "summary": json.loads(proc.stdout) if proc.returncode in (0, 1) and proc.stdout.strip() else None,
                "stderr": proc.stderr[-4000:],
            }

    return run


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", action="append", required=True, help="input file or directory (repeatable)")
    p.add_argument("--name", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--out", required=True, help="the release goes to OUT/NAME/VERSION; shards to OUT/work")
    p.add_argument("--shards", type=int, default=4)
    p.add_argument("--threads", type=int, default=1, help="claimset threads per task")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--bin", default=os.environ.get("CLAIMSET_BIN") or shutil.which("claimset") or "claimset")
    args = p.parse_args(argv)

    binary = str(Path(args.bin).resolve()) if Path(args.bin).exists() else args.bin
    inputs = [str(Path(i).resolve()) for i in args.input]
    out = Path(args.out).resolve()
    work = out / "work"
    shards_dir = work / args.name / "shards" / args.version

    # Executors start Python workers: make them this interpreter, with pyspark importable.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(args.master)
        .appName(f"claimset {args.name} {args.version} in {args.shards} shards")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.task.maxFailures", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        # One shard index per partition, so each task builds exactly one shard.
        indices = spark.sparkContext.parallelize(range(args.shards), numSlices=args.shards)
        task = shard_task(binary, inputs, args.name, args.version, str(work), args.shards, args.threads)
        results = sorted(indices.mapPartitions(task).collect(), key=lambda r: r["shard"])
    finally:
        spark.stop()

    failed = [r for r in results if r["exit"] not in (0, 1)]
    for r in failed:
        print(f"spark_shards: shard {r['shard']}/{args.shards} failed (exit {r['exit']}):\n{r['stderr']}", file=sys.stderr)
    if failed or len(results) != args.shards:
        return 2

    merge = subprocess.run(
        [binary, "merge", str(shards_dir), "--out", str(out), "--quiet", "--json"], capture_output=True, text=True
    )
    if merge.returncode not in (0, 1):
        print(f"spark_shards: merge failed (exit {merge.returncode}):\n{merge.stderr}", file=sys.stderr)
        return 2
    print(json.dumps({
        "shards": [{"shard": r["shard"], "articles": (r["summary"] or {}).get("articles"),
                    "sentences": (r["summary"] or {}).get("sentences")} for r in results],
        "release": json.loads(merge.stdout),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
