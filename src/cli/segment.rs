//! `claimset segment` and `claimset label`: the pipeline's first stages on one input, to stdout.

use super::EXIT_OK;
use super::args::{LabelArgs, SegmentArgs};
use super::output::print_json;
use crate::label::RuleSet;
use crate::read::{self, Article, FieldMap, Limits};
use crate::segment::{Segmenter, Unit};
use anyhow::Context;
use sha2::Digest;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The articles of a file (any input format), or stdin as one plain-text article.
pub fn articles(file: Option<&Path>) -> anyhow::Result<Vec<Article>> {
    match file {
        Some(path) if path != Path::new("-") => {
            let (files, _) = read::discover(&[path.to_path_buf()])?;
            let mut out = Vec::new();
            for f in &files {
                let mut problem = None;
                read::read_file(
                    f,
                    &FieldMap::default(),
                    Limits::default(),
                    &mut |item| match item {
                        Ok(a) => out.push(a),
                        Err(e) => {
                            problem.get_or_insert(e);
                        }
                    },
                )?;
                if let Some(e) = problem {
                    return Err(e.into());
                }
            }
            Ok(out)
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("reading stdin")?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow::anyhow!(
                    "stdin: byte {}: invalid UTF-8",
                    e.utf8_error().valid_up_to()
                )
            })?;
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text);
            Ok(vec![Article {
                article_id: hex::encode(sha2::Sha256::digest(text.as_bytes())),
                input: "-".into(),
                body: 0..text.len(),
                text,
                publisher: None,
                url: None,
                date: None,
                author: None,
            }])
        }
    }
}

pub fn run_segment(args: SegmentArgs) -> anyhow::Result<u8> {
    let segmenter = Segmenter::new(args.unit.into());
    let articles = articles(args.file.as_deref())?;
    let multi = articles.len() > 1;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for article in &articles {
        for s in segmenter.segment(&article.text) {
            let mut value = serde_json::json!({
                "text": &article.text[s.byte_start..s.byte_end],
                "kind": s.kind.as_str(),
                "char_start": s.char_start,
                "char_end": s.char_end,
                "byte_start": s.byte_start,
                "byte_end": s.byte_end,
            });
            if multi {
                value["input"] = article.input.clone().into();
            }
            print_json(&mut out, &value)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

pub fn load_rules(dir: Option<&PathBuf>) -> anyhow::Result<RuleSet> {
    Ok(match dir {
        Some(dir) => RuleSet::load(dir)?,
        None => RuleSet::bundled()?,
    })
}

pub fn run_label(args: LabelArgs) -> anyhow::Result<u8> {
    let rules = load_rules(args.rules.as_ref())?;
    let unit: Unit = args.unit.into();
    let segmenter = Segmenter::new(unit);
    let articles = articles(args.file.as_deref())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for article in &articles {
        for (index, s) in segmenter.segment(&article.text).iter().enumerate() {
            let text = &article.text[s.byte_start..s.byte_end];
            let labels = rules.label(
                &article.text,
                s.byte_start,
                s.byte_end,
                s.char_start,
                s.kind.as_str(),
            );
            if args.json {
                let value = serde_json::json!({
                    "input": article.input,
                    "sentence_index": index,
                    "kind": s.kind.as_str(),
                    "char_start": s.char_start,
                    "char_end": s.char_end,
                    "text": text,
                    "stance": labels.stance.as_str(),
                    "stances": labels.stances.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                    "actors": labels.actors,
                    "abstain": labels.is_abstain(),
                    "evidence": labels.evidence,
                });
                print_json(&mut out, &value)?;
            } else {
                let stances: Vec<&str> = labels.stances.iter().map(|s| s.as_str()).collect();
                writeln!(
                    out,
                    "{index:>3} {:<8} {:<11} [{}] actors: {}",
                    s.kind.as_str(),
                    labels.stance.as_str(),
                    stances.join(","),
                    labels.actors.join(",")
                )?;
                writeln!(out, "    {}", text)?;
                for e in &labels.evidence {
                    let span: String = article
                        .text
                        .chars()
                        .skip(e.char_start as usize)
                        .take((e.char_end - e.char_start) as usize)
                        .collect();
                    writeln!(
                        out,
                        "    ↳ {} {} ({}) «{}» @{}..{}",
                        e.rule,
                        e.label,
                        e.mode.as_str(),
                        span,
                        e.char_start,
                        e.char_end
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
