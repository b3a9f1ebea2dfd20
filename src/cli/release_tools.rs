//! `claimset diff`, `export` and `hydrate`: working with published releases.

use super::args::{DiffArgs, ExportArgs, ExportFormat, HydrateArgs};
use super::build::print_summary;
use super::output::print_json;
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::manifest::Manifest;
use crate::write::read_data_file;
use anyhow::Context;
use std::io::Write;

pub fn run_diff(args: DiffArgs) -> anyhow::Result<u8> {
    let report = crate::diff::diff(&args.old, &args.new)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        print_json(&mut out, &report)?;
    } else {
        writeln!(out, "{} → {}", report.old, report.new)?;
        writeln!(
            out,
            "  rows {} → {}: {} added, {} removed, {} relabeled, {} moved to another split",
            report.old_rows,
            report.new_rows,
            report.added,
            report.removed,
            report.relabeled,
            report.split_moves
        )?;
        if !report.transitions.is_empty() {
            writeln!(out, "  stance transitions (old → new, records in both):")?;
            for (from, to) in &report.transitions {
                let cells: Vec<String> = to.iter().map(|(k, v)| format!("{k} {v}")).collect();
                writeln!(out, "    {from:<12} → {}", cells.join(", "))?;
            }
        }
        for (code, (a, b)) in &report.rule_changes {
            writeln!(out, "  rule {code}: fired on {a} → {b} records")?;
        }
        for e in report.examples.iter().take(5) {
            writeln!(
                out,
                "  e.g. {} {:?} → {:?}",
                &e.record_id[..12],
                e.old_stances,
                e.new_stances
            )?;
        }
        writeln!(
            out,
            "  needs a {:?} bump; the version change is a {:?} bump: {}",
            report.required_bump,
            report.actual_bump,
            if report.version_ok { "ok" } else { "TOO SMALL" }
        )?;
    }
    Ok(if report.version_ok {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

pub fn run_export(args: ExportArgs) -> anyhow::Result<u8> {
    crate::verify::verify(&args.release)?;
    let manifest = Manifest::read(&args.release)?;
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(sink);
    match args.format {
        ExportFormat::Jsonl => {
            for f in &manifest.data_files {
                let mut failure = None;
                read_data_file(&args.release.join(&f.path), &mut |records| {
                    for r in records {
                        if let Err(e) = print_json(&mut out, &r) {
                            failure = Some(e);
                            return Err(crate::Error::Release("export stopped".into()));
                        }
                    }
                    Ok(())
                })
                .map_err(|e| failure.take().unwrap_or_else(|| e.into()))?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

pub fn run_hydrate(args: HydrateArgs) -> anyhow::Result<u8> {
    let report = crate::release::hydrate(&args.release, &args.inputs, &args.out)
        .context("hydrating (nothing was published)")?;
    print_summary(&report, args.json, args.quiet)?;
    Ok(EXIT_OK)
}
