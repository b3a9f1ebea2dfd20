//! `audit.html`: one self-contained page (inline CSS and SVG charts; no script, no font, no image,
//! no network). Every text from the data is HTML-escaped and shown in its own bidi-isolated,
//! direction-auto element, so Arabic examples read right to left without disturbing the layout.
//! Like `audit.json`, it depends only on the audit: the same release gives the same bytes.

use super::report::*;
use std::fmt::Write;

const COLORS: [(&str, &str); 5] = [
    ("cooperation", "#2e7d32"),
    ("threat", "#c62828"),
    ("reassurance", "#1565c0"),
    ("decided none", "#8d8d8d"),
    ("abstain", "#d9d9d9"),
];

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// 310303 → "310,303".
fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// A data text, escaped; invisible format characters (bidi controls, zero-width characters) are
/// shown as their code points. Goes inside an element with `dir="auto"`.
fn tb(s: &str) -> String {
    let mut out = String::new();
    let mut plain = String::new();
    for c in s.chars() {
        if super::sentences::is_invisible(c) {
            out.push_str(&esc(&plain));
            plain.clear();
            let _ = write!(out, "<span class=\"cp\">U+{:04X}</span>", c as u32);
        } else {
            plain.push(c);
        }
    }
    out.push_str(&esc(&plain));
    out
}

/// A data text inline: isolated, direction from its content.
fn t(s: &str) -> String {
    format!("<bdi dir=\"auto\">{}</bdi>", tb(s))
}

/// A table cell holding a data text: aligned and ordered by the text's own direction.
fn td_text(s: &str) -> String {
    format!("<td class=\"txt\" dir=\"auto\">{}</td>", tb(s))
}

const CSS: &str = r#"
:root{--fg:#1d232b;--muted:#5d6875;--line:#dfe3e8;--bg:#f6f7f9;--card:#fff;--ok:#2e7d32;--warn:#b26a00;--fail:#c62828}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,"Segoe UI","Noto Sans","Noto Sans Arabic","DejaVu Sans",Arial,sans-serif}
main{max-width:1200px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:16px 0 6px;color:var(--muted)}
header{display:flex;align-items:center;gap:14px;flex-wrap:wrap}
.sub{color:var(--muted);font-size:13px}
.badge{font-weight:700;color:#fff;border-radius:4px;padding:3px 10px;font-size:13px;letter-spacing:.04em}
.pass{background:var(--ok)}.warn{background:var(--warn)}.fail{background:var(--fail)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(175px,1fr));gap:10px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:9px 12px}
.card .v{font-size:20px;font-weight:650}
.card .k{color:var(--muted);font-size:12px}
.card .r{color:var(--muted);font-size:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:12px 14px;margin:10px 0;overflow-x:auto}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:start;vertical-align:top}
th{color:var(--muted);font-weight:600;background:#fafbfc}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
td.txt{max-width:640px;min-width:340px;overflow-wrap:anywhere}
bdi{unicode-bidi:isolate}
code{white-space:nowrap}
.cp{font:11px monospace;color:#8a5a00;background:#fff4e0;border-radius:3px;padding:0 3px;margin:0 1px}
table.narrow{width:auto;min-width:55%}
.mh{color:var(--muted);font-size:12px}
.mt{margin:1px 0 6px}
.ok{color:var(--ok);font-weight:600}.miss{color:var(--fail);font-weight:700}
.note{color:var(--muted);font-style:italic}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:var(--muted);margin:4px 0 6px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-inline-end:4px;vertical-align:-1px}
svg text{font-family:inherit}
footer{margin-top:36px;color:var(--muted);font-size:12px}
"#;

pub fn render_html(a: &Audit) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = format!("claimset audit: {} {}", a.dataset.name, a.dataset.version);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&title)
    );
    header(&mut h, a);
    cards(&mut h, a);
    gates(&mut h, a);
    labels(&mut h, a);
    lengths(&mut h, a);
    rules(&mut h, a);
    drift(&mut h, a);
    duplicates(&mut h, a);
    leakage(&mut h, a);
    conflicts(&mut h, a);
    if let Some(g) = &a.gold {
        gold(&mut h, g);
    }
    problems(&mut h, a);
    settings(&mut h, a);
    let _ = write!(
        h,
        "<footer>audit format {} · made by claimset from the release's files alone; \
         <code>claimset audit RELEASE</code> recomputes it.</footer>\n</main>\n</body>\n</html>\n",
        a.audit_version
    );
    h
}

fn header(h: &mut String, a: &Audit) {
    let status = a.status.as_str();
    let _ = write!(
        h,
        "<header><h1>{} <span class=\"sub\">{}</span></h1>\
         <span class=\"badge {status}\">{}</span></header>\n\
         <div class=\"sub\">data-quality audit · content sha256 <code>{}</code>{}</div>\n",
        esc(&a.dataset.name),
        esc(&a.dataset.version),
        status.to_uppercase(),
        esc(&a.dataset.content_sha256),
        match &a.dataset.parent {
            Some(p) => format!(" · parent {}", esc(p)),
            None => String::new(),
        }
    );
}

fn card(h: &mut String, value: &str, key: &str, rest: &str) {
    let _ = write!(
        h,
        "<div class=\"card\"><div class=\"v\">{value}</div><div class=\"k\">{}</div><div class=\"r\">{}</div></div>",
        esc(key),
        esc(rest)
    );
}

fn cards(h: &mut String, a: &Audit) {
    h.push_str("<div class=\"cards\">");
    let ar = &a.articles;
    let se = &a.sentences;
    card(
        h,
        &num(ar.total),
        "articles",
        &format!("{} sentences", num(se.total)),
    );
    card(
        h,
        &num(ar.empty),
        "articles with no text",
        &pct(ar.empty_rate),
    );
    card(
        h,
        &num(ar.duplicates),
        "duplicate articles",
        &format!(
            "{} · {} groups",
            pct(ar.duplicate_rate),
            num(ar.duplicate_groups)
        ),
    );
    card(
        h,
        &num(ar.near.near_duplicates),
        "near-duplicate articles",
        &format!("{} · {} clusters", pct(ar.near.rate), num(ar.near.clusters)),
    );
    card(
        h,
        &num(se.duplicates),
        "duplicate sentences",
        &format!(
            "{} · {} groups",
            pct(se.duplicate_rate),
            num(se.duplicate_groups)
        ),
    );
    card(
        h,
        &num(se.near.near_duplicates),
        "near-duplicate sentences",
        &format!("{} · {} clusters", pct(se.near.rate), num(se.near.clusters)),
    );
    let lk = &a.leakage;
    card(
        h,
        &num(lk.exact + lk.near),
        "leaked eval sentences",
        &format!(
            "{} · exact {} · near {}",
            pct(lk.rate),
            num(lk.exact),
            num(lk.near)
        ),
    );
    card(
        h,
        &num(lk.articles.exact + lk.articles.near),
        "leaked eval articles",
        &format!(
            "{} of {}",
            pct(lk.articles.rate),
            num(lk.articles.eval_articles)
        ),
    );
    card(
        h,
        &num(a.label_conflicts.sentences),
        "label conflicts",
        &format!(
            "{} · {} texts",
            pct(a.label_conflicts.rate),
            num(a.label_conflicts.groups)
        ),
    );
    if let Some(all) = a.labels.splits.iter().find(|s| s.split == "all") {
        card(
            h,
            &pct(all.abstain_rate),
            "abstain rate",
            &format!(
                "{} abstain · {} decided none",
                num(all.abstain),
                num(all.decided_none)
            ),
        );
    }
    card(
        h,
        &format!("{:.2}", a.labels.imbalance.ratio),
        "class imbalance",
        &format!(
            "{} / {}",
            a.labels.imbalance.majority, a.labels.imbalance.minority
        ),
    );
    card(
        h,
        &num(se.empty + se.whitespace_only + se.invisible_only + se.too_short + se.too_long),
        "odd-length sentences",
        &format!(
            "empty {} · short {} · long {}",
            num(se.empty + se.whitespace_only + se.invisible_only),
            num(se.too_short),
            num(se.too_long)
        ),
    );
    h.push_str("</div>\n");
}

fn gates(h: &mut String, a: &Audit) {
    h.push_str("<h2>Gates</h2><div class=\"panel\"><table><tr><th>gate</th><th class=\"n\">value</th><th class=\"n\">limit</th><th>result</th></tr>");
    for g in &a.gates {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{} {}</td><td class=\"{}\">{}</td></tr>",
            esc(&g.gate),
            g.value,
            if g.bound == "max" { "≤" } else { "≥" },
            g.limit,
            if g.ok { "ok" } else { "miss" },
            if g.ok { "ok" } else { "missed" }
        );
    }
    h.push_str("</table>");
    if a.gates.len() == 1 {
        h.push_str("<p class=\"note\">The spec sets no gate of its own (its <code>[audit]</code> table); only schema problems are gated.</p>");
    }
    let _ = writeln!(
        h,
        "<p class=\"sub\">A missed gate makes the status <b>warn</b> (exit 1){}.</p></div>",
        if a.settings.fail {
            ", and here <b>fail</b> (exit 2, nothing published): the spec sets fail = true"
        } else {
            "; with fail = true in the spec it would be <b>fail</b> (exit 2, nothing published)"
        }
    );
}

fn legend(h: &mut String, items: &[(&str, &str)]) {
    h.push_str("<div class=\"legend\">");
    for (name, color) in items {
        let _ = write!(
            h,
            "<span><span class=\"sw\" style=\"background:{color}\"></span>{}</span>",
            esc(name)
        );
    }
    h.push_str("</div>");
}

fn labels(h: &mut String, a: &Audit) {
    h.push_str("<h2>Labels per split</h2><div class=\"panel\">");
    legend(h, &COLORS);
    // Stacked bars: primary stance, with none split into decided none and abstain.
    let (w, row, left, right) = (1100.0, 34.0, 90.0, 110.0);
    let rows = &a.labels.splits;
    let height = row * rows.len() as f64 + 8.0;
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {w} {height}\" width=\"100%\" role=\"img\" aria-label=\"labels per split\">"
    );
    for (k, s) in rows.iter().enumerate() {
        let y = 4.0 + k as f64 * row;
        let g = |l: &str| s.stance.get(l).copied().unwrap_or(0);
        let parts = [
            g("cooperation"),
            g("threat"),
            g("reassurance"),
            s.decided_none,
            s.abstain,
        ];
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"13\">{}</text>",
            left - 8.0,
            y + 18.0,
            esc(&s.split)
        );
        let total: u64 = parts.iter().sum();
        let span = w - left - right;
        let mut x = left;
        if total == 0 {
            let _ = write!(
                h,
                "<rect x=\"{left:.1}\" y=\"{y:.1}\" width=\"{span:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#dfe3e8\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#5d6875\">no sentences</text>",
                row - 10.0,
                left + 8.0,
                y + 17.0
            );
        }
        for (p, (name, color)) in parts.iter().zip(COLORS.iter()) {
            if total == 0 || *p == 0 {
                continue;
            }
            let width = span * *p as f64 / total as f64;
            let _ = write!(
                h,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{} {}: {} ({})</title></rect>",
                row - 10.0,
                esc(&s.split),
                name,
                num(*p),
                pct(*p as f64 / total as f64)
            );
            if width > 58.0 {
                let fill = if *name == "abstain" {
                    "#1d232b"
                } else {
                    "#fff"
                };
                let _ = write!(
                    h,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{fill}\">{}</text>",
                    x + 4.0,
                    y + 16.0,
                    pct(*p as f64 / total as f64)
                );
            }
            x += width;
        }
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#5d6875\">{} sent.</text>",
            w - right + 8.0,
            y + 17.0,
            num(total)
        );
    }
    h.push_str("</svg>");
    h.push_str("<table><tr><th>split</th><th class=\"n\">articles</th><th class=\"n\">sentences</th><th class=\"n\">cooperation</th><th class=\"n\">threat</th><th class=\"n\">reassurance</th><th class=\"n\">decided none</th><th class=\"n\">abstain</th><th class=\"n\">abstain rate</th><th class=\"n\">with actors</th><th class=\"n\">actors</th><th>languages</th></tr>");
    for s in rows {
        let g = |l: &str| s.stances.get(l).copied().unwrap_or(0);
        let langs: Vec<String> = s
            .langs
            .iter()
            .map(|(k, v)| format!("{} {}", esc(k), num(*v)))
            .collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&s.split),
            num(s.articles),
            num(s.sentences),
            num(g("cooperation")),
            num(g("threat")),
            num(g("reassurance")),
            num(s.decided_none),
            num(s.abstain),
            pct(s.abstain_rate),
            num(s.with_actors),
            num(s.distinct_actors),
            langs.join(", ")
        );
    }
    h.push_str("</table>");
    let im = &a.labels.imbalance;
    let me = &a.labels.min_examples;
    let _ = write!(
        h,
        "<p class=\"sub\">Bars: primary <code>stance</code>; table: sentences whose <code>stances</code> holds each label (multi-label). \
         Class imbalance {:.2} ({} {} / {} {}); fewest examples of a label in a split: {} {} in {}.</p>",
        im.ratio,
        esc(&im.majority),
        num(im.counts.get(&im.majority).copied().unwrap_or(0)),
        esc(&im.minority),
        num(im.counts.get(&im.minority).copied().unwrap_or(0)),
        num(me.count),
        esc(&me.label),
        esc(&me.split)
    );
    if !a.labels.actors.is_empty() {
        h.push_str("<h3>Most mentioned actors (sentences)</h3><table class=\"narrow\"><tr><th>actor</th><th class=\"n\">total</th><th class=\"n\">train</th><th class=\"n\">validation</th><th class=\"n\">test</th></tr>");
        for c in a.labels.actors.iter().take(20) {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&c.actor),
                num(c.total),
                num(c.train),
                num(c.validation),
                num(c.test)
            );
        }
        let _ = write!(
            h,
            "</table><p class=\"sub\">{} actors in all; audit.json lists every one.</p>",
            num(a.labels.actors.len() as u64)
        );
    }
    h.push_str("</div>\n");
}

fn lengths(h: &mut String, a: &Audit) {
    let se = &a.sentences;
    let l = &se.length;
    h.push_str("<h2>Sentence length</h2><div class=\"panel\">");
    let bins = &l.histogram;
    let (w, ht, left, bottom, top) = (1100.0, 250.0, 64.0, 42.0, 14.0);
    let max = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let span = w - left - 10.0;
    let bw = span / bins.len().max(1) as f64;
    let plot = ht - bottom - top;
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {w} {ht}\" width=\"100%\" role=\"img\" aria-label=\"sentence length histogram\">"
    );
    for k in 0..=4 {
        let v = max as f64 * k as f64 / 4.0;
        let y = top + plot - plot * k as f64 / 4.0;
        let _ = write!(
            h,
            "<line x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eceff3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#5d6875\">{}</text>",
            w - 10.0,
            left - 6.0,
            y + 4.0,
            num(v.round() as u64)
        );
    }
    for (k, b) in bins.iter().enumerate() {
        let x = left + k as f64 * bw;
        let bh = plot * b.count as f64 / max as f64;
        let odd = b.to.is_some_and(|to| to <= a.settings.min_sentence_chars)
            || b.from >= a.settings.max_sentence_chars;
        let label = match b.to {
            Some(to) if to == b.from + 1 => format!("{}", b.from),
            Some(to) => format!("{}–{}", b.from, to - 1),
            None => format!("≥{}", b.from),
        };
        let _ = write!(
            h,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{label} characters: {} sentences</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5d6875\">{label}</text>",
            x + 3.0,
            top + plot - bh,
            bw - 6.0,
            if odd { "#b26a00" } else { "#4f6d8f" },
            num(b.count),
            x + bw / 2.0,
            ht - bottom + 16.0
        );
        if b.count > 0 {
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#1d232b\">{}</text>",
                x + bw / 2.0,
                top + plot - bh - 3.0,
                num(b.count)
            );
        }
    }
    let _ = write!(
        h,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5d6875\">characters per sentence</text></svg>",
        left + span / 2.0,
        ht - 6.0
    );
    let _ = write!(
        h,
        "<p class=\"sub\">mean {:.1} · median {} · p90 {} · p99 {} · max {} characters. \
         Orange bins lie outside the bounds ({} to {} characters).</p>",
        l.mean,
        l.p50,
        l.p90,
        l.p99,
        l.max,
        a.settings.min_sentence_chars,
        a.settings.max_sentence_chars
    );
    if !se.text_available {
        h.push_str("<p class=\"note\">This release was built without text: lengths come from the offsets, and text checks were skipped.</p>");
    } else {
        let _ = write!(
            h,
            "<p>empty {} · whitespace-only {} · invisible characters only (bidi controls, zero-width) {} · shorter than {} characters {} · longer than {} characters {}</p>",
            num(se.empty),
            num(se.whitespace_only),
            num(se.invisible_only),
            a.settings.min_sentence_chars,
            num(se.too_short),
            a.settings.max_sentence_chars,
            num(se.too_long)
        );
        members_table(h, "Too short", &se.short_examples, true);
        members_table(h, "Too long", &se.long_examples, true);
    }
    h.push_str("</div>\n");
}

fn members_table(h: &mut String, title: &str, members: &[Member], with_text: bool) {
    if members.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h3>{}</h3><table><tr><th>input</th><th>split</th>{}</tr>",
        esc(title),
        if with_text {
            "<th class=\"n\">#</th><th>text</th>"
        } else {
            ""
        }
    );
    for m in members {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td>",
            esc(&m.input),
            esc(&m.split)
        );
        if with_text {
            let _ = write!(
                h,
                "<td class=\"n\">{}</td>{}",
                m.sentence_index.map(|i| i.to_string()).unwrap_or_default(),
                td_text(m.text.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
}

fn rules(h: &mut String, a: &Audit) {
    let r = &a.rules;
    h.push_str("<h2>Rules: coverage, overlap, conflict</h2><div class=\"panel\">");
    legend(
        h,
        &[
            ("coverage", "#4f6d8f"),
            ("overlap", "#9fb3c8"),
            ("conflict", "#c62828"),
        ],
    );
    let rows = &r.rules;
    let (w, row, left, right) = (1100.0, 22.0, 86.0, 300.0);
    let height = row * rows.len() as f64 + 10.0;
    let max = rows
        .iter()
        .map(|x| x.coverage)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let span = w - left - right;
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {w} {height}\" width=\"100%\" role=\"img\" aria-label=\"rule coverage and conflicts\">"
    );
    for (k, x) in rows.iter().enumerate() {
        let y = 4.0 + k as f64 * row;
        let cw = span * x.coverage / max;
        let ow = span * x.overlap / max;
        let fw = span * x.conflict / max;
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>\
             <rect x=\"{left:.1}\" y=\"{y:.1}\" width=\"{cw:.1}\" height=\"15\" fill=\"#4f6d8f\"><title>{}: coverage {} ({} sentences)</title></rect>\
             <rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{ow:.1}\" height=\"5\" fill=\"#9fb3c8\"><title>{}: overlap {}</title></rect>\
             <rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{fw:.1}\" height=\"5\" fill=\"#c62828\"><title>{}: conflict {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#5d6875\">{} · overlap {} · conflict {}</text>",
            left - 8.0,
            y + 12.0,
            esc(&x.rule),
            esc(&x.rule),
            pct(x.coverage),
            num(x.sentences),
            y + 15.0,
            esc(&x.rule),
            pct(x.overlap),
            y + 10.0 + 5.0 + 0.0,
            esc(&x.rule),
            pct(x.conflict),
            w - right + 8.0,
            y + 12.0,
            pct(x.coverage),
            pct(x.overlap),
            pct(x.conflict)
        );
    }
    h.push_str("</svg>");
    let _ = write!(
        h,
        "<p class=\"sub\">In Snorkel's terms, over all sentences: coverage = the rule fired; overlap = it and another stance rule fired; \
         conflict = another stance rule gave a label it did not. Stance rules cover {} of sentences ({} sentences); \
         {} sentences ({}) have conflicting stance rules. Actor rules name actors and cast no stance vote.</p>",
        pct(r.coverage),
        num(r.covered),
        num(r.conflicting),
        pct(r.conflict_rate)
    );
    h.push_str("<table><tr><th>rule</th><th>kind</th><th class=\"n\">sentences</th><th class=\"n\">coverage</th><th class=\"n\">overlap</th><th class=\"n\">conflict</th><th>labels (sentences)</th><th>modes (hits)</th></tr>");
    for x in rows {
        let labels: Vec<String> = x
            .labels
            .iter()
            .map(|(k, v)| format!("{} {}", esc(k), num(*v)))
            .collect();
        let modes: Vec<String> = x
            .modes
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| format!("{} {}", esc(k), num(*v)))
            .collect();
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&x.rule),
            esc(&x.kind),
            num(x.sentences),
            pct(x.coverage),
            pct(x.overlap),
            pct(x.conflict),
            labels.join(", "),
            modes.join(", ")
        );
    }
    h.push_str("</table></div>\n");
}

fn drift(h: &mut String, a: &Audit) {
    let d = &a.drift;
    h.push_str("<h2>Drift against the parent release</h2><div class=\"panel\">");
    if !d.found {
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p></div>",
            esc(d.note.as_deref().unwrap_or("no parent release"))
        );
        return;
    }
    let parent = d.parent.clone().unwrap_or_default();
    legend(h, &[("parent", "#9fb3c8"), ("this release", "#4f6d8f")]);
    let labels = ["cooperation", "threat", "reassurance", "none"];
    let (w, ht, left, bottom, top) = (1100.0, 210.0, 50.0, 30.0, 14.0);
    let max = d
        .labels_parent
        .values()
        .chain(d.labels_current.values())
        .fold(0.0f64, |m, v| m.max(*v))
        .max(1e-9);
    let plot = ht - bottom - top;
    let gw = (w - left - 10.0) / labels.len() as f64;
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {w} {ht}\" width=\"100%\" role=\"img\" aria-label=\"label distribution drift\">"
    );
    for (k, l) in labels.iter().enumerate() {
        let x = left + k as f64 * gw;
        for (j, (map, color, who)) in [
            (&d.labels_parent, "#9fb3c8", parent.as_str()),
            (&d.labels_current, "#4f6d8f", a.dataset.version.as_str()),
        ]
        .iter()
        .enumerate()
        {
            let v = map.get(*l).copied().unwrap_or(0.0);
            let bh = plot * v / max;
            let bx = x + gw * 0.2 + j as f64 * gw * 0.3;
            let _ = write!(
                h,
                "<rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{color}\"><title>{} {l}: {}</title></rect>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}</text>",
                top + plot - bh,
                gw * 0.28,
                esc(who),
                pct(v),
                bx + gw * 0.14,
                top + plot - bh - 3.0,
                pct(v)
            );
        }
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5d6875\">{l}</text>",
            x + gw / 2.0,
            ht - bottom + 18.0
        );
    }
    h.push_str("</svg>");
    let _ = write!(
        h,
        "<p class=\"sub\">Share of each primary <code>stance</code>. Jensen-Shannon divergence (base 2) from {}: {}.</p>",
        esc(&parent),
        d.label_jsd
            .iter()
            .map(|(k, v)| format!("{} {:.4}", esc(k), v))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    h.push_str("<table><tr><th>split</th><th class=\"n\">parent rows</th><th class=\"n\">rows</th><th class=\"n\">Δ rows</th><th class=\"n\">parent articles</th><th class=\"n\">articles</th></tr>");
    for r in &d.rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:+}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&r.split),
            num(r.parent_rows),
            num(r.rows),
            r.rows as i64 - r.parent_rows as i64,
            num(r.parent_articles),
            num(r.articles)
        );
    }
    h.push_str("</table><h3>Rule coverage</h3><table class=\"narrow\"><tr><th>rule</th><th class=\"n\">parent</th><th class=\"n\">this release</th><th class=\"n\">Δ</th></tr>");
    for r in &d.rules {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:+.2} pt</td></tr>",
            esc(&r.rule),
            pct(r.parent_coverage),
            pct(r.coverage),
            r.delta * 100.0
        );
    }
    h.push_str("</table></div>\n");
}

/// Cuts a text to `n` characters for display.
fn cut(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", s[..i].trim_end_matches('…')),
        None => s.to_string(),
    }
}

fn near_table(h: &mut String, title: &str, clusters: &[NearCluster], shown: usize) {
    if clusters.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<h3>{}</h3><table><tr><th class=\"n\">size</th><th class=\"n\">min Jaccard</th><th>splits</th><th>members (first {shown})</th></tr>",
        esc(title)
    );
    for c in clusters {
        let members: Vec<String> = c
            .members
            .iter()
            .take(shown)
            .map(|m| {
                let mut s = format!(
                    "<div class=\"mh\"><code>{}</code> · {}{}</div>",
                    esc(&m.input),
                    esc(&m.split),
                    m.sentence_index
                        .map(|i| format!(" · sentence {i}"))
                        .unwrap_or_default()
                );
                if let Some(text) = &m.text {
                    let _ = write!(
                        s,
                        "<div class=\"mt\" dir=\"auto\">{}</div>",
                        tb(&cut(text, 160))
                    );
                }
                s
            })
            .collect();
        let _ = write!(
            h,
            "<tr><td class=\"n\">{}</td><td class=\"n\">{:.3}</td><td>{}</td><td class=\"txt\">{}</td></tr>",
            num(c.size),
            c.min_jaccard,
            esc(&c.splits.join(", ")),
            members.join("<br>")
        );
    }
    h.push_str("</table>");
}

fn duplicates(h: &mut String, a: &Audit) {
    let ar = &a.articles;
    let se = &a.sentences;
    h.push_str("<h2>Duplicate articles</h2><div class=\"panel\">");
    let _ = write!(
        h,
        "<p>{} articles with no text ({}); {} exact duplicates of an earlier article ({}, {} fingerprints held by more than one article); \
         {} near-duplicates ({}) in {} clusters, from {} candidate pairs ({} similar).</p><div class=\"grid2\"><div>",
        num(ar.empty),
        pct(ar.empty_rate),
        num(ar.duplicates),
        pct(ar.duplicate_rate),
        num(ar.duplicate_groups),
        num(ar.near.near_duplicates),
        pct(ar.near.rate),
        num(ar.near.clusters),
        num(ar.near.candidate_pairs),
        num(ar.near.similar_pairs)
    );
    if !ar.empty_examples.is_empty() {
        h.push_str(
            "<h3>Articles with no text (first)</h3><table><tr><th>input</th><th>split</th></tr>",
        );
        for e in &ar.empty_examples {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                esc(&e.input),
                esc(&e.split)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</div><div>");
    if !ar.duplicate_examples.is_empty() {
        h.push_str("<h3>Largest duplicate groups</h3><table><tr><th class=\"n\">copies</th><th>first</th><th>others (first 5)</th></tr>");
        for d in &ar.duplicate_examples {
            let others: Vec<String> = d
                .others
                .iter()
                .map(|o| format!("<code>{}</code>", esc(&o.input)))
                .collect();
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td></tr>",
                num(d.copies),
                esc(&d.first.input),
                others.join("<br>")
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</div></div>");
    near_table(
        h,
        "Largest near-duplicate clusters (first sentence of each article shown)",
        &ar.near.examples,
        3,
    );
    h.push_str("</div>\n<h2>Duplicate sentences</h2><div class=\"panel\">");
    let _ = write!(
        h,
        "<p>{} exact duplicates of an earlier sentence ({}, {} texts held by more than one sentence); {} near-duplicates ({}) in {} clusters, \
         from {} candidate pairs ({} similar).</p>",
        num(se.duplicates),
        pct(se.duplicate_rate),
        num(se.duplicate_groups),
        num(se.near.near_duplicates),
        pct(se.near.rate),
        num(se.near.clusters),
        num(se.near.candidate_pairs),
        num(se.near.similar_pairs)
    );
    if !se.top_repeated.is_empty() {
        h.push_str("<h3>Most repeated sentences (boilerplate candidates)</h3><table><tr><th class=\"n\">sentences</th><th class=\"n\">articles</th><th>splits</th><th>text</th></tr>");
        for r in &se.top_repeated {
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>{}</tr>",
                num(r.sentences),
                num(r.articles),
                esc(&r.splits.join(", ")),
                td_text(&r.text)
            );
        }
        h.push_str("</table>");
    }
    near_table(h, "Largest near-duplicate clusters", &se.near.examples, 3);
    h.push_str("</div>\n");
}

fn leakage(h: &mut String, a: &Audit) {
    let lk = &a.leakage;
    h.push_str("<h2>Leakage across splits</h2><div class=\"panel\">");
    let _ = write!(
        h,
        "<p>{} of {} validation and test sentences ({}) also occur in another split: {} exactly, {} as near-duplicates. \
         {} distinct texts occur in more than one split. Articles: {} of {} validation and test articles ({}) \
         have a duplicate ({}) or near-duplicate ({}) in another split.</p>",
        num(lk.exact + lk.near),
        num(lk.eval_sentences),
        pct(lk.rate),
        num(lk.exact),
        num(lk.near),
        num(lk.texts_across_splits),
        num(lk.articles.exact + lk.articles.near),
        num(lk.articles.eval_articles),
        pct(lk.articles.rate),
        num(lk.articles.exact),
        num(lk.articles.near)
    );
    h.push_str("<table class=\"narrow\"><tr><th>sentences of</th><th>found in</th><th class=\"n\">exact</th><th class=\"n\">near</th></tr>");
    for p in &lk.pairs {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&p.split),
            esc(&p.other),
            num(p.exact),
            num(p.near)
        );
    }
    h.push_str("</table>");
    if !lk.examples.is_empty() {
        h.push_str("<h3>Examples</h3><table><tr><th>kind</th><th>sentences per split</th><th>text</th></tr>");
        for l in &lk.examples {
            let splits: Vec<String> = l
                .splits
                .iter()
                .map(|(k, v)| format!("{} {}", esc(k), num(*v)))
                .collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td>{}</tr>",
                esc(&l.kind),
                splits.join(", "),
                td_text(&l.text)
            );
        }
        h.push_str("</table>");
    }
    near_table(
        h,
        "Near-duplicate articles across splits",
        &lk.articles.examples,
        3,
    );
    h.push_str("</div>\n");
}

fn conflicts(h: &mut String, a: &Audit) {
    let c = &a.label_conflicts;
    h.push_str("<h2>Label conflicts</h2><div class=\"panel\">");
    let _ = write!(
        h,
        "<p>{} normalized texts carry different labels in different sentences ({} sentences, {}).</p>",
        num(c.groups),
        num(c.sentences),
        pct(c.rate)
    );
    if !c.examples.is_empty() {
        h.push_str("<table><tr><th class=\"n\">sentences</th><th>labels</th><th>text</th><th>one of each</th></tr>");
        for x in &c.examples {
            let labels: Vec<String> = x
                .labels
                .iter()
                .map(|(k, v)| format!("{} {}", esc(k), num(*v)))
                .collect();
            let members: Vec<String> = x
                .members
                .iter()
                .map(|m| {
                    format!(
                        "<code>{}</code> #{}",
                        esc(&m.input),
                        m.sentence_index.unwrap_or(0)
                    )
                })
                .collect();
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td>{}</td>{}<td>{}</td></tr>",
                num(x.sentences),
                labels.join(", "),
                td_text(&x.text),
                members.join("<br>")
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</div>\n");
}

fn gold(h: &mut String, g: &GoldReport) {
    h.push_str("<h2>Rules against the gold</h2><div class=\"panel\">");
    let _ = write!(
        h,
        "<p>{}: {} gold sentences; {} gold articles found in the release{}; {} release sentences scored.</p>",
        esc(&g.gold_file),
        num(g.gold_sentences),
        num(g.articles_found),
        if g.articles_missing.is_empty() {
            String::new()
        } else {
            format!(" ({} missing)", num(g.articles_missing.len() as u64))
        },
        num(g.sentences_scored)
    );
    h.push_str("<table class=\"narrow\"><tr><th>rule</th><th class=\"n\">votes</th><th class=\"n\">correct</th><th class=\"n\">wrong</th><th class=\"n\">precision</th></tr>");
    for r in &g.rules {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3}</td></tr>",
            esc(&r.rule),
            num(r.fired),
            num(r.correct),
            num(r.wrong),
            r.precision
        );
    }
    h.push_str("</table>");
    let wrong: Vec<(&str, &GoldError)> = g
        .rules
        .iter()
        .flat_map(|r| {
            r.wrong_examples
                .iter()
                .take(3)
                .map(move |e| (r.rule.as_str(), e))
        })
        .collect();
    if !wrong.is_empty() {
        h.push_str("<h3>Wrong votes (first 3 per rule)</h3><table><tr><th>rule</th><th>said</th><th>gold</th><th>where</th><th>text</th></tr>");
        for (rule, e) in wrong {
            let mut gold = e.gold_stances.join("+");
            if gold.is_empty() {
                gold = "none".into();
            }
            if !e.gold_actors.is_empty() {
                gold.push_str(&format!("; {}", e.gold_actors.join(", ")));
            }
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code> {}–{}</td>{}</tr>",
                esc(rule),
                esc(&e.label),
                esc(&gold),
                esc(&e.file),
                e.start,
                e.end,
                td_text(&e.text)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</div>\n");
}

fn problems(h: &mut String, a: &Audit) {
    let s = &a.schema;
    let b = &a.build;
    h.push_str("<h2>Schema and build problems</h2><div class=\"grid2\"><div class=\"panel\"><b>Schema and types</b>");
    if s.ok {
        h.push_str("<p class=\"ok\">Every data file has record schema v1, every value is of its type and the article table matches the data.</p>");
    } else {
        h.push_str("<table><tr><th>check</th><th class=\"n\">problems</th></tr>");
        for (k, v) in &s.violations {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td></tr>",
                esc(k),
                num(*v)
            );
        }
        h.push_str("</table>");
        for f in s.files.iter().filter(|f| !f.ok) {
            let _ = write!(
                h,
                "<p class=\"miss\"><code>{}</code>: {}</p>",
                esc(&f.path),
                esc(f.problem.as_deref().unwrap_or(""))
            );
        }
        if !s.examples.is_empty() {
            h.push_str("<h3>First problems</h3><ul>");
            for e in &s.examples {
                let _ = write!(h, "<li>{}</li>", t(e));
            }
            h.push_str("</ul>");
        }
    }
    h.push_str("</div><div class=\"panel\"><b>Met while building</b>");
    let _ = write!(
        h,
        "<p>{} quarantined inputs · {} ignored files · {} filters</p>",
        num(b.quarantined_total),
        num(b.ignored_files_total),
        b.filters.len()
    );
    if !b.filters.is_empty() {
        h.push_str("<table><tr><th>filter</th><th class=\"n\">articles removed</th><th class=\"n\">sentences removed</th></tr>");
        for f in &b.filters {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&f.filter),
                num(f.removed_articles),
                num(f.removed_sentences)
            );
        }
        h.push_str("</table>");
    }
    if !b.quarantined.is_empty() {
        h.push_str(
            "<h3>Quarantined</h3><table><tr><th>input</th><th>where</th><th>reason</th></tr>",
        );
        for q in &b.quarantined {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td>{}</tr>",
                esc(&q.input),
                esc(&q.position),
                td_text(&q.reason)
            );
        }
        h.push_str("</table>");
    }
    if !b.ignored_files.is_empty() {
        h.push_str("<h3>Ignored files</h3><ul>");
        for f in &b.ignored_files {
            let _ = write!(h, "<li><code>{}</code></li>", esc(f));
        }
        h.push_str("</ul>");
    }
    h.push_str("</div></div>\n");
}

fn settings(h: &mut String, a: &Audit) {
    let s = &a.settings;
    h.push_str(
        "<h2>Settings</h2><div class=\"panel\"><table><tr><th>check</th><th>setting</th></tr>",
    );
    let _ = write!(
        h,
        "<tr><td>sentence length</td><td>too short below {} characters (trimmed), too long above {}</td></tr>",
        s.min_sentence_chars, s.max_sentence_chars
    );
    for (name, n) in [
        ("near-duplicate articles", &s.near_duplicate_articles),
        ("near-duplicate sentences", &s.near_duplicate_sentences),
    ] {
        let _ = write!(
            h,
            "<tr><td>{name}</td><td>{}; Jaccard ≥ {}; items of at least {} {}; MinHash with {} hashes in {} bands of {} rows, then exact Jaccard</td></tr>",
            esc(&n.shingles),
            n.jaccard,
            n.min_size,
            if name.contains("articles") {
                "words"
            } else {
                "characters"
            },
            n.permutations,
            n.bands,
            n.rows
        );
    }
    h.push_str("</table></div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_isolates() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            t("<b>مرحبا</b>"),
            "<bdi dir=\"auto\">&lt;b&gt;مرحبا&lt;/b&gt;</bdi>"
        );
        assert_eq!(num(310303), "310,303");
        assert_eq!(num(12), "12");
        assert_eq!(num(1000), "1,000");
    }
}
