//! Character classes used by the segmenter (pure functions, no state).

/// Sentence terminators: `.` `!` `?` `؟` `…`.
#[inline]
pub fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{061F}' | '\u{2026}')
}

/// Closing quotes/brackets that stay with the sentence they follow.
#[inline]
pub fn is_closer(c: char) -> bool {
    matches!(
        c,
        '»' | '”' | '"' | '\'' | '’' | ')' | ']' | '}' | '›' | '\u{FF09}' | '\u{FD3F}'
    )
}

/// Opening punctuation stripped from the front of a token.
#[inline]
pub fn is_opener(c: char) -> bool {
    matches!(
        c,
        '«' | '“' | '"' | '\'' | '‘' | '(' | '[' | '{' | '‹' | '\u{FD3E}'
    )
}

/// Line breaks: LF, CR (CRLF is two breaks with nothing between), U+2028, U+2029.
#[inline]
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// Characters that make up an Arabic word: letters, tatweel, harakat, presentation forms.
#[inline]
pub fn is_arabic_word_char(c: char) -> bool {
    matches!(c as u32,
        0x0620..=0x065F | 0x066E..=0x06D3 | 0x06D5 | 0x06FA..=0x06FF
        | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC)
}

/// An Arabic letter proper (not a diacritic, not tatweel).
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    is_arabic_word_char(c) && !matches!(c as u32, 0x0640 | 0x064B..=0x065F)
}

/// ASCII or Arabic-Indic / Eastern Arabic-Indic digit.
#[inline]
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c as u32, 0x0660..=0x0669 | 0x06F0..=0x06F9)
}

/// Punctuation that, as the first thing after a terminator and whitespace, shows the
/// sentence goes on (`،` `,` `؛` `;` `:` `)`). Dashes are not: ` - ` after a terminator
/// opens a list item or an answer.
#[inline]
pub fn is_continuation_punct(c: char) -> bool {
    matches!(c, '،' | ',' | '؛' | ';' | ':' | ')' | '»' | '”')
}

/// Number of Unicode code points in a UTF-8 byte slice (counts non-continuation bytes).
#[inline]
pub fn count_chars(bytes: &[u8]) -> usize {
    // u8 accumulators over 255-byte blocks vectorise far better than a usize counter.
    let mut total = 0usize;
    for block in bytes.chunks(255) {
        let mut c: u8 = 0;
        for &b in block {
            c += ((b as i8) >= -0x40) as u8;
        }
        total += c as usize;
    }
    total
}
