//! Decides whether a `.` followed by whitespace is an abbreviation, a number suffix
//! (`2018 م.`), or a list marker rather than a sentence end.

use super::chars::{is_arabic_letter, is_arabic_word_char, is_digit, is_opener};

/// How far back/forward (bytes) token inspection looks; longer tokens are never
/// abbreviations. Keeps every decision O(1).
pub const LOOK: usize = 64;

/// Latin abbreviations (case-sensitive, without the final dot).
const LATIN: &[&str] = &[
    "Dr", "Mr", "Mrs", "Ms", "Prof", "Sr", "Jr", "St", "Mt", "Gen", "Col", "Lt", "Sgt", "Capt",
    "Gov", "Sen", "Rep", "Inc", "Ltd", "Co", "Corp", "vs", "Fig", "Vol", "pp", "cf", "al",
    "approx", "Dept", "Univ", "Ave", "No",
];

/// Arabic spellings of Latin letter names used as initials (`جيه. بي مورجان`).
const ARABIC_SPELLED_INITIALS: &[&str] =
    &["جيه", "إتش", "اتش", "كيه", "دبليو", "إكس", "اكس", "إيه"];

/// Arabic spellings of Latin letter names, as written in dotted acronyms and initials
/// (`بي. بي. سي`, `سي. إن. إن`, `جيه.بي مورجان`, `إف. بي. آي`).
const LETTER_NAMES: &[&str] = &[
    "إيه",
    "ايه",
    "أيه",
    "بي",
    "أف",
    "سي",
    "دي",
    "إي",
    "اي",
    "إف",
    "اف",
    "جي",
    "إتش",
    "اتش",
    "آي",
    "أي",
    "جيه",
    "كيه",
    "كي",
    "إل",
    "إم",
    "ام",
    "إن",
    "ان",
    "أو",
    "كيو",
    "آر",
    "ار",
    "إس",
    "اس",
    "تي",
    "يو",
    "في",
    "دبليو",
    "إكس",
    "اكس",
    "واي",
    "زد",
];

/// Letter names that are also common Arabic words (إن، أو، في، كي، أي …): after a
/// sentence end they usually start the next sentence, so they count as an acronym's next
/// letter only when dotted themselves or when the acronym is already under way.
const LETTER_NAME_WORDS: &[&str] = &["إن", "ان", "أو", "في", "كي", "اي", "أي", "إي", "ام"];

/// Site suffixes written in Arabic after a glued dot (`العربية.نت`, `سوق.كوم`).
const SITE_SUFFIXES: &[&str] = &["نت", "كوم", "أورج", "اورج", "أورغ", "اورغ"];

/// Is `w` (a bare Arabic letter run) a Latin letter name?
pub fn is_letter_name(w: &str) -> bool {
    LETTER_NAMES.contains(&w)
}

/// Is `w` a Latin letter name that is not also a common Arabic word?
pub fn is_strict_letter_name(w: &str) -> bool {
    LETTER_NAMES.contains(&w) && !LETTER_NAME_WORDS.contains(&w)
}

/// Is `w` a site suffix (`نت`, `كوم`)?
pub fn is_site_suffix(w: &str) -> bool {
    SITE_SUFFIXES.contains(&w)
}

/// Splits a whitespace token into its core (openers and closing punctuation removed) and
/// whether the core was directly followed by a `.` (`«سي.` → (`سي`, true)).
pub fn token_core(tok: &str) -> (&str, bool) {
    let t = strip_openers(tok);
    let end = t
        .find(|c: char| !is_arabic_word_char(c) && !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    (&t[..end], t[end..].starts_with('.'))
}

/// A spaced dotted acronym goes on after `tok.` (tok a letter name): the next word is a
/// letter name too (`بي. بي. سي`, `إف. بي. آي`). Words like إن / في / أو count only when
/// dotted themselves or when the previous token is already a dotted letter name.
pub fn acronym_continues(tok: &str, prev_tok: &str, next: &str) -> bool {
    let (core, _) = token_core(tok);
    if !is_letter_name(core) {
        return false;
    }
    let (n, n_dotted) = token_core(next);
    if !is_letter_name(n) {
        return false;
    }
    if n_dotted || is_strict_letter_name(n) {
        return true;
    }
    let (p, p_dotted) = token_core(prev_tok);
    p_dotted && is_letter_name(p)
}

/// `tok.` is a middle initial spelled as a Latin letter name between a first name and a surname
/// (`جيمس بي. كومي`, `جورج دبليو. بوش`): a name word before it, and after it a word that does
/// not open a new sentence (not a conjunction و/ف, not a definite noun).
pub fn is_middle_initial(tok: &str, prev_tok: &str, next: &str) -> bool {
    let name_word = |w: &str| w.chars().count() >= 3 && w.chars().all(is_arabic_letter);
    is_strict_letter_name(tok)
        && name_word(prev_tok)
        && !is_letter_name(prev_tok)
        && name_word(next.trim_end_matches(['،', ',', ':', ')', '»']))
        && !next.starts_with(['و', 'ف'])
        && !next.starts_with("ال")
}

/// `tok.)` closes a parenthesised spaced acronym (`(إف. بي. أي.)`): the dot is the
/// acronym's, not the sentence's.
pub fn acronym_ends_in_parens(tok: &str, prev_tok: &str) -> bool {
    let (core, _) = token_core(tok);
    let (p, p_dotted) = token_core(prev_tok);
    is_letter_name(core) && p_dotted && is_letter_name(p)
}

/// Suffixes written after a year or time: م (AD / p.m.), هـ / ه (Hijri), ص (a.m.), ق.م (BC).
const NUMBER_SUFFIXES: &[&str] = &["م", "هـ", "ه", "ص", "ق.م", "مـ"];

/// Words that, right after `2018 م.`, show the sentence continues.
const CONTINUATION_WORDS: &[&str] = &[
    "الموافق",
    "الموافقة",
    "حتى",
    "وحتى",
    "إلى",
    "الى",
    "وإلى",
    "والى",
    "لمدة",
    "بتوقيت",
    "بالتوقيت",
    "تقريبا",
    "تقريباً",
];

/// The token (maximal run of non-whitespace) ending at byte `end` of `line`, capped at LOOK bytes.
/// Returns (start, token) — empty when the cap is hit without finding its start.
pub fn token_before(line: &str, end: usize) -> (usize, &str) {
    let lo = end.saturating_sub(LOOK);
    let mut start = end;
    for (i, c) in line[..end].char_indices().rev() {
        if c.is_whitespace() {
            return (start, &line[start..end]);
        }
        if i < lo {
            return (end, "");
        }
        start = i;
    }
    (start, &line[start..end])
}

/// The first word after `from` (skipping whitespace), capped at LOOK bytes.
pub fn word_after(line: &str, from: usize) -> &str {
    let mut cut = line.len().min(from.saturating_add(LOOK));
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let rest = line.get(from..cut).unwrap_or("").trim_start();
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    &rest[..end]
}

fn strip_openers(tok: &str) -> &str {
    tok.trim_start_matches(is_opener)
}

/// Every dot-separated part is 1–2 letters (Arabic or Latin): `أ.د`, `ص.ب`, `U.S`, `e.g`.
fn is_dotted_initials(tok: &str) -> bool {
    if !tok.contains('.') {
        return false;
    }
    tok.split('.').all(|p| {
        let n = p
            .chars()
            .filter(|c| !matches!(*c as u32, 0x0640 | 0x064B..=0x065F))
            .count();
        (1..=2).contains(&n) && p.chars().all(|c| c.is_alphabetic())
    }) || tok.split('.').all(|p| {
        // Arabic transliterated acronyms: بي.إم, سي.آي.بي (parts of up to 3 letters).
        let n = p.chars().count();
        (1..=3).contains(&n) && p.chars().all(is_arabic_word_char)
    })
}

/// Is `tok` (the text just before a single `.`) an abbreviation?
pub fn is_abbreviation(tok: &str) -> bool {
    let tok = strip_openers(tok);
    // Fast path: a long token without an inner dot is a word (longest listed entry: 10 bytes).
    if tok.is_empty() || (tok.len() > 12 && !tok.as_bytes().contains(&b'.')) {
        return false;
    }
    let letters = tok
        .chars()
        .filter(|&c| is_arabic_letter(c) || c.is_ascii_alphabetic())
        .count();
    let all_word = tok
        .chars()
        .all(|c| is_arabic_word_char(c) || c.is_ascii_alphabetic());
    // A single letter, Arabic (د. أ. م. ص.) or Latin initial (J.).
    if all_word && letters == 1 {
        return true;
    }
    if is_dotted_initials(tok) {
        return true;
    }
    let no_waw = tok.strip_prefix('و').unwrap_or(tok);
    // `ود.` `وم.` `وأ.`: و + a title initial (د. دكتور, م. مهندس, أ. أستاذ).
    if matches!(no_waw, "د" | "م" | "أ" | "ا") && no_waw.len() < tok.len() {
        return true;
    }
    LATIN.contains(&tok)
        || ARABIC_SPELLED_INITIALS.contains(&tok)
        || ARABIC_SPELLED_INITIALS.contains(&no_waw)
}

/// If `tok` is a year/time suffix (`م`, `هـ`, `2018م`) after a number, true.
/// `prev_tok` is the token before `tok` (for `2018 م`).
pub fn is_number_suffix(tok: &str, prev_tok: &str) -> bool {
    let tok = strip_openers(tok);
    // Glued: 2018م
    let trimmed = tok.trim_end_matches(|c: char| is_arabic_word_char(c) || c == '.');
    if !trimmed.is_empty() && trimmed.len() < tok.len() {
        let suffix = &tok[trimmed.len()..];
        return NUMBER_SUFFIXES.contains(&suffix)
            && trimmed.chars().next_back().is_some_and(is_digit);
    }
    NUMBER_SUFFIXES.contains(&tok)
        && prev_tok
            .trim_end_matches(is_closer_like)
            .chars()
            .next_back()
            .is_some_and(is_digit)
}

fn is_closer_like(c: char) -> bool {
    matches!(c, ')' | '»' | '"')
}

/// After a number suffix: does the next word continue the sentence?
pub fn continues_after_suffix(next: &str) -> bool {
    match next.chars().next() {
        None => false,
        Some(c) if c.is_ascii_lowercase() => true,
        Some(c) if super::chars::is_continuation_punct(c) || c == '(' => true,
        Some(_) => CONTINUATION_WORDS.contains(&next.trim_end_matches(['،', ',', ':'])),
    }
}

/// A list marker at the start of a line: `1.` `١٢.` (optionally after bullets).
pub fn is_list_marker(line: &str, tok_start: usize, tok: &str) -> bool {
    if !tok.chars().all(is_digit) {
        return false;
    }
    let before = &line[..tok_start];
    let digits = tok.chars().count();
    let at_line_start = before
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '*' | '•' | '·' | '–' | '('));
    // Mid-line, a short number opens a list item right after a sentence end or a colon
    // (`شروطا عدة. 2. أن يكون`, `يلي: 1. زيادة`), never after a word (`درجة 45. ولكن`).
    let trimmed = before.trim_end();
    let after_end = trimmed.len() < before.len()
        && trimmed
            .chars()
            .next_back()
            .is_some_and(|c| c == ':' || super::chars::is_terminator(c));
    (at_line_start && (1..=3).contains(&digits)) || (after_end && (1..=2).contains(&digits))
}
