"""`scripts/verify_release.py` (standard library + pyarrow) verifies a release independently of claimset,
and fails, naming the problem, on any tampering; `claimset verify` agrees with it every time."""

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


def edit_manifest(release, change):
    path = release / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    change(m)
    path.write_text(json.dumps(m, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def refresh_file_entry(release, rel):
    """Make the manifest agree with a rewritten data file's bytes, so only the logical checks catch it."""
    import hashlib

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


@pytest.mark.parametrize(
    "what,change,needle",
    [
        ("content hash", lambda m: m.update(content_sha256="0" * 64), "content"),
        ("row count", lambda m: m["data_files"][0].update(rows=m["data_files"][0]["rows"] + 1), "rows"),
        ("file sha256", lambda m: m["files"][0].update(sha256="f" * 64), "sha256"),
        ("version", lambda m: m["dataset"].update(version="9.9.9"), "claimset.version"),
        ("split counts", lambda m: m["splits"][0].update(rows=m["splits"][0]["rows"] + 1), "split counts"),
        ("dropped file entry", lambda m: m["files"].pop(), "not listed in the manifest"),
    ],
)
def test_edited_manifest(copy, what, change, needle):
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
