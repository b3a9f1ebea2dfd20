"""Fixtures for the reader tests: releases built by the claimset binary from inputs made here.

Run through `scripts/test.sh`, which makes the virtual environment and builds `target/debug/claimset`
first. `CLAIMSET_BIN` overrides the binary.
"""

import atexit
import json
import os
import shutil
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("CLAIMSET_BIN", ROOT / "target" / "debug" / "claimset"))
VERIFY_SCRIPT = ROOT / "scripts" / "verify_release.py"
SPLITS = ("train", "validation", "test")

# Hugging Face libraries read these at import: no network, and a cache that is thrown away.
_HF_HOME = tempfile.mkdtemp(prefix="claimset-hf-")
atexit.register(shutil.rmtree, _HF_HOME, True)
os.environ.update(
    HF_HOME=_HF_HOME,
    HF_DATASETS_OFFLINE="1",
    HF_HUB_OFFLINE="1",
    HF_HUB_DISABLE_TELEMETRY="1",
    HF_DATASETS_DISABLE_PROGRESS_BARS="1",
)


def pytest_configure(config):
    # Third-party noise (mlcroissant's dependencies), not ours.
    for spec in (
        "ignore::DeprecationWarning:rdflib.*",
        "ignore:The inplace keyword:FutureWarning",
        "ignore:The inplace keyword:DeprecationWarning",
    ):
        config.addinivalue_line("filterwarnings", spec)


@dataclass
class Release:
    path: Path
    manifest: dict
    # The article text of each input, keyed by the `input` column's value.
    articles: dict

    def data_files(self, split=None):
        return [self.path / f["path"] for f in self.manifest["data_files"] if split in (None, f["split"])]

    def rows(self, split):
        return sum(f["rows"] for f in self.manifest["data_files"] if f["split"] == split)


ACTORS = ["روسيا", "إيران", "داعش", "تركيا", "مصر", "السعودية", "الصين", "فرنسا"]
SENTENCES = [
    "أعلنت {a} استعدادها للتعاون مع {b} في مجال الطاقة.",
    "بحث وزيرا خارجية {a} و{b} سبل التعاون الاقتصادي.",
    "هددت {a} بشن هجوم على مواقع تابعة لـ{b}.",
    "حذرت {a} من تهديد متزايد تمثله {b} في المنطقة.",
    "تبنى تنظيم داعش الهجوم على نقطة تفتيش قرب الحدود.",
    "أكدت {a} أنها لا تشكل تهديدا لأحد.",
    "لم تهدد {b} بشن هجوم على جيرانها.",
    "إذا هاجمت {b} المدينة فإن الجيش سيرد.",
    "وارتفعت أسعار النفط في الأسواق العالمية يوم الأحد.",
    "وقال المتحدث إن الاجتماع المقبل سيعقد في العاصمة.",
]


def make_articles(n=60, salt=0):
    """n short Arabic news articles, as JSON objects in the news-dump shape claimset reads by default."""
    out = []
    for i in range(n):
        k = i + salt * n
        a, b = ACTORS[k % len(ACTORS)], ACTORS[(3 * k + 1) % len(ACTORS)]
        if a == b:
            b = ACTORS[(k + 1) % len(ACTORS)]
        body = [SENTENCES[(k + j * 3) % len(SENTENCES)].format(a=a, b=b) for j in range(3 + k % 3)]
        body.append(f"وأشار التقرير رقم {k} إلى أن المفاوضات مستمرة.")
        obj = {
            "title": f"{a} و{b}: تطورات جديدة ({k})",
            "content": " ".join(body) if k % 4 else "\n".join(body),
            "url": f"https://news.example/ar/{k}",
            "date_extracted": f"2021-{k % 12 + 1:02d}-{k % 28 + 1:02d}",
        }
        if k % 3:
            obj["source"] = ["الأهرام", "الرياض"][k % 2]
        if k % 5:
            obj["author"] = f"مراسل {k % 7}"
        out.append(obj)
    return out


def article_text(obj):
    """The article text claimset derives from a JSON object with a headline field (design.md)."""
    return obj["title"].strip() + "\n" + obj["content"].strip()


def run_build(args):
    if not BIN.exists():
        pytest.exit(f"{BIN} not found: run `cargo build` first (scripts/test.sh does)", returncode=2)
    proc = subprocess.run([str(BIN), "build", "--quiet", *map(str, args)], capture_output=True, text=True)
    assert proc.returncode == 0, f"claimset build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"


def build_jsonl_release(base, name, version, articles):
    base.mkdir(parents=True, exist_ok=True)
    src = base / "in.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for obj in articles:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out = base / "out"
    run_build(["--input", src, "--name", name, "--version", version, "--out", out])
    path = out / name / version
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    texts = {f"in.jsonl#{i + 1}": article_text(obj) for i, obj in enumerate(articles)}
    return Release(path, manifest, texts)


@pytest.fixture(scope="session")
def claimset_bin():
    return BIN


@pytest.fixture(scope="session")
def readers_release(tmp_path_factory):
    """`readers` 1.0.0 from ~60 synthetic articles, with all three splits non-empty.

    Splits are decided by a hash of each article, so a different set of articles (salt) is tried in
    the unlikely case that one split gets none."""
    for salt in range(5):
        base = tmp_path_factory.mktemp(f"readers-{salt}")
        release = build_jsonl_release(base, "readers", "1.0.0", make_articles(60, salt))
        if all(release.rows(s) > 0 for s in SPLITS):
            return release
    pytest.fail("no salt gave three non-empty splits")


@pytest.fixture(scope="session")
def sample_release(tmp_path_factory):
    """The bundled sample (`datasets/sample`), built into a temporary directory."""
    out = tmp_path_factory.mktemp("sample")
    run_build([ROOT / "datasets" / "sample", "--out", out])
    spec = tomllib.loads((ROOT / "datasets" / "sample" / "dataset.toml").read_text(encoding="utf-8"))
    path = out / spec["name"] / spec["version"]
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    texts = {}
    for p in sorted((ROOT / "datasets" / "sample" / "input").rglob("*.txt")):
        text = p.read_bytes().decode("utf-8")
        texts[p.relative_to(ROOT / "datasets" / "sample" / "input").as_posix()] = text.removeprefix("\ufeff")
    return Release(path, manifest, texts)


@pytest.fixture(scope="session", params=["readers", "sample"])
def release(request):
    return request.getfixturevalue(f"{request.param}_release")
