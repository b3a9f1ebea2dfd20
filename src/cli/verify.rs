//! `claimset verify RELEASE [--rebuild]`.

use super::EXIT_OK;
use super::args::VerifyArgs;
use super::output::print_json;
use crate::manifest::Manifest;
use crate::read::Limits;
use crate::release::{BuildConfig, OnError};
use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(args: VerifyArgs) -> anyhow::Result<u8> {
    let report = crate::verify::verify(&args.release)?;
    if args.rebuild {
        rebuild_and_compare(&args.release, &args.inputs)?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "ok": true,
            "rebuilt": args.rebuild,
            "files": report.files,
            "rows": report.rows,
            "content_sha256": report.content_sha256,
        });
        print_json(&mut out, &value)?;
    } else {
        let how = if args.rebuild {
            ", rebuilt byte for byte"
        } else {
            ""
        };
        writeln!(
            out,
            "ok: {} ({} files, {} rows, content sha256:{}{how})",
            args.release.display(),
            report.files,
            report.rows,
            report.content_sha256
        )?;
    }
    Ok(EXIT_OK)
}

/// Rebuilds the release from its recorded spec and inputs into a temporary directory and compares
/// every file, naming the first file (and, for data, the first row) that differs.
fn rebuild_and_compare(release: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let manifest = Manifest::read(release)?;
    let current = crate::manifest::BuiltWith::current();
    let spec = manifest.spec.clone();
    let (base, roots): (PathBuf, Vec<PathBuf>) = if !inputs.is_empty() {
        let mut roots = inputs.to_vec();
        roots.sort();
        (PathBuf::new(), roots)
    } else {
        let spec_path = manifest.spec_path.as_ref().context(
            "the release records no spec file (an ad hoc build): give its inputs with --input",
        )?;
        let spec_file = PathBuf::from(spec_path);
        let (on_disk, _) = crate::spec::Spec::load(&spec_file)
            .with_context(|| format!("reading the recorded spec {spec_path} (run from the directory the release was built in)"))?;
        if on_disk != spec {
            bail!("the spec at {spec_path} differs from the one the release was built from");
        }
        let base = spec_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let roots = spec.inputs.iter().map(|i| base.join(i)).collect();
        (base, roots)
    };
    let tmp = tempfile::tempdir().context("creating a temporary directory")?;
    let config = BuildConfig {
        rules_dir: spec.rules.as_ref().map(|r| base.join(r)),
        spec,
        spec_path: manifest.spec_path.clone(),
        roots,
        out_dir: tmp.path().to_path_buf(),
        threads: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        on_error: if manifest.options.on_error == "quarantine" {
            OnError::Quarantine
        } else {
            OnError::Fail
        },
        limits: Limits {
            max_article_bytes: manifest.options.max_article_bytes as usize,
        },
        without_text: manifest.options.without_text,
        writer: manifest.parquet.clone(),
        shard: manifest
            .options
            .shard
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(anyhow::Error::msg)?,
        progress: false,
    };
    let rebuilt = crate::release::build(&config).context("rebuilding")?.path;
    let tool_note = if current != manifest.built_with {
        format!(
            " (note: the release was built with claimset {} / {} / parquet {}, this is claimset {} / {} / parquet {})",
            manifest.built_with.claimset,
            manifest.built_with.rustc,
            manifest.built_with.parquet,
            current.claimset,
            current.rustc,
            current.parquet
        )
    } else {
        String::new()
    };
    let new_manifest = Manifest::read(&rebuilt)?;
    let mut files: Vec<&str> = manifest
        .data_files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    files.extend(manifest.files.iter().map(|f| f.path.as_str()));
    let mut new_files: Vec<&str> = new_manifest
        .data_files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    new_files.extend(new_manifest.files.iter().map(|f| f.path.as_str()));
    if files != new_files {
        bail!("the rebuild has files {new_files:?}, the release {files:?}{tool_note}");
    }
    for f in &files {
        let (a, b) = (
            std::fs::read(release.join(f))?,
            std::fs::read(rebuilt.join(f))?,
        );
        if a != b {
            let row = if f.starts_with("data/") {
                first_differing_row(&release.join(f), &rebuilt.join(f))?
            } else {
                None
            };
            match row {
                Some(row) => bail!("{f} differs from the rebuild, first at row {row}{tool_note}"),
                None => bail!("{f} differs from the rebuild{tool_note}"),
            }
        }
    }
    let strip = |m: &Manifest| {
        let mut m = m.clone();
        m.built_with = current.clone();
        m.manifest_sha256 = String::new();
        m
    };
    if strip(&manifest) != strip(&new_manifest) {
        bail!("manifest.json differs from the rebuild's{tool_note}");
    }
    if !tool_note.is_empty() {
        eprintln!("claimset: identical rebuild{tool_note}");
    }
    Ok(())
}

fn first_differing_row(a: &Path, b: &Path) -> anyhow::Result<Option<u64>> {
    let mut sa = crate::write::RecordStream::open(a)?;
    let mut sb = crate::write::RecordStream::open(b)?;
    let mut row = 0u64;
    loop {
        let (ra, rb) = (sa.peek()?.cloned(), sb.peek()?.cloned());
        if ra != rb {
            return Ok(Some(row));
        }
        if ra.is_none() {
            return Ok(None);
        }
        sa.pop();
        sb.pop();
        row += 1;
    }
}
