//! The audit as a terminal table.

use super::report::*;
use std::fmt::Write;

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// A plain-text summary: headline numbers, labels per split, rules, gates.
pub fn render_summary(a: &Audit) -> String {
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(
        w,
        "audit {} {}: {}",
        a.dataset.name,
        a.dataset.version,
        a.status.as_str().to_uppercase()
    );
    let ar = &a.articles;
    let _ = writeln!(
        w,
        "  articles      {:>9}  empty {} ({})  duplicates {} ({}) in {} groups  near-duplicates {} ({}) in {} clusters",
        ar.total,
        ar.empty,
        pct(ar.empty_rate),
        ar.duplicates,
        pct(ar.duplicate_rate),
        ar.duplicate_groups,
        ar.near.near_duplicates,
        pct(ar.near.rate),
        ar.near.clusters
    );
    let se = &a.sentences;
    if se.text_available {
        let _ = writeln!(
            w,
            "  sentences     {:>9}  empty {}  whitespace-only {}  invisible-only {}  short (<{}) {}  long (>{}) {}",
            se.total,
            se.empty,
            se.whitespace_only,
            se.invisible_only,
            a.settings.min_sentence_chars,
            se.too_short,
            a.settings.max_sentence_chars,
            se.too_long
        );
        let _ = writeln!(
            w,
            "                           duplicates {} ({}) in {} groups  near-duplicates {} ({}) in {} clusters",
            se.duplicates,
            pct(se.duplicate_rate),
            se.duplicate_groups,
            se.near.near_duplicates,
            pct(se.near.rate),
            se.near.clusters
        );
    } else {
        let _ = writeln!(
            w,
            "  sentences     {:>9}  (built without text: text checks skipped)",
            se.total
        );
    }
    let _ = writeln!(
        w,
        "  length        mean {:.1}  p50 {}  p90 {}  p99 {}  max {} characters",
        se.length.mean, se.length.p50, se.length.p90, se.length.p99, se.length.max
    );
    let lk = &a.leakage;
    let _ = writeln!(
        w,
        "  leakage       {} of {} validation/test sentences ({}): exact {}, near {}; articles near {} of {}",
        lk.exact + lk.near,
        lk.eval_sentences,
        pct(lk.rate),
        lk.exact,
        lk.near,
        lk.articles.exact + lk.articles.near,
        lk.articles.eval_articles
    );
    let lc = &a.label_conflicts;
    let _ = writeln!(
        w,
        "  conflicts     {} texts with different labels, {} sentences ({})",
        lc.groups,
        lc.sentences,
        pct(lc.rate)
    );
    if let Some(all) = a.labels.splits.iter().find(|s| s.split == "all") {
        let _ = writeln!(
            w,
            "  abstain       {} ({})  decided none {}  imbalance {:.2} ({} / {})",
            all.abstain,
            pct(all.abstain_rate),
            all.decided_none,
            a.labels.imbalance.ratio,
            a.labels.imbalance.majority,
            a.labels.imbalance.minority
        );
    }
    let _ = writeln!(
        w,
        "\n  {:<11} {:>8} {:>9} {:>11} {:>8} {:>11} {:>9} {:>9} {:>8}",
        "split",
        "articles",
        "sentences",
        "cooperation",
        "threat",
        "reassurance",
        "none",
        "abstain",
        "actors"
    );
    for t in &a.labels.splits {
        let g = |l: &str| t.stances.get(l).copied().unwrap_or(0);
        let _ = writeln!(
            w,
            "  {:<11} {:>8} {:>9} {:>11} {:>8} {:>11} {:>9} {:>9} {:>8}",
            t.split,
            t.articles,
            t.sentences,
            g("cooperation"),
            g("threat"),
            g("reassurance"),
            t.decided_none,
            t.abstain,
            t.distinct_actors
        );
    }
    let _ = writeln!(
        w,
        "\n  {:<9} {:<7} {:>9} {:>9} {:>9} {:>9}",
        "rule", "kind", "sentences", "coverage", "overlap", "conflict"
    );
    for r in &a.rules.rules {
        let _ = writeln!(
            w,
            "  {:<9} {:<7} {:>9} {:>9} {:>9} {:>9}",
            r.rule,
            r.kind,
            r.sentences,
            pct(r.coverage),
            pct(r.overlap),
            pct(r.conflict)
        );
    }
    let _ = writeln!(
        w,
        "  stance rules cover {} of sentences; {} sentences ({}) have conflicting rules",
        pct(a.rules.coverage),
        a.rules.conflicting,
        pct(a.rules.conflict_rate)
    );
    if let Some(g) = &a.gold {
        let _ = writeln!(
            w,
            "\n  gold {}: {} sentences, {} articles found ({} missing), {} release sentences scored",
            g.gold_file,
            g.gold_sentences,
            g.articles_found,
            g.articles_missing.len(),
            g.sentences_scored
        );
        let _ = writeln!(
            w,
            "  {:<9} {:>6} {:>8} {:>6} {:>9}",
            "rule", "votes", "correct", "wrong", "precision"
        );
        for r in &g.rules {
            let _ = writeln!(
                w,
                "  {:<9} {:>6} {:>8} {:>6} {:>9.3}",
                r.rule, r.fired, r.correct, r.wrong, r.precision
            );
        }
    }
    let d = &a.drift;
    match (&d.parent, d.found) {
        (Some(parent), true) => {
            let all = d.rows.iter().find(|r| r.split == "all");
            let _ = writeln!(
                w,
                "\n  drift vs {parent}: rows {} → {}, label JSD {:.4}",
                all.map(|r| r.parent_rows).unwrap_or(0),
                all.map(|r| r.rows).unwrap_or(0),
                d.label_jsd.get("all").copied().unwrap_or(0.0)
            );
        }
        _ => {
            let _ = writeln!(
                w,
                "\n  drift: {}",
                d.note.as_deref().unwrap_or("no parent release")
            );
        }
    }
    let b = &a.build;
    if b.quarantined_total > 0 || !b.filters.is_empty() || b.ignored_files_total > 0 {
        let filters: Vec<String> = b
            .filters
            .iter()
            .map(|f| {
                format!(
                    "{} removed {} articles, {} sentences",
                    f.filter, f.removed_articles, f.removed_sentences
                )
            })
            .collect();
        let mut line = format!(
            "  build         quarantined {}  ignored files {}",
            b.quarantined_total, b.ignored_files_total
        );
        if !filters.is_empty() {
            line.push_str("  filters: ");
            line.push_str(&filters.join("; "));
        }
        let _ = writeln!(w, "{line}");
    }
    if !a.schema.ok {
        let _ = writeln!(
            w,
            "  schema        problems: {}",
            a.schema
                .violations
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(w, "\n  gates");
    for g in &a.gates {
        let op = match (g.bound.as_str(), g.ok) {
            ("max", true) => "<=",
            ("max", false) => "> ",
            (_, true) => ">=",
            (_, false) => "< ",
        };
        let _ = writeln!(
            w,
            "  {} {:<34} {} {op} {}",
            if g.ok { "ok  " } else { "MISS" },
            g.gate,
            g.value,
            g.limit
        );
    }
    s
}
