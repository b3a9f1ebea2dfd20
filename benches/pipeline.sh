#!/usr/bin/env bash
# End-to-end benchmark of `claimset build` against the two pipelines a user would otherwise write.
#
#   bash benches/pipeline.sh
#
# 1. Builds claimset in release mode.
# 2. Corpus: the real one (../shared/corpus/saudinewsnet, or $CLAIMSET_SHARED/corpus/saudinewsnet)
#    when it is there, else a generated one of the same shape (benches/gen_corpus.py), in a
#    temporary directory. Counts its title and content text: the sum of len(title.strip()) +
#    len(content.strip()) in UTF-8 bytes (MB below are 10^6 bytes).
# 3. `claimset build` as shipped at --threads 1 and --threads 2; the Python baselines
#    benches/baselines/regex_pyarrow.py and benches/baselines/spacy_pyarrow.py, in the virtual
#    environment benches/.venv that this script makes (spaCy and pyarrow). Each configuration runs
#    $RUNS times (default 3) and the fastest run counts (the machine may be shared and noisy); peak
#    memory is the largest "Maximum resident set size" of `/usr/bin/time -v` over the runs.
# 4. Memory at scale: the corpus ten times over (distinct urls and contents, in the temporary
#    directory), built once at --threads 2; its peak memory against the 1x corpus's.
# 5. Prints one table with the ratios, and each target of issue 7 as met or not met.
#
# Environment: CORPUS (a directory of .jsonl/.jsonl.gz to use instead), RUNS (default 3),
# BASELINES=0 skips the Python baselines, TENX=0 skips the 10x check, PYTHON (default python3, 3.11
# or newer), KEEP=1 keeps the temporary directory.
# Needs cargo, python3 with venv, /usr/bin/time (GNU time) and network access to PyPI the first time.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
runs=${RUNS:-3}
python=${PYTHON:-python3}
shared=${CLAIMSET_SHARED:-$root/../shared}
corpus=${CORPUS:-$shared/corpus/saudinewsnet}

[ -x /usr/bin/time ] || { echo "pipeline.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/claimset-bench.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
log() { echo "pipeline.sh: $*" >&2; }

# --- claimset, release build ---------------------------------------------------------------------
log "cargo build --release"
cargo build --release --quiet
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$root/$target ;; esac
# A copy, so a rebuild in the same target directory during the benchmark changes nothing.
cp "$target/release/claimset" "$work/claimset"
bin=$work/claimset
"$bin" --version >&2

# --- corpus --------------------------------------------------------------------------------------
if [ -n "${CORPUS:-}" ]; then
    corpus_name="$CORPUS"
elif [ -d "$corpus" ]; then
    corpus_name="SaudiNewsNet (real, $corpus)"
else
    log "$corpus is absent: generating a corpus of the same shape"
    corpus=$work/corpus
    "$python" benches/gen_corpus.py generate "$corpus"
    corpus_name="generated (benches/gen_corpus.py)"
fi
read -r text_bytes articles < <("$python" - "$corpus" <<'EOF'
import gzip, json, sys
from pathlib import Path
total = count = 0
for path in sorted(p for p in Path(sys.argv[1]).rglob("*") if p.name.endswith((".jsonl", ".jsonl.gz"))):
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                obj = json.loads(line)
                count += 1
                total += len((obj.get("title") or "").strip().encode()) + len((obj.get("content") or "").strip().encode())
print(total, count)
EOF
)
log "corpus: $corpus_name, $articles articles, $text_bytes bytes of title and content"

# --- measuring -----------------------------------------------------------------------------------
# measure NAME CMD...: runs CMD under /usr/bin/time -v; appends "wall rss_kb" to $work/NAME.runs and
# keeps its stdout in $work/NAME.out.K. Exit codes 0 and 1 (finished with warnings) count as done.
measure() {
    local name=$1; shift
    local k=1
    [ -f "$work/$name.runs" ] && k=$(( $(wc -l < "$work/$name.runs") + 1 ))
    local status=0
    /usr/bin/time -v -o "$work/$name.time.$k" "$@" > "$work/$name.out.$k" 2> "$work/$name.err.$k" || status=$?
    if [ "$status" -gt 1 ]; then
        log "$name run $k failed (exit $status):"; tail -20 "$work/$name.err.$k" >&2; exit 2
    fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
        /Maximum resident set size/ { rss = $2 }
        /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
        END { print wall, rss, cpu }' "$work/$name.time.$k" >> "$work/$name.runs"
    log "$name run $k: $(tail -1 "$work/$name.runs" | awk '{printf "%.2f s wall, %.2f s CPU, %.0f MB peak RSS", $1, $3, $2 / 1024}')"
}
# best NAME: "wall_of_fastest_run max_rss_kb index_of_fastest_run cpu_seconds_of_fastest_run"
best() {
    awk '{ if (NR == 1 || $1 < w) { w = $1; k = NR; c = $3 } if ($2 > r) r = $2 } END { print w, r, k, c }' "$work/$1.runs"
}
json_field() { "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

claimset_build() {  # claimset_build NAME INPUT THREADS
    local out=$work/out-$1
    rm -rf "$out"
    measure "$1" "$bin" build --input "$2" --name bench --version 1.0.0 --out "$out" --threads "$3" --quiet --json
    rm -rf "$out"
}

for threads in 1 2; do
    for _ in $(seq "$runs"); do claimset_build "claimset-t$threads" "$corpus" "$threads"; done
done

# --- baselines -----------------------------------------------------------------------------------
if [ "${BASELINES:-1}" != 0 ]; then
    venv=$root/benches/.venv
    req="spacy==3.8.18 pyarrow==26.0.1"
    stamp=$venv/.bench-requirements
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
        log "creating $venv"
        rm -rf "$venv"
        "$python" -m venv "$venv"
    fi
    if [ "$(cat "$stamp" 2>/dev/null || true)" != "$req" ]; then
        log "installing $req into $venv"
        # shellcheck disable=SC2086
        "$venv/bin/python" -m pip install -q --disable-pip-version-check $req
        echo "$req" > "$stamp"
    fi
    for baseline in regex_pyarrow spacy_pyarrow; do
        for _ in $(seq "$runs"); do
            rm -f "$work/$baseline.parquet"
            measure "$baseline" "$venv/bin/python" "benches/baselines/$baseline.py" "$corpus" "$work/$baseline.parquet"
        done
    done
fi

# --- 10x corpus ----------------------------------------------------------------------------------
if [ "${TENX:-1}" != 0 ]; then
    log "writing the 10x corpus to $work/corpus10x"
    "$python" benches/gen_corpus.py replicate "$corpus" "$work/corpus10x" --times 10
    claimset_build "claimset-10x-t2" "$work/corpus10x" 2
    rm -rf "$work/corpus10x"
fi

# --- report --------------------------------------------------------------------------------------
rows=$work/rows.tsv
: > "$rows"
row() {  # row LABEL NAME THREADS
    [ -s "$work/$2.runs" ] || return 0
    local wall rss k cpu sentences
    read -r wall rss k cpu < <(best "$2")
    sentences=$(json_field "$work/$2.out.$k" sentences)  # claimset --json and the baselines both say
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$wall" "$rss" "$sentences" "$(wc -l < "$work/$2.runs")" "$cpu" >> "$rows"
}
row "claimset build" claimset-t1 1
row "claimset build" claimset-t2 2
row "Python regex + pyarrow" regex_pyarrow 1
row "Python spaCy + pyarrow" spacy_pyarrow 1
tenx_wall= tenx_rss=
if [ -s "$work/claimset-10x-t2.runs" ]; then read -r tenx_wall tenx_rss _ < <(best claimset-10x-t2); fi

"$python" - "$rows" "$text_bytes" "$articles" "$corpus_name" "$runs" "$tenx_wall" "$tenx_rss" <<'EOF'
import os, sys
rows_path, text_bytes, articles, corpus_name, runs, tenx_wall, tenx_rss = sys.argv[1:]
text_bytes, articles = int(text_bytes), int(articles)
mb = text_bytes / 1e6
rows = []
for line in open(rows_path):
    label, name, threads, wall, rss, sentences, n, cpu = line.rstrip("\n").split("\t")
    wall, rss, sentences, cpu = float(wall), int(rss) / 1024, int(sentences), float(cpu)
    rows.append(dict(label=label, name=name, threads=int(threads), wall=wall, rss=rss, cpu=cpu,
                     sentences=sentences, mbs=mb / wall, sps=sentences / wall, runs=int(n)))
by = {r["name"]: r for r in rows}
load = os.getloadavg()
print()
print(f"Corpus: {corpus_name}: {articles:,} articles, {mb:.1f} MB of title and content text")
print(f"Machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end; "
      f"fastest of {runs} runs (wall), peak RSS the largest over the runs;")
print("CPU s is user + system time of the fastest run: MB per CPU s is what one core does, whatever else runs.")
print()
head = (f"| {'pipeline':<24} | {'threads':>7} | {'wall s':>7} | {'MB/s':>7} | {'sentences':>9} | {'sentences/s':>11} "
        f"| {'peak RSS MB':>11} | {'CPU s':>7} | {'MB per CPU s':>12} |")
print(head)
print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
for r in rows:
    print(f"| {r['label']:<24} | {r['threads']:>7} | {r['wall']:>7.2f} | {r['mbs']:>7.1f} | {r['sentences']:>9,} "
          f"| {r['sps']:>11,.0f} | {r['rss']:>11.0f} | {r['cpu']:>7.2f} | {mb / r['cpu']:>12.1f} |")
print()
c1, c2 = by.get("claimset-t1"), by.get("claimset-t2")
for base in ("regex_pyarrow", "spacy_pyarrow"):
    b = by.get(base)
    if not (b and c1 and c2):
        continue
    print(f"claimset / {b['label']}: MB/s x{c2['mbs'] / b['mbs']:.1f} at 2 threads, x{c1['mbs'] / b['mbs']:.1f} at 1 thread "
          f"(the baselines run on one thread); sentences/s x{c2['sps'] / b['sps']:.1f}; peak RSS x{c2['rss'] / b['rss']:.2f} at 2 threads")
if c1 and c2:
    speedup = c1["wall"] / c2["wall"]
    print(f"claimset speed-up 1 -> 2 threads: x{speedup:.2f}")
print()
def verdict(ok):
    return "met" if ok else "NOT met"
if c1 and c2:
    print("Targets (issue 7), on this run:")
    print(f"  >= 100 MB/s end to end on 2 cores:      {c2['mbs']:.1f} MB/s -> {verdict(c2['mbs'] >= 100)}")
    print(f"  >= 1.8x speed-up from 1 to 2 threads:   x{speedup:.2f} -> {verdict(speedup >= 1.8)}")
    worst = max(c1["rss"], c2["rss"])
    print(f"  peak resident memory <= 250 MB:         {worst:.0f} MB -> {verdict(worst <= 250)}")
    if tenx_rss:
        tenx = int(tenx_rss) / 1024
        print(f"  10x corpus under 2x the 1x peak memory: {tenx:.0f} MB at 10x vs {c2['rss']:.0f} MB at 1x "
              f"(x{tenx / c2['rss']:.2f}, 2 threads) -> {verdict(tenx < 2 * c2['rss'])}")
        print(f"    (the 10x build, one run: {float(tenx_wall):.1f} s, ~{10 * mb / float(tenx_wall):.1f} MB/s)")
print("Baselines reported in issue 7 (another machine): regex + pyarrow 5.3 MB/s; spaCy + pyarrow 1.2 MB/s, 490 MB.")
EOF
