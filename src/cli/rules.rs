//! `claimset rules list|explain|test`.

use super::args::RulesCommand;
use super::output::print_json;
use super::segment::load_rules;
use super::{EXIT_FAILED, EXIT_OK};
use anyhow::bail;
use std::io::Write;

pub fn run(command: RulesCommand) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    match command {
        RulesCommand::List { rules, json } => {
            let set = load_rules(rules.as_ref())?;
            for r in set.rules() {
                if json {
                    print_json(&mut out, r)?;
                } else {
                    writeln!(out, "{:<8} {:<12} {}", r.code, r.label, r.name)?;
                }
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Explain { code, rules } => {
            let set = load_rules(rules.as_ref())?;
            let Some(r) = set
                .rules()
                .iter()
                .find(|r| r.code.eq_ignore_ascii_case(&code))
            else {
                bail!("no rule with code `{code}` (see `claimset rules list`)");
            };
            writeln!(
                out,
                "{} ({}) — {}\ndefined in {}\n\n{}\n",
                r.code,
                r.label,
                r.name,
                r.file,
                r.doc.trim()
            )?;
            writeln!(out, "fires on:")?;
            for e in &r.examples.positive {
                writeln!(out, "  + {e}")?;
            }
            writeln!(out, "does not fire on:")?;
            for e in &r.examples.negative {
                writeln!(out, "  - {e}")?;
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Test { rules } => {
            let set = load_rules(rules.as_ref())?;
            let failures = set.test_examples();
            let examples: usize = set
                .rules()
                .iter()
                .map(|r| r.examples.positive.len() + r.examples.negative.len())
                .sum();
            for f in &failures {
                let expected = if f.expected_fire {
                    "should fire"
                } else {
                    "should not fire"
                };
                writeln!(
                    out,
                    "FAIL {} {expected}: {} ({})",
                    f.code, f.example, f.message
                )?;
            }
            writeln!(
                out,
                "{} rules, {} examples: {} passed, {} failed",
                set.rules().len(),
                examples,
                examples - failures.len(),
                failures.len()
            )?;
            Ok(if failures.is_empty() {
                EXIT_OK
            } else {
                EXIT_FAILED
            })
        }
    }
}
