//! `Unit::Clause`: splits a body sentence further at `؛` and at `،` right before a
//! discourse connective (كما، إذ، بل، لذلك، في حين، بينما، ثم، حيث، لكن، غير أن، فيما …,
//! also with a و/ف prefix). The punctuation stays with the preceding clause.

use super::chars::count_chars;

/// A split is made only when both the clause before it and the rest of the sentence
/// after it are at least this many code points long (spaces included).
pub const MIN_CLAUSE_CHARS: usize = 30;

const SINGLE: &[&str] = &[
    "كما",
    "إذ",
    "اذ",
    "بل",
    "لذلك",
    "لذا",
    "بينما",
    "ثم",
    "حيث",
    "لكن",
    "لكنه",
    "لكنها",
    "لكنهم",
    "فيما",
    "إلا",
    "الا",
];
const PAIRS: &[(&str, &str)] = &[
    ("في", "حين"),
    ("غير", "أن"),
    ("غير", "ان"),
    ("إلا", "أن"),
    ("الا", "أن"),
    ("الا", "ان"),
];

fn strip_word(w: &str) -> &str {
    w.trim_end_matches(|c: char| !c.is_alphanumeric())
}

#[allow(clippy::collapsible_if)] // no let-chains: the module must also build on edition 2021
fn is_connective(after: &str) -> bool {
    let mut it = after.split_whitespace();
    let w1 = strip_word(it.next().unwrap_or(""));
    let w2 = strip_word(it.next().unwrap_or(""));
    let check = |w: &str| {
        (SINGLE.contains(&w) && w != "إلا" && w != "الا")
            || PAIRS.iter().any(|&(a, b)| a == w && b == w2)
    };
    if check(w1) {
        return true;
    }
    for p in ['و', 'ف'] {
        if let Some(rest) = w1.strip_prefix(p) {
            if !rest.is_empty() && check(rest) {
                return true;
            }
        }
    }
    false
}

/// Calls `emit(start, end)` (byte offsets into `s`) for each clause of `s`, in order,
/// covering all of `s`.
pub fn split(s: &str, mut emit: impl FnMut(usize, usize)) {
    let b = s.as_bytes();
    let total = count_chars(b);
    if total < 2 * MIN_CLAUSE_CHARS {
        emit(0, s.len());
        return;
    }
    let mut clause_start = 0usize;
    let mut counted_to = 0usize; // chars of s[..counted_to] are in `chars_before`
    let mut chars_before = 0usize;
    let mut clause_start_chars = 0usize;
    let mut pos = 0usize;
    while let Some(k) = memchr::memchr2(0x9B, 0x8C, &b[pos..]) {
        let at = pos + k;
        pos = at + 1;
        if at == 0 || b[at - 1] != 0xD8 {
            continue;
        }
        let cut = at + 1; // just after ؛ or ،
        let is_semicolon = b[at] == 0x9B;
        if !is_semicolon {
            let look_end = floor(s, (cut + 48).min(s.len()));
            if !is_connective(&s[cut..look_end]) {
                continue;
            }
        }
        chars_before += count_chars(&b[counted_to..cut]);
        counted_to = cut;
        let left = chars_before - clause_start_chars;
        let right = total - chars_before;
        if left >= MIN_CLAUSE_CHARS && right >= MIN_CLAUSE_CHARS {
            emit(clause_start, cut);
            clause_start = cut;
            clause_start_chars = chars_before;
        }
    }
    emit(clause_start, s.len());
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
