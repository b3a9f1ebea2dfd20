"""`scripts/verify_release.py` (standard library + pyarrow) verifies a release independently of claimset,
and fails, naming the problem, on any tampering; `claimset verify` agrees with it every time."""

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from conftest import BIN, ROOT, VERIFY_SCRIPT


def run_script(path, *extra):
    proc = subprocess.run(
        [sys.executable, str(VERIFY_SCRIPT), str(path), *extra], capture_output=True, text=True
    )
    return proc.returncode, proc.stdout + proc.stderr


def run_claimset_verify(path):
    return subprocess.run([str(BIN), "verify", str(path)], capture_output=True, text=True).returncode


def test_good_release_is_ok(release):
    code, out = run_script(release.path)
    assert (code, out.strip()) == (0, "ok")
    assert run_claimset_verify(release.path) == 0


def test_rule_set_hash(release):
    """The bundled rule set is the repository's rules/ and lexicon/: --rules recomputes its sha256."""
    assert release.manifest["rules"]["source"] == "bundled"
    assert run_script(release.path, "--rules", ROOT) == (0, "ok\n")
    code, out = run_script(release.path, "--rules", ROOT / "datasets")
    assert code == 2 and "rule-set sha256" in out


@pytest.fixture
def copy(readers_release, tmp_path):
    dst = tmp_path / "release"
    shutil.copytree(readers_release.path, dst)
    for d, dirs, files in os.walk(dst):
        for n in dirs + files:
            p = os.path.join(d, n)
            os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR)
    return dst


def canonical(m):
    """The manifest's canonical bytes (serde_json's pretty form: 2-space indent, UTF-8, final newline)."""
    return (json.dumps(m, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def seal(m):
    """Fill in the self hash (schemas/hashes.md) and return the manifest's bytes."""
    m["manifest_sha256"] = ""
    m["manifest_sha256"] = hashlib.sha256(canonical(m)).hexdigest()
    return canonical(m)


def edit_manifest(release, change, reseal=True):
    """Change the manifest; by default re-seal it, as a forger would, so that the checks behind the
    self hash are what must catch the change."""
    path = release / "manifest.json"
    m = json.loads(path.read_bytes())
    change(m)
    path.write_bytes(seal(m) if reseal else canonical(m))


def refresh_file_entry(release, rel):
    """Make the manifest agree with a rewritten data file's bytes, so only the logical checks catch it."""
    data = (release / rel).read_bytes()

    def change(m):
        for f in m["data_files"]:
            if f["path"] == rel:
                f["sha256"], f["bytes"] = hashlib.sha256(data).hexdigest(), len(data)

    edit_manifest(release, change)


def rewrite_first_row(release, rel, column, value):
    path = release / rel
    pf = pq.ParquetFile(path)
    table = pf.read()
    rows = table.to_pylist()
    rows[0][column] = value
    new = table.from_pylist(rows, schema=table.schema)
    pq.write_table(new, path)
    refresh_file_entry(release, rel)


def expect_failure(release, *needles):
    code, out = run_script(release)
    assert code == 2, out
    assert out.startswith("verify_release: "), out
    for needle in needles:
        assert needle in out, out
    assert run_claimset_verify(release) == 2, "claimset verify should fail too"


def first_data_file(release):
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))["data_files"][0]["path"]


def test_flipped_byte_in_parquet(copy):
    rel = first_data_file(copy)
    path = copy / rel
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    expect_failure(copy, rel, "sha256")


def test_changed_text_even_with_matching_file_hash(copy):
    rel = first_data_file(copy)
    rewrite_first_row(copy, rel, "text", "نص آخر")
    expect_failure(copy, rel, "row 0", "text_sha256")


def test_changed_label_even_with_matching_file_hash(copy):
    rel = first_data_file(copy)
    stance = pq.read_table(copy / rel).column("stance")[0].as_py()
    rewrite_first_row(copy, rel, "stance", "threat" if stance != "threat" else "cooperation")
    expect_failure(copy, rel, "content hash")


def test_resealing_reproduces_the_manifest(readers_release, sample_release):
    """The tests below re-seal edited manifests; that is only meaningful if sealing an unchanged
    manifest gives back its exact bytes."""
    for release in (readers_release, sample_release):
        raw = (release.path / "manifest.json").read_bytes()
        assert seal(json.loads(raw)) == raw


@pytest.mark.parametrize(
    "change,needle",
    [
        (lambda m: m["dataset"].update(description="edited"), "manifest was changed"),
        (lambda m: m.update(manifest_sha256="0" * 64), "manifest was changed"),
    ],
    ids=["description", "self hash"],
)
def test_edited_manifest_breaks_its_self_hash(copy, change, needle):
    edit_manifest(copy, change, reseal=False)
    expect_failure(copy, "manifest.json", needle)


def test_manifest_without_final_newline(copy):
    path = copy / "manifest.json"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    expect_failure(copy, "manifest was changed")


@pytest.mark.parametrize(
    "what,change,needle",
    [
        ("content hash", lambda m: m.update(content_sha256="0" * 64), "content"),
        ("row count", lambda m: m["data_files"][0].update(rows=m["data_files"][0]["rows"] + 1), "rows"),
        ("file sha256", lambda m: m["files"][0].update(sha256="f" * 64), "sha256"),
        ("version", lambda m: m["dataset"].update(version="9.9.9"), "claimset.version"),
        ("split rows", lambda m: m["splits"][0].update(rows=m["splits"][0]["rows"] + 1), "split train"),
        ("split articles", lambda m: m["splits"][2].update(articles=m["splits"][2]["articles"] - 1), "split test"),
        ("label counts", lambda m: m["splits"][0]["stances"].update(threat=m["splits"][0]["stances"]["threat"] + 1), "split train"),
        ("dropped file entry", lambda m: m["files"].pop(), "not listed in the manifest"),
    ],
)
def test_edited_and_resealed_manifest(copy, what, change, needle):
    edit_manifest(copy, change)
    expect_failure(copy, needle)


def test_extra_file(copy):
    (copy / "data" / "extra.parquet").write_bytes(b"PAR1")
    expect_failure(copy, "data/extra.parquet", "not listed in the manifest")


def test_missing_file(copy):
    os.remove(copy / "croissant.json")
    expect_failure(copy, "croissant.json", "missing")


def test_missing_data_file(copy):
    rel = first_data_file(copy)
    os.remove(copy / rel)
    expect_failure(copy, rel, "missing")


def test_not_a_release(tmp_path):
    code, out = run_script(tmp_path)
    assert code == 2 and "manifest.json" in out
