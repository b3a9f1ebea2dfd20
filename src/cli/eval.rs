//! `claimset eval --gold FILE`: scores as a table or `--json`.

use super::EXIT_OK;
use super::args::EvalArgs;
use super::output::print_json;
use super::segment::load_rules;
use crate::eval::{evaluate, read_gold, read_persons};
use crate::segment::{Segmenter, Unit};
use std::io::Write;

pub fn run(args: EvalArgs) -> anyhow::Result<u8> {
    let rules = load_rules(args.rules.as_ref())?;
    let base = args
        .gold
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let articles = args
        .articles
        .clone()
        .unwrap_or_else(|| base.join("articles"));
    let persons = read_persons(
        &args
            .persons
            .clone()
            .unwrap_or_else(|| base.join("persons.json")),
    )?;
    let gold = read_gold(&args.gold)?;
    let report = evaluate(
        &gold,
        &articles,
        &persons,
        &rules,
        &Segmenter::new(Unit::Sentence),
    )?;
    let mut out = std::io::stdout().lock();
    if args.json {
        print_json(&mut out, &report)?;
        return Ok(EXIT_OK);
    }
    writeln!(
        out,
        "{} articles, {} gold sentences",
        report.articles, report.sentences
    )?;
    writeln!(
        out,
        "{:<22} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5}",
        "", "P", "R", "F1", "tp", "fp", "fn"
    )?;
    let row = |out: &mut dyn Write, name: &str, s: &crate::eval::Score| {
        writeln!(
            out,
            "{name:<22} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>5} {:>5}",
            s.precision, s.recall, s.f1, s.tp, s.fp, s.fn_
        )
    };
    for (label, s) in &report.labels {
        row(&mut out, label, s)?;
    }
    row(&mut out, "stance micro", &report.micro)?;
    writeln!(out, "{:<22} {:>20.3}", "stance macro F1", report.macro_f1)?;
    row(&mut out, "actors (by id)", &report.actors)?;
    row(&mut out, "actors (state level)", &report.actors_state)?;
    row(&mut out, "segmentation spans", &report.segmentation)?;
    if args.errors > 0 && !report.errors.is_empty() {
        writeln!(
            out,
            "\nerrors ({} sentences; first {}):",
            report.errors.len(),
            args.errors.min(report.errors.len())
        )?;
        for e in report.errors.iter().take(args.errors) {
            writeln!(
                out,
                "{}:{}..{} gold {:?} {:?} / got {:?} {:?}\n    {}",
                e.file,
                e.start,
                e.end,
                e.gold_stances,
                e.gold_actors,
                e.predicted_stances,
                e.predicted_actors,
                e.text
            )?;
        }
    }
    Ok(EXIT_OK)
}
