//! Shapes of header lines: datelines (`الخميس 26/أغسطس/2021 - 10:46 م`) and bylines
//! (a short name line right after the headline or dateline).

use regex::Regex;
use std::sync::LazyLock;

const WEEKDAY: &str =
    r"(?:يوم\s+)?(?:ال(?:سبت|أحد|احد|إثنين|اثنين|ثلاثاء|ثلاثا|أربعاء|اربعاء|خميس|جمعة|جمعه))";
const MONTH: &str = r"(?:يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون\s+الثاني|كانون\s+الأول|كانون\s+الاول|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|اب|أيلول|ايلول|تشرين\s+الأول|تشرين\s+الاول|تشرين\s+الثاني|محرم|صفر|ربيع\s+الأول|ربيع\s+الاول|ربيع\s+الآخر|ربيع\s+الثاني|جمادى\s+الأولى|جمادى\s+الاولى|جمادى\s+الآخرة|جمادى\s+الاخرة|جمادى\s+الثانية|رجب|شعبان|رمضان|شوال|ذو\s+القعدة|ذو\s+الحجة|ذي\s+القعدة|ذي\s+الحجة)";

fn date_pat() -> String {
    format!(
        r"(?:\d{{1,4}}\s*[/\-.]\s*(?:\d{{1,2}}|{m})\s*[/\-.]\s*\d{{1,4}}|\d{{1,2}}\s+{m}(?:\s*[,،]?\s*\d{{2,4}})?|{m}\s+\d{{4}})(?:\s*(?:هـ|ه|م)(?:\s|$))?",
        m = MONTH
    )
}
const TIME: &str = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:صباحاً|صباحًا|صباحا|مساءً|مساءا|مساء|ص|م|AM|PM|am|pm)(?:\s|$))?";
const SEP: &str = r"\s*[-–—|,،/]?\s*";

/// (No `\b`: a Unicode word boundary would push the regex engine off its fast DFA path;
/// suffixes are closed by `(?:\s|$)` instead.)
/// A dateline at the start of a line: weekday + date (+ time), or date + time.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    let d = date_pat();
    Regex::new(&format!(
        r"^(?:{w}{s}{d}(?:{s}{t})?|{d}{s}{t}|{w}{s}{t})",
        w = WEEKDAY,
        s = SEP,
        d = d,
        t = TIME
    ))
    .expect("dateline prefix regex")
});
/// Any date or weekday+time inside a short line.
static ANY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{d}|{w}{s}{t}|^{w}$",
        d = date_pat(),
        w = WEEKDAY,
        s = SEP,
        t = TIME
    ))
    .expect("date regex")
});

fn ends_with_terminator(s: &str) -> bool {
    s.chars()
        .next_back()
        .is_some_and(super::chars::is_terminator)
}

/// Is the whole (trimmed) line a dateline?
pub fn is_dateline(line: &str) -> bool {
    if line.len() > 200 || ends_with_terminator(line) || line.split_whitespace().count() > 14 {
        return false;
    }
    PREFIX.is_match(line) || ANY_DATE.is_match(line)
}

/// Byte length of a dateline at the start of `line` that is followed by more text
/// (a flattened content field). Only strong shapes count (weekday+date, date+time).
pub fn dateline_prefix(line: &str) -> Option<usize> {
    let head = &line[..floor_boundary(line, 200)];
    let m = PREFIX.find(head)?;
    let end = m.start() + m.as_str().trim_end().len();
    let rest = &line[end..];
    match rest.chars().next() {
        Some(c) if c.is_whitespace() && !rest.trim().is_empty() => Some(end),
        _ => None,
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A byline: 2–4 words, no digits, no terminator or clause punctuation, no quotes;
/// `د.`-style initials and a leading `بقلم:` / `كتب:` are allowed.
pub fn is_byline(line: &str) -> bool {
    if line.len() > 120 {
        return false;
    }
    let mut body = line;
    for p in [
        "بقلم:",
        "بقلم :",
        "كتب:",
        "كتب :",
        "كتبت:",
        "إعداد:",
        "بقلم",
        "كتب -",
        "كتبت -",
    ] {
        if let Some(r) = line.strip_prefix(p) {
            body = r.trim_start();
            break;
        }
    }
    let words: Vec<&str> = body.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    for w in &words {
        let letters = w.trim_end_matches('.');
        if w.contains('.') && letters.chars().count() > 2 {
            return false;
        }
        if w.chars().any(|c| {
            super::chars::is_digit(c)
                || matches!(
                    c,
                    '!' | '?'
                        | '؟'
                        | '…'
                        | ':'
                        | '،'
                        | ','
                        | '؛'
                        | ';'
                        | '«'
                        | '»'
                        | '"'
                        | '“'
                        | '”'
                        | '('
                        | ')'
                        | '/'
                        | '-'
                        | '–'
                        | '@'
                )
        }) {
            return false;
        }
    }
    true
}
