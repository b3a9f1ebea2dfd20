//! Finds sentence ends inside one line (a line never contains a line break).
//!
//! Single left-to-right pass over the bytes with a 256-entry table of "interesting"
//! bytes; every decision looks at most `abbrev::LOOK` bytes around the terminator, so
//! the whole scan is linear in the line length.

use super::abbrev::{
    LOOK, acronym_continues, acronym_ends_in_parens, continues_after_suffix, is_abbreviation,
    is_letter_name, is_list_marker, is_middle_initial, is_number_suffix, is_site_suffix,
    token_before, word_after,
};
use super::chars::{
    is_arabic_letter, is_arabic_word_char, is_closer, is_continuation_punct, is_digit,
    is_terminator,
};

/// Finds interesting bytes with three vectorised `memchr` streams (terminator bytes; lead/trail
/// bytes of ؟ « » … “ ”; the straight quote `"`), merged in order. Each stream scans every byte
/// at most once, so the whole search is linear.
struct Finder {
    a: Option<usize>,
    b: Option<usize>,
    /// Straight double quotes.
    q: Option<usize>,
}

impl Finder {
    fn new(b: &[u8]) -> Self {
        Finder {
            a: memchr::memchr3(b'.', b'!', b'?', b),
            b: memchr::memchr3(0x9F, 0xC2, 0xE2, b),
            q: memchr::memchr(b'"', b),
        }
    }

    /// Next interesting position at or after `i`.
    #[inline]
    fn next(&mut self, bytes: &[u8], i: usize) -> usize {
        if self.a.is_some_and(|p| p < i) {
            self.a = bytes
                .get(i..)
                .and_then(|s| memchr::memchr3(b'.', b'!', b'?', s))
                .map(|k| k + i);
        }
        if self.b.is_some_and(|p| p < i) {
            self.b = bytes
                .get(i..)
                .and_then(|s| memchr::memchr3(0x9F, 0xC2, 0xE2, s))
                .map(|k| k + i);
        }
        if self.q.is_some_and(|p| p < i) {
            self.q = bytes
                .get(i..)
                .and_then(|s| memchr::memchr(b'"', s))
                .map(|k| k + i);
        }
        [self.a, self.b, self.q]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(bytes.len())
    }

    /// Whether another straight quote follows `i` on the line.
    fn quote_after(&mut self, bytes: &[u8], i: usize) -> bool {
        self.next(bytes, i + 1);
        self.q.is_some()
    }
}

struct QuoteState {
    depth: u32,
    embedded: bool,
    /// A straight `"` quotation is open (counted in `depth`).
    straight: bool,
}

/// Calls `cut(pos)` for every sentence end found in `line` (pos = byte offset in `line`
/// just after the terminator run and its closers). Ends at the line's end are not reported.
pub fn scan_line(line: &str, mut cut: impl FnMut(usize)) {
    let b = line.as_bytes();
    let n = b.len();
    let mut sent_start = 0usize;
    let mut first_content: Option<usize> = None; // cached first non-ws of the current sentence
    let mut q = QuoteState {
        depth: 0,
        embedded: false,
        straight: false,
    };
    // How far the current sentence is known to hold no letter or digit (a sentence of
    // punctuation alone is never cut off: `المناسب!! .. فإن`, `.. في بريد اليوم`).
    let mut bare_upto = 0usize;
    let mut has_content = false;
    let mut i = 0usize;
    let mut finder = Finder::new(b);
    while i < n {
        i = finder.next(b, i);
        if i >= n {
            break;
        }
        let x = b[i];
        match x {
            b'.' | b'!' | b'?' => {}
            b'"' => {
                if q.straight {
                    q.depth = q.depth.saturating_sub(1);
                    q.straight = false;
                } else if opens_straight_quote(line, i) && finder.quote_after(b, i) {
                    open_quote(line, i, sent_start, &mut first_content, &mut q);
                    q.straight = true;
                }
                i += 1;
                continue;
            }
            0x9F => {
                if i == 0 || b[i - 1] != 0xD8 {
                    i += 1;
                    continue;
                }
                i -= 1; // start of ؟
            }
            0xC2 => {
                match b.get(i + 1) {
                    Some(0xAB) => open_quote(line, i, sent_start, &mut first_content, &mut q),
                    Some(0xBB) => q.depth = q.depth.saturating_sub(1),
                    _ => {}
                }
                i += 1;
                continue;
            }
            _ => {
                // 0xE2
                if b.get(i + 1) == Some(&0x80) {
                    match b.get(i + 2) {
                        Some(0xA6) => {} // … handled below
                        Some(0x9C) => {
                            open_quote(line, i, sent_start, &mut first_content, &mut q);
                            i += 3;
                            continue;
                        }
                        Some(0x9D) => {
                            q.depth = q.depth.saturating_sub(1);
                            i += 3;
                            continue;
                        }
                        _ => {
                            i += 1;
                            continue;
                        }
                    }
                } else {
                    i += 1;
                    continue;
                }
            }
        }
        // A terminator starts at i.
        let run_start = i;
        let mut j = i;
        let mut n_terms = 0usize;
        let mut only_dots = true;
        let mut has_ellipsis = false;
        for c in line[j..].chars() {
            if !is_terminator(c) {
                break;
            }
            n_terms += 1;
            if c != '.' {
                only_dots = false;
            }
            if c == '\u{2026}' {
                has_ellipsis = true;
            }
            j += c.len_utf8();
        }
        let run_end = j;
        let single = n_terms == 1 && !has_ellipsis;
        let ellipsis = has_ellipsis || (only_dots && n_terms >= 2);
        let depth_inside = q.depth;
        let embedded_inside = q.embedded;
        let mut had_closer = false;
        let mut closed_quote = false;
        let mut term_after_closer = false;
        for c in line[j..].chars() {
            if is_closer(c) {
                had_closer = true;
                if matches!(c, '»' | '”') && q.depth > 0 {
                    q.depth -= 1;
                    closed_quote = true;
                } else if c == '"' && q.straight {
                    q.depth = q.depth.saturating_sub(1);
                    q.straight = false;
                    // Only a pause closing it counts (`"لا.." ثم`); `?` `!` closing a straight
                    // quote end the sentence as before (`قال: "نعم!" وابتسم.`).
                    closed_quote = ellipsis;
                }
            } else if !is_terminator(c) {
                break;
            } else if had_closer {
                term_after_closer = true;
            }
            j += c.len_utf8();
        }
        let mut end = j;
        i = end;
        if end >= n {
            break; // line end cuts anyway
        }
        if !has_content {
            let from = bare_upto.max(sent_start);
            has_content = line[from..run_start].chars().any(char::is_alphanumeric);
            bare_upto = run_start;
        }
        if !has_content {
            continue;
        }
        let next = line[end..].chars().next().unwrap_or(' ');
        let is_cut = if next.is_whitespace() {
            let after = word_after(line, end);
            match after.chars().next() {
                None => true, // only whitespace within LOOK bytes: end the sentence
                Some(c) if is_continuation_punct(c) => false,
                Some(c) => decide_spaced(
                    line,
                    run_start,
                    end,
                    single,
                    only_dots,
                    ellipsis,
                    had_closer,
                    closed_quote && !term_after_closer,
                    depth_inside,
                    embedded_inside,
                    after,
                    c,
                ),
            }
        } else {
            single
                && (glued_quote_end(line, run_start, run_end, end, next)
                    || (!had_closer && glued_end(line, run_start, run_end, next)))
        };
        if is_cut {
            // A token of terminators alone after the end belongs to it (`الخليجيين؟ !`).
            let (tail, tail_end) = punct_token_after(line, end);
            if tail {
                end = tail_end;
                i = end;
                if end >= n {
                    break;
                }
            }
            cut(end);
            sent_start = end;
            first_content = None;
            has_content = false;
            bare_upto = end;
        }
    }
}

/// After `end` and whitespace, a token made only of terminators and closers that ends the line
/// or is followed by whitespace: (true, its end).
fn punct_token_after(line: &str, end: usize) -> (bool, usize) {
    let rest = &line[end..];
    let ws = rest.len() - rest.trim_start().len();
    if ws == 0 {
        return (false, end);
    }
    let start = end + ws;
    let mut k = start;
    for c in line[start..].chars() {
        if is_terminator(c) || is_closer(c) {
            k += c.len_utf8();
        } else {
            break;
        }
    }
    let ends_token = line[k..].chars().next().is_none_or(char::is_whitespace);
    let has_terminator = line[start..k].chars().any(is_terminator);
    (k > start && ends_token && has_terminator, k)
}

/// A straight `"` opens a quotation at the line start or after whitespace, `(`, `:` or `«`, when
/// something other than whitespace follows it.
fn opens_straight_quote(line: &str, i: usize) -> bool {
    let before_ok = line[..i]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | ':' | '«'));
    let after_ok = line[i + 1..]
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace());
    before_ok && after_ok
}

fn open_quote(
    line: &str,
    i: usize,
    sent_start: usize,
    first: &mut Option<usize>,
    q: &mut QuoteState,
) {
    if q.depth == 0 {
        let fc = *first.get_or_insert_with(|| {
            let s = &line[sent_start..];
            sent_start + (s.len() - s.trim_start().len())
        });
        q.embedded = fc < i;
    }
    q.depth = q.depth.saturating_add(1);
}

#[allow(clippy::too_many_arguments)]
fn decide_spaced(
    line: &str,
    run_start: usize,
    closers_end: usize,
    single: bool,
    only_dots: bool,
    ellipsis: bool,
    had_closer: bool,
    closed_quote: bool,
    depth_inside: u32,
    embedded_inside: bool,
    after: &str,
    after_first: char,
) -> bool {
    if ellipsis {
        // A pause inside an open quotation continues the sentence, unless the next word
        // opens with the conjunction و (how Arabic sentences usually start);
        // a pause after a lone letter (`و.. و..`) always continues.
        if depth_inside > 0 && !closed_quote && !starts_with_waw(after) {
            return false;
        }
        // The omission mark `(...)` inside a quotation or a text never ends a sentence.
        if line[..run_start].ends_with('(')
            && line[run_start..closers_end]
                .trim_start_matches(is_terminator)
                .starts_with(')')
        {
            return false;
        }
        let (_, tok) = token_before(line, run_start);
        if tok.chars().count() == 1 && tok.chars().all(is_arabic_letter) {
            return false;
        }
        return true;
    }
    if single && only_dots && !had_closer {
        let (tok_start, tok) = token_before(line, run_start);
        if tok.is_empty() {
            return true;
        }
        if is_list_marker(line, tok_start, tok) {
            return false;
        }
        let prev = prev_token(line, tok_start);
        if is_number_suffix(tok, prev) {
            return !continues_after_suffix(after);
        }
        if is_abbreviation(tok)
            || acronym_continues(tok, prev, after)
            || is_middle_initial(tok, prev, after)
        {
            return false;
        }
        if after_first.is_ascii_lowercase() && tok.is_ascii() {
            return false;
        }
        return true;
    }
    if single && only_dots && &line[run_start + 1..closers_end] == ")" {
        let (tok_start, tok) = token_before(line, run_start);
        if acronym_ends_in_parens(tok, prev_token(line, tok_start)) {
            return false;
        }
    }
    // `?` `!` `؟` closing a quotation embedded mid-sentence: the sentence goes on
    // (not when a full stop follows the quote: `ماذا أقول؟». وبعد`).
    if had_closer && closed_quote && embedded_inside && !only_dots {
        return false;
    }
    true
}

/// The token before the whitespace preceding `tok_start` (bounded look-back).
fn prev_token(line: &str, tok_start: usize) -> &str {
    let lo = tok_start.saturating_sub(LOOK);
    let mut end = tok_start;
    for (i, c) in line[..tok_start].char_indices().rev() {
        if !c.is_whitespace() {
            break;
        }
        if i < lo {
            return "";
        }
        end = i;
    }
    token_before(line, end).1
}

/// A single terminator glued between two Arabic words (`سوريا.وذلك`, `سريعا!وأعلنت`).
/// For `.` the left word must have at least 3 letters (so `ص.ب`, `بي.إم` stay whole).
fn glued_end(line: &str, run_start: usize, run_end: usize, next: char) -> bool {
    if !is_arabic_word_char(next) {
        return false;
    }
    if let Some(end) = glued_number_end(line, run_start, run_end, next) {
        return end;
    }
    let mut left_letters = 0;
    let mut left_ok = false;
    for c in line[..run_start].chars().rev().take(8) {
        if is_arabic_word_char(c) {
            if is_arabic_letter(c) {
                left_letters += 1;
            }
            left_ok = true;
        } else {
            break;
        }
    }
    if !left_ok {
        return false;
    }
    let term = line[run_start..run_end].chars().next().unwrap_or('.');
    if term == '.' {
        // Acronyms and site names written in Arabic: `جيه.بي`, `إيه.بي.سي`, `العربية.نت`.
        let left = arabic_run_before(line, run_start);
        let right_len = line[run_end..]
            .char_indices()
            .take(12)
            .find(|&(_, c)| !is_arabic_word_char(c))
            .map_or(line.len() - run_end, |(k, _)| k);
        let right = &line[run_end..run_end + right_len];
        if is_site_suffix(right) {
            return false;
        }
        let right_dotted = line[run_end + right_len..].starts_with('.');
        if (is_letter_name(left) && (is_letter_name(right) || right_dotted))
            || (is_letter_name(right) && right_dotted)
        {
            return false;
        }
        let right_letters = line[run_end..]
            .chars()
            .take_while(|&c| is_arabic_word_char(c))
            .take(4)
            .filter(|&c| is_arabic_letter(c))
            .count();
        return left_letters >= 3 && right_letters >= 2;
    }
    true
}

/// A full stop glued between a number and the next Arabic word (`عام 2014.وجاءت`, `الدقيقة
/// 44.كذلك`) ends the sentence when the number (two digits at least) follows a word on its line;
/// a number opening a list item (`24.وثيقة` at a line start, `ريال 2.حصة`) does not. None when
/// the full stop does not follow a number.
fn glued_number_end(line: &str, run_start: usize, run_end: usize, next: char) -> Option<bool> {
    if &line[run_start..run_end] != "." || !is_arabic_letter(next) {
        return None;
    }
    let number_start = line[..run_start]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_digit(c))
        .last()
        .map(|(i, _)| i)?;
    let number = &line[number_start..run_start];
    let before = &line[..number_start];
    let after_word = before.ends_with(|c: char| c.is_whitespace() || c == '/')
        && before
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '/');
    Some(number.chars().count() >= 2 && after_word && !is_list_marker(line, number_start, number))
}

/// A single terminator glued to the next Arabic word with a closing quote or bracket on
/// one side of it: `ستزيد».ووقع`, `(مايو).وزاد` (closer before), `الواقعة.”وقال` (closer
/// after; typographic closers only, since a straight `"` there may open the next sentence).
fn glued_quote_end(line: &str, run_start: usize, run_end: usize, end: usize, next: char) -> bool {
    if !is_arabic_word_char(next) {
        return false;
    }
    let after = &line[run_end..end];
    if !after.chars().all(|c| matches!(c, '»' | '”' | ')')) {
        return false;
    }
    let mut left = line[..run_start].chars().rev().peekable();
    let mut n_close = 0;
    while let Some(&c) = left.peek() {
        if n_close < 2 && matches!(c, '»' | '”' | '"' | ')') {
            n_close += 1;
            left.next();
        } else {
            break;
        }
    }
    // Exactly one side carries the closer(s); the bare case is `glued_end`'s.
    if (n_close == 0) == after.is_empty() {
        return false;
    }
    let left_letters = left
        .take(8)
        .take_while(|&c| is_arabic_word_char(c))
        .filter(|&c| is_arabic_letter(c))
        .count();
    let right_letters = line[end..]
        .chars()
        .take(4)
        .take_while(|&c| is_arabic_word_char(c))
        .filter(|&c| is_arabic_letter(c))
        .count();
    left_letters >= 2 && right_letters >= 2
}

/// The run of Arabic word characters (at most 12) ending at byte `end` of `line`.
fn arabic_run_before(line: &str, end: usize) -> &str {
    let mut start = end;
    for (i, c) in line[..end].char_indices().rev().take(12) {
        if !is_arabic_word_char(c) {
            break;
        }
        start = i;
    }
    &line[start..end]
}

/// `after` starts with و followed by at least two more letters (`وكانت`, `وقال`).
fn starts_with_waw(after: &str) -> bool {
    let mut it = after.chars();
    it.next() == Some('و') && it.filter(|&c| is_arabic_letter(c)).count() >= 2
}
