"""Every common reader gets every column of schema v1 with the right type and the same values."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SPLITS

SCHEMA_DOC = json.loads((ROOT / "schemas" / "record.v1.json").read_text(encoding="utf-8"))


def arrow_field(f):
    t = f["type"]
    if t == "utf8":
        dt = pa.string()
    elif t == "uint32":
        dt = pa.uint32()
    elif "list" in t:
        dt = pa.list_(arrow_field(t["list"]))
    elif "struct" in t:
        dt = pa.struct([arrow_field(s) for s in t["struct"]])
    else:
        raise AssertionError(f"unknown type in schemas/record.v1.json: {t}")
    return pa.field(f["name"], dt, f["nullable"])


EXPECTED = pa.schema([arrow_field(f) for f in SCHEMA_DOC["fields"]])
COLUMNS = EXPECTED.names
EVIDENCE_KEYS = ["rule", "label", "mode", "char_start", "char_end"]


def read_all(release):
    """Rows of every data file, in release order, as pyarrow gives them."""
    return [r for p in release.data_files() for r in pq.read_table(p).to_pylist()]


def test_schema_document_is_v1():
    assert SCHEMA_DOC["schema_version"] == "1"
    assert COLUMNS[:3] == ["record_id", "article_id", "input"] and COLUMNS[-1] == "split"
    assert EXPECTED.field("evidence").type.value_type.names == EVIDENCE_KEYS


def test_pyarrow_reads_schema_v1(release):
    for path in release.data_files():
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
        assert schema.remove_metadata().equals(EXPECTED), f"{path.name}:\n{schema}\n!=\n{EXPECTED}"
        assert schema.field("sentence_index").type == pa.uint32()
        assert schema.field("stances").type == pa.list_(pa.field("item", pa.string(), False))
        assert pa.types.is_struct(schema.field("evidence").type.value_type)
        footer = {k.decode(): v.decode() for k, v in pf.metadata.metadata.items()}
        assert footer["claimset.schema_version"] == "1"
        assert footer["claimset.content_sha256"] == release.manifest["content_sha256"]
        # Label-like columns are plain utf8 in Arrow (dictionary encoding is Parquet's business).
        assert not any(pa.types.is_dictionary(f.type) for f in schema)


def test_row_counts_and_splits(release):
    for f in release.manifest["data_files"]:
        table = pq.read_table(release.path / f["path"])
        assert table.num_rows == f["rows"]
        assert set(table.column("split").to_pylist()) == {f["split"]}
    assert [f["split"] for f in release.manifest["data_files"]] == [
        s for s in SPLITS if release.rows(s) > 0
    ], "data files are in release order"


def test_offsets_index_the_input(release):
    rows = read_all(release)
    assert rows
    for r in rows:
        article = release.articles[r["input"]]
        text = r["text"]
        assert text == article[r["char_start"] : r["char_end"]], r
        assert article.encode("utf-8")[r["byte_start"] : r["byte_end"]] == text.encode("utf-8"), r
        for e in r["evidence"]:
            assert list(e) == EVIDENCE_KEYS
            assert r["char_start"] <= e["char_start"] < e["char_end"] <= r["char_end"], (r["text"], e)
            assert e["mode"] in ("asserted", "negated", "hypothetical")
    # Every input article contributed, and sentences of an article are numbered 0..n-1 in order.
    by_input = {}
    for r in rows:
        by_input.setdefault(r["input"], []).append(r)
    assert set(by_input) == set(release.articles)
    for sentences in by_input.values():
        assert [r["sentence_index"] for r in sentences] == list(range(len(sentences)))
        assert [r["char_start"] for r in sentences] == sorted(r["char_start"] for r in sentences)


def test_synthetic_release_has_labels_and_nulls(readers_release):
    rows = read_all(readers_release)
    assert all(readers_release.rows(s) > 0 for s in SPLITS)
    stances = {s for r in rows for s in r["stances"]}
    assert {"cooperation", "threat", "reassurance"} <= stances
    assert {"russia", "iran", "isis"} <= {a for r in rows for a in r["actors"]}
    assert {"asserted", "negated", "hypothetical"} <= {e["mode"] for r in rows for e in r["evidence"]}
    assert any(r["evidence"] == [] for r in rows)
    for column in ("publisher", "author"):
        values = [r[column] for r in rows]
        assert None in values and any(v is not None for v in values), column
    assert {r["kind"] for r in rows} >= {"headline", "body"}


def test_pandas(release):
    import numpy as np
    import pandas as pd

    expected = read_all(release)
    frames = [pd.read_parquet(p) for p in release.data_files()]
    df = pd.concat(frames, ignore_index=True)
    assert list(df.columns) == COLUMNS
    assert len(df) == len(expected)
    for name in COLUMNS:
        dtype = df[name].dtype
        t = EXPECTED.field(name).type
        if t == pa.uint32():
            assert dtype == np.uint32, (name, dtype)
        elif t == pa.string():
            assert pd.api.types.is_string_dtype(dtype), (name, dtype)
        else:
            assert dtype == object, (name, dtype)
    row = df.iloc[len(df) // 2]
    want = expected[len(df) // 2]
    assert row["text"] == want["text"]
    assert [str(s) for s in row["stances"]] == want["stances"]
    assert [dict(e) for e in row["evidence"]] == want["evidence"]
    assert df["sentence_index"].tolist() == [r["sentence_index"] for r in expected]

    # With Arrow-backed dtypes, pandas keeps every type exactly.
    for p in release.data_files():
        adf = pd.read_parquet(p, dtype_backend="pyarrow")
        for name in COLUMNS:
            assert adf[name].dtype == pd.ArrowDtype(EXPECTED.field(name).type), (name, adf[name].dtype)


def test_polars(release):
    import polars as pl

    evidence = pl.Struct(
        {"rule": pl.String, "label": pl.String, "mode": pl.String, "char_start": pl.UInt32, "char_end": pl.UInt32}
    )
    df = pl.concat([pl.read_parquet(p) for p in release.data_files()])
    assert df.columns == COLUMNS
    for name, dtype in df.schema.items():
        t = EXPECTED.field(name).type
        want = {pa.string(): pl.String, pa.uint32(): pl.UInt32}.get(t)
        if want is None:
            want = pl.List(evidence) if name == "evidence" else pl.List(pl.String)
        assert dtype == want, (name, dtype)
    assert df.to_dicts() == read_all(release)


def test_duckdb(release):
    import duckdb

    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in release.data_files())
    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_parquet([{files}])")
    types = dict(zip(rel.columns, (str(t) for t in rel.types)))
    assert list(types) == COLUMNS
    for name, t in types.items():
        at = EXPECTED.field(name).type
        if at == pa.string():
            assert t == "VARCHAR", (name, t)
        elif at == pa.uint32():
            assert t == "UINTEGER", (name, t)
        elif name == "evidence":
            want = "STRUCT(rule VARCHAR, label VARCHAR, \"mode\" VARCHAR, char_start UINTEGER, char_end UINTEGER)[]"
            assert t.replace('"', "") == want.replace('"', ""), (name, t)
        else:
            assert t == "VARCHAR[]", (name, t)
    expected = read_all(release)
    rows = [dict(zip(rel.columns, r)) for r in con.execute(f"SELECT * FROM read_parquet([{files}])").fetchall()]
    assert rows == expected
    counts = dict(con.execute(f"SELECT split, count(*) FROM read_parquet([{files}]) GROUP BY split").fetchall())
    assert counts == {s: release.rows(s) for s in SPLITS if release.rows(s)}
    n_evidence = con.execute(
        f"SELECT count(*) FROM read_parquet([{files}]) t, unnest(t.evidence) AS u(e) WHERE e.char_end > e.char_start"
    ).fetchone()[0]
    assert n_evidence == sum(len(r["evidence"]) for r in expected)


def test_huggingface_card_yaml(release):
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(release.path / "README.md")
    data = card.data.to_dict()
    assert data["license"] == (release.manifest["dataset"]["license"].lower() or "unknown")
    config = data["configs"][0]
    assert config["config_name"] == "default"
    assert config["data_files"] == [{"split": f["split"], "path": f["path"]} for f in release.manifest["data_files"]]
    info = data["dataset_info"]
    assert [f["name"] for f in info["features"]] == COLUMNS
    assert {s["name"]: s["num_examples"] for s in info["splits"]} == {
        f["split"]: f["rows"] for f in release.manifest["data_files"]
    }


def test_huggingface_datasets_loads_the_release(release):
    import datasets
    from datasets import List, Value

    assert datasets.config.HF_HUB_OFFLINE and datasets.config.HF_DATASETS_OFFLINE
    ds = datasets.load_dataset(str(release.path))
    want_splits = [s for s in SPLITS if release.rows(s)]
    assert sorted(ds.keys()) == sorted(want_splits)
    expected = read_all(release)
    for split in want_splits:
        assert ds[split].num_rows == release.rows(split)
        assert ds[split].column_names == COLUMNS
    features = ds[want_splits[0]].features
    assert features["record_id"] == Value("string")
    assert features["sentence_index"] == Value("uint32")
    assert features["char_end"] == Value("uint32")
    assert features["stances"] == List(Value("string"))
    assert features["evidence"] == List(
        {
            "rule": Value("string"),
            "label": Value("string"),
            "mode": Value("string"),
            "char_start": Value("uint32"),
            "char_end": Value("uint32"),
        }
    )
    first = ds[want_splits[0]][0]
    assert first == expected[0]


@pytest.mark.parametrize("split", SPLITS)
def test_huggingface_three_splits(readers_release, split):
    import datasets

    ds = datasets.load_dataset(str(readers_release.path), split=split)
    assert ds.num_rows == readers_release.rows(split) > 0
    assert set(ds["split"]) == {split}
