//! Sentence segmentation for Arabic (and mixed Arabic/Latin) news text.
//!
//! Submodules, one job each: [`chars`] (character classes), [`abbrev`] (abbreviation,
//! number-suffix and list-marker decisions), [`scan`] (sentence ends inside a line),
//! [`kind`] (dateline/byline shapes), [`clause`] (clause splitting).
//!
//! Dependencies: `memchr`, `regex` (dateline shapes only), `serde` (derive).

pub mod abbrev;
pub mod chars;
pub mod clause;
pub mod kind;
pub mod scan;

use chars::count_chars;

/// What part of the article a sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SentenceKind {
    Headline,
    Dateline,
    Byline,
    Body,
}

impl SentenceKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            SentenceKind::Headline => "headline",
            SentenceKind::Dateline => "dateline",
            SentenceKind::Byline => "byline",
            SentenceKind::Body => "body",
        }
    }
}

/// The unit the segmenter emits.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Sentences.
    Sentence,
    /// Sentences, with long run-on body sentences further split at `؛` and at `،`
    /// before a discourse connective (both parts ≥ [`clause::MIN_CLAUSE_CHARS`] code points).
    Clause,
}

/// One sentence (or clause) of a text.
///
/// Contract, for the `Vec<Sentence>` returned by [`Segmenter::segment`] on any `text`:
/// - `&text[byte_start..byte_end]` is the sentence; `char_start..char_end` is the same span
///   in Unicode code points (Python's `text[char_start:char_end]`).
/// - Sentences are in text order and do not overlap; none is empty.
/// - No sentence starts or ends with whitespace, where whitespace is exactly Rust's
///   `char::is_whitespace` (Unicode `White_Space`: includes NBSP, U+2028/2029, U+0085,
///   ideographic space). Zero-width and bidi marks (U+200B–U+200F, U+202A–U+202E,
///   U+2066–U+2069, U+FEFF) are NOT whitespace: they are kept inside sentences, as in the gold.
/// - Every non-whitespace character of `text` lies in exactly one sentence; only
///   whitespace lies between sentences.
/// - Line breaks are LF, CR (CRLF included) and U+2028/U+2029; every line break ends a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub byte_start: usize,
    pub byte_end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub kind: SentenceKind,
}

/// The segmenter; cheap to clone, stateless between calls.
#[derive(Debug, Clone)]
pub struct Segmenter {
    unit: Unit,
}

struct Emitter<'a> {
    text: &'a str,
    unit: Unit,
    byte: usize,
    chars: usize,
    out: Vec<Sentence>,
}

impl Emitter<'_> {
    /// Emits `text[start..end]` trimmed (if non-empty); clause-splits body in clause mode.
    fn push(&mut self, start: usize, end: usize, kind: SentenceKind) {
        let s = &self.text[start..end];
        let t = s.trim_start();
        let start = start + (s.len() - t.len());
        let t = t.trim_end();
        if t.is_empty() {
            return;
        }
        let end = start + t.len();
        if self.unit == Unit::Clause && kind == SentenceKind::Body {
            let text = self.text;
            clause::split(&text[start..end], |a, b| {
                self.push_trimmed(start + a, start + b, kind)
            });
        } else {
            self.push_trimmed(start, end, kind);
        }
    }

    fn push_trimmed(&mut self, start: usize, end: usize, kind: SentenceKind) {
        let s = &self.text[start..end];
        let t = s.trim_start();
        let start = start + (s.len() - t.len());
        let end = start + t.trim_end().len();
        if start == end {
            return;
        }
        let b = self.text.as_bytes();
        self.chars += count_chars(&b[self.byte..start]);
        let char_start = self.chars;
        self.chars += count_chars(&b[start..end]);
        self.byte = end;
        self.out.push(Sentence {
            byte_start: start,
            byte_end: end,
            char_start,
            char_end: self.chars,
            kind,
        });
    }

    /// Splits one line (no line breaks inside) into body sentences.
    fn body(&mut self, ls: usize, le: usize) {
        let text = self.text;
        let mut prev = ls;
        scan::scan_line(&text[ls..le], |p| {
            self.push(prev, ls + p, SentenceKind::Body);
            prev = ls + p;
        });
        self.push(prev, le, SentenceKind::Body);
    }
}

/// Position and length of the next line break at or after `from`.
fn next_line_break(b: &[u8], mut from: usize) -> Option<(usize, usize)> {
    while let Some(k) = memchr::memchr3(b'\n', b'\r', 0xE2, &b[from..]) {
        let at = from + k;
        if b[at] != 0xE2 {
            return Some((at, 1));
        }
        if b.get(at + 1) == Some(&0x80) && matches!(b.get(at + 2), Some(0xA8 | 0xA9)) {
            return Some((at, 3));
        }
        from = at + 1;
    }
    None
}

/// The byte range of the trimmed line.
fn trimmed_range(text: &str, ls: usize, le: usize) -> (usize, usize) {
    let s = &text[ls..le];
    let t = s.trim_start();
    let a = ls + (s.len() - t.len());
    (a, a + t.trim_end().len())
}

impl Segmenter {
    pub fn new(unit: Unit) -> Self {
        Segmenter { unit }
    }

    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// Splits `text` into sentences (see [`Sentence`] for the contract).
    ///
    /// Kinds: the first non-blank line is the `Headline` (kept whole) when another non-blank
    /// line follows it. Lines right after it that have a dateline shape (weekday, date,
    /// time) are `Dateline`, short name lines (2–4 words, no digits or punctuation) are
    /// `Byline`; a dateline shape at the start of the first content line followed by more
    /// text (a flattened content field) is split off as a `Dateline`. Everything else is `Body`.
    ///
    /// Runs in time linear in `text.len()`; never panics.
    pub fn segment(&self, text: &str) -> Vec<Sentence> {
        let out = Vec::with_capacity(text.len() / 160 + 4);
        let mut em = Emitter {
            text,
            unit: self.unit,
            byte: 0,
            chars: 0,
            out,
        };
        let b = text.as_bytes();
        let mut ls = 0usize;
        let mut nb = 0usize; // non-blank lines seen
        let mut headline_mode = false;
        let mut header_zone = false;
        loop {
            let (le, next) = match next_line_break(b, ls) {
                Some((p, l)) => (p, p + l),
                None => (b.len(), b.len()),
            };
            let (ts, te) = trimmed_range(text, ls, le);
            if ts < te {
                nb += 1;
                if nb == 1 {
                    headline_mode = !text[le..].trim_start().is_empty();
                }
                let line = &text[ts..te];
                if nb == 1 && headline_mode {
                    em.push_trimmed(ts, te, SentenceKind::Headline);
                    header_zone = true;
                } else if header_zone && nb <= 4 && kind::is_dateline(line) {
                    em.push_trimmed(ts, te, SentenceKind::Dateline);
                } else if header_zone && nb <= 4 && kind::is_byline(line) {
                    em.push_trimmed(ts, te, SentenceKind::Byline);
                } else {
                    let first_content = header_zone || nb == 1;
                    header_zone = false;
                    match kind::dateline_prefix(line).filter(|_| first_content) {
                        Some(p) => {
                            em.push_trimmed(ts, ts + p, SentenceKind::Dateline);
                            em.body(ts + p, te);
                        }
                        None => em.body(ts, te),
                    }
                }
            }
            if next >= b.len() {
                break;
            }
            ls = next;
        }
        em.out
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new(Unit::Sentence)
    }
}
