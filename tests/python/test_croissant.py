"""`croissant.json` validates with mlcroissant, lists every data file with its sha256, and yields the records."""

import itertools
import json
import logging

import pytest
from test_readers import COLUMNS, EVIDENCE_KEYS, read_all


@pytest.fixture(scope="module")
def mlc():
    import mlcroissant

    logging.getLogger("absl").setLevel(logging.ERROR)
    return mlcroissant


def load(release):
    return json.loads((release.path / "croissant.json").read_text(encoding="utf-8"))


def test_validates(mlc, release):
    # mlcroissant raises ValidationError when the document has any error (warnings are allowed).
    ds = mlc.Dataset(jsonld=str(release.path / "croissant.json"))
    assert not ds.metadata.ctx.issues.errors
    assert ds.metadata.name == release.manifest["dataset"]["name"]
    assert [rs.id for rs in ds.metadata.record_sets] == ["splits", "records"]
    assert ds.metadata.ctx.is_v1_1(), "Croissant 1.1, the version mlcroissant writes"


def test_file_objects_carry_sha256(release):
    doc = load(release)
    objects = {d["@id"]: d for d in doc["distribution"] if d["@type"] == "cr:FileObject"}
    assert list(objects) == [f["path"] for f in release.manifest["data_files"]]
    for f in release.manifest["data_files"]:
        o = objects[f["path"]]
        assert o["sha256"] == f["sha256"]
        assert o["contentUrl"] == f["path"]
        assert o["contentSize"] == f"{f['bytes']} B"
        assert o["encodingFormat"] == "application/x-parquet"
    file_sets = [d for d in doc["distribution"] if d["@type"] == "cr:FileSet"]
    assert [fs["includes"] for fs in file_sets] == ["data/*.parquet"]
    matched = sorted(p.relative_to(release.path).as_posix() for p in release.path.glob(file_sets[0]["includes"]))
    assert matched == sorted(objects), "the FileSet reads exactly the FileObjects"


def test_record_set_has_every_field(release):
    doc = load(release)
    records = next(rs for rs in doc["recordSet"] if rs["@id"] == "records")
    assert [f["name"] for f in records["field"]] == COLUMNS
    by_name = {f["name"]: f for f in records["field"]}
    assert [s["name"] for s in by_name["evidence"]["subField"]] == EVIDENCE_KEYS
    assert by_name["sentence_index"]["dataType"] == "sc:Integer"
    assert by_name["stances"]["isArray"] is True and by_name["evidence"]["isArray"] is True
    for f in records["field"]:
        assert f["source"]["extract"]["column"] == f["name"]


def test_records_come_out(mlc, release):
    ds = mlc.Dataset(jsonld=str(release.path / "croissant.json"))
    splits = [r["splits/split_name"] for r in ds.records("splits")]
    assert splits == [f["split"] for f in release.manifest["data_files"]]

    expected = {r["record_id"]: r for r in read_all(release)}
    seen = 0
    for rec in ds.records("records"):
        got = {k.removeprefix("records/"): v for k, v in rec.items()}
        want = expected[got["record_id"].decode()]
        assert got["text"].decode() == want["text"]
        assert got["sentence_index"] == want["sentence_index"]
        assert got["char_start"] == want["char_start"] and got["char_end"] == want["char_end"]
        assert (got["publisher"] or b"").decode() == (want["publisher"] or "")
        assert [s.decode() for s in got["actors"]] == want["actors"]
        assert [
            {k.removeprefix("records/evidence/"): (v.decode() if isinstance(v, bytes) else v) for k, v in e.items()}
            for e in got["evidence"]
        ] == want["evidence"]
        assert got["split"].decode() == want["split"]
        seen += 1
    assert seen == len(expected)


def test_a_few_records(mlc, readers_release):
    """The issue's example: iterate a few records of the RecordSet; each has every field."""
    ds = mlc.Dataset(jsonld=str(readers_release.path / "croissant.json"))
    ids = {r["record_id"] for r in read_all(readers_release)}
    few = list(itertools.islice(ds.records("records"), 5))
    assert len(few) == 5
    for r in few:
        assert list(r) == [f"records/{c}" for c in COLUMNS]
        assert r["records/record_id"].decode() in ids
