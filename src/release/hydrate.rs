//! `claimset hydrate`: a text-free release (`build --without-text`) plus the user's own copy of the
//! sources gives back the full release. Every restored sentence is checked against its
//! `text_sha256`; the result is byte-identical to a release built with text.

use super::build::stage_and_publish;
use super::build::{BuildReport, data_file_name, seal};
use super::publish::release_dir;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::read::{self, Limits};
use crate::record::text_sha256;
use crate::write::{ARTICLES_FILE, ArticleWriter, RecordStream, SplitWriter, read_articles};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub fn hydrate(release: &Path, inputs: &[PathBuf], out: &Path) -> Result<BuildReport> {
    crate::verify::verify(release)?;
    let base = Manifest::read(release)?;
    if !base.options.without_text {
        return Err(Error::Usage(format!(
            "{} already carries its text",
            release.display()
        )));
    }
    // The articles the release refers to, by `input`, from the user's sources.
    let (files, _) = read::discover(inputs)?;
    let limits = Limits {
        max_article_bytes: base.options.max_article_bytes as usize,
    };
    let mut texts: HashMap<String, String> = HashMap::new();
    for file in &files {
        let mut problem = None;
        read::read_file(file, &base.spec.fields, limits, &mut |item| match item {
            Ok(a) => {
                texts.insert(a.input, a.text);
            }
            Err(e) => {
                problem.get_or_insert(e);
            }
        })?;
        let _ = problem;
    }

    let mut manifest = base.clone();
    manifest.options.without_text = false;
    let target = release_dir(out, &manifest.dataset.name, &manifest.dataset.version);
    stage_and_publish(target, |staging| {
        std::fs::create_dir_all(staging.join("data"))
            .map_err(|e| Error::io(staging.join("data"), e))?;
        let mut writers: [Option<SplitWriter>; 3] = [None, None, None];
        for (split, slot) in writers.iter_mut().enumerate() {
            let name = data_file_name(split);
            if !base.data_files.iter().any(|f| f.path == name) {
                continue;
            }
            let mut stream = RecordStream::open(&release.join(&name))?;
            let mut writer = SplitWriter::create(&staging.join(&name), &base.parquet)?;
            while stream.peek()?.is_some() {
                let mut record = stream.pop().expect("peeked");
                let article = texts.get(&record.input).ok_or_else(|| {
                    Error::Release(format!(
                        "input {} is not among the given sources",
                        record.input
                    ))
                })?;
                let text = article
                    .get(record.byte_start as usize..record.byte_end as usize)
                    .ok_or_else(|| {
                        Error::Release(format!(
                            "{}: offsets {}..{} are outside the source article",
                            record.input, record.byte_start, record.byte_end
                        ))
                    })?;
                if text_sha256(text) != record.text_sha256 {
                    return Err(Error::Release(format!(
                        "{} sentence {}: the source text differs from the release (text_sha256 mismatch); is this the same version of the source?",
                        record.input, record.sentence_index
                    )));
                }
                record.text = Some(text.to_string());
                let hash = record.hash();
                writer.push(record, &hash)?;
            }
            *slot = Some(writer);
        }
        let mut table = ArticleWriter::create(&staging.join(ARTICLES_FILE), &base.parquet)?;
        for a in read_articles(&release.join(ARTICLES_FILE))? {
            table.push(a)?;
        }
        table.finish()?;
        seal(
            staging,
            manifest,
            writers,
            crate::audit::AuditOptions::default().threads,
        )
    })
}
