use super::hashing::HashingReader;
use super::{Article, FieldMap, FileDigest, InputFile, InputKind, Limits, ReadItem};
use crate::error::{InputError, Position};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

type Object<'a> = HashMap<String, &'a RawValue>;

/// JSON Lines (plain or gzip): one article object per line. A bad line is reported on its own and
/// reading goes on; a broken stream (truncated gzip, I/O error) ends the file with an error.
pub(super) fn read_lines(
    file: &InputFile,
    fields: &FieldMap,
    limits: Limits,
    sink: &mut dyn FnMut(ReadItem),
) -> Result<FileDigest, InputError> {
    let handle =
        std::fs::File::open(&file.path).map_err(|e| file_error(file, Position::File, e))?;
    let hashing = HashingReader::new(handle);
    let finished = if file.kind == InputKind::JsonLinesGz {
        let mut reader =
            BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(hashing));
        each_line(file, fields, limits, &mut reader, sink)?;
        reader.into_inner().into_inner().finish()
    } else {
        let mut reader = BufReader::with_capacity(1 << 16, hashing);
        each_line(file, fields, limits, &mut reader, sink)?;
        reader.into_inner().finish()
    };
    finished.map_err(|e| file_error(file, Position::File, e))
}

fn each_line(
    file: &InputFile,
    fields: &FieldMap,
    limits: Limits,
    reader: &mut dyn BufRead,
    sink: &mut dyn FnMut(ReadItem),
) -> Result<(), InputError> {
    // A line may hold some JSON syntax around the article text, hence the allowance.
    let max_line = limits.max_article_bytes as u64 * 2 + 64 * 1024;
    let mut line = Vec::with_capacity(1 << 16);
    let mut number = 0u64;
    loop {
        line.clear();
        number += 1;
        let n = reader
            .take(max_line + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| file_error(file, Position::Line(number), e))?;
        if n == 0 {
            return Ok(());
        }
        if line.len() as u64 > max_line && line.last() != Some(&b'\n') {
            skip_rest_of_line(reader).map_err(|e| file_error(file, Position::Line(number), e))?;
            sink(Err(InputError {
                path: file.path.clone(),
                position: Position::Line(number),
                reason: format!(
                    "line is over {max_line} bytes, too large for an article of at most {} bytes (raise --max-article-bytes to accept it)",
                    limits.max_article_bytes
                ),
            }));
            continue;
        }
        let bytes = trim_ascii(&line);
        if bytes.is_empty() {
            continue;
        }
        // Columns count from the start of the line, before the BOM and blanks trimmed off.
        let lead = (bytes.as_ptr() as usize - line.as_ptr() as usize) as u64;
        let input = format!("{}#{number}", file.name);
        let item = parse_object(bytes, fields, limits, input).map_err(|(position, reason)| {
            let position = match position {
                Position::LineColumn(_, column) => Position::LineColumn(number, column + lead),
                _ => Position::Line(number),
            };
            InputError {
                path: file.path.clone(),
                position,
                reason,
            }
        });
        sink(item);
    }
}

fn skip_rest_of_line(reader: &mut dyn BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(at) = buf.iter().position(|&b| b == b'\n') {
            reader.consume(at + 1);
            return Ok(());
        }
        let len = buf.len();
        reader.consume(len);
    }
}

/// A `.json` file holding one array of article objects.
pub(super) fn read_array(
    file: &InputFile,
    fields: &FieldMap,
    limits: Limits,
    sink: &mut dyn FnMut(ReadItem),
) -> Result<FileDigest, InputError> {
    let handle =
        std::fs::File::open(&file.path).map_err(|e| file_error(file, Position::File, e))?;
    let mut reader = HashingReader::new(handle);
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| file_error(file, Position::File, e))?;
    let digest = reader
        .finish()
        .map_err(|e| file_error(file, Position::File, e))?;
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let items: Vec<&RawValue> = serde_json::from_slice(body).map_err(|e| InputError {
        path: file.path.clone(),
        position: Position::LineColumn(e.line() as u64, e.column() as u64),
        reason: format!("not a JSON array of article objects: {}", message(&e)),
    })?;
    for (index, raw) in items.iter().enumerate() {
        let input = format!("{}#{index}", file.name);
        let item =
            parse_object(raw.get().as_bytes(), fields, limits, input).map_err(|(_, reason)| {
                InputError {
                    path: file.path.clone(),
                    position: Position::Index(index as u64),
                    reason,
                }
            });
        sink(item);
    }
    Ok(digest)
}

fn file_error(file: &InputFile, position: Position, e: std::io::Error) -> InputError {
    InputError {
        path: file.path.clone(),
        position,
        reason: e.to_string(),
    }
}

/// serde_json's message without its own " at line L column C": that position is relative to the
/// parsed piece (always line 1 of a JSON Lines line), and the error already leads with the real one.
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let location = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&location) {
        Some(bare) => bare.to_string(),
        None => text,
    }
}

fn trim_ascii(line: &[u8]) -> &[u8] {
    let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    line.trim_ascii()
}

/// Turns one JSON object into an article, by the field map of design.md.
fn parse_object(
    bytes: &[u8],
    fields: &FieldMap,
    limits: Limits,
    input: String,
) -> Result<Article, (Position, String)> {
    let object: Object = serde_json::from_slice(bytes).map_err(|e| {
        let reason = if e.is_data() {
            format!(
                "expected a JSON object with the article's fields: {}",
                message(&e)
            )
        } else {
            format!("invalid JSON: {}", message(&e))
        };
        (
            Position::LineColumn(e.line() as u64, e.column() as u64),
            reason,
        )
    })?;
    let content = string_field(&object, &fields.text)?.ok_or_else(|| {
        (
            Position::File,
            format!("no text field (looked for {})", fields.text.join(", ")),
        )
    })?;
    let title = string_field(&object, &fields.title)?;
    let (text, body) = match title {
        Some(title) => {
            let title = title.trim();
            let content = content.trim();
            let text = format!("{title}\n{content}");
            let start = title.len() + 1;
            (text, start..start + content.len())
        }
        None => {
            let len = content.len();
            (content, 0..len)
        }
    };
    if text.len() > limits.max_article_bytes {
        return Err((
            Position::File,
            format!(
                "article is {} bytes, over the limit of {} (raise --max-article-bytes to accept it)",
                text.len(),
                limits.max_article_bytes
            ),
        ));
    }
    let article_id = match id_field(&object, &fields.id)? {
        Some(id) => id,
        None => hex::encode(Sha256::digest(text.as_bytes())),
    };
    Ok(Article {
        article_id,
        input,
        text,
        body,
        publisher: string_field(&object, &fields.publisher)?,
        url: string_field(&object, &fields.url)?,
        date: string_field(&object, &fields.date)?,
        author: string_field(&object, &fields.author)?,
    })
}

/// The first of `names` present and not null, which must be a string.
fn string_field(object: &Object, names: &[String]) -> Result<Option<String>, (Position, String)> {
    for name in names {
        let Some(raw) = object.get(name) else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(raw.get())
            .map_err(|e| (Position::File, format!("field `{name}`: {}", message(&e))))?;
        return match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => Ok(Some(s)),
            other => Err((
                Position::File,
                format!("field `{name}` is {}, expected a string", kind_of(&other)),
            )),
        };
    }
    Ok(None)
}

/// Like `string_field`, but an integer id is accepted and written in decimal.
fn id_field(object: &Object, names: &[String]) -> Result<Option<String>, (Position, String)> {
    for name in names {
        let Some(raw) = object.get(name) else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(raw.get())
            .map_err(|e| (Position::File, format!("field `{name}`: {}", message(&e))))?;
        return match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) if s.trim().is_empty() => continue,
            serde_json::Value::String(s) => Ok(Some(s)),
            serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
            other => Err((
                Position::File,
                format!(
                    "field `{name}` is {}, expected a string or an integer",
                    kind_of(&other)
                ),
            )),
        };
    }
    Ok(None)
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Article, (Position, String)> {
        parse_object(
            json.as_bytes(),
            &FieldMap::default(),
            Limits::default(),
            "f.jsonl#1".into(),
        )
    }

    #[test]
    fn title_and_content_make_the_text() {
        let a = parse(r#"{"title":" T ","content":" body ","url":"u","source":"s"}"#).unwrap();
        assert_eq!(a.text, "T\nbody");
        assert_eq!(&a.text[a.body.clone()], "body");
        assert_eq!(a.article_id, "u");
        assert_eq!(a.publisher.as_deref(), Some("s"));
    }

    #[test]
    fn wrong_types_and_missing_fields_are_named() {
        assert!(
            parse(r#"{"content":5}"#)
                .unwrap_err()
                .1
                .contains("`content` is a number")
        );
        assert!(
            parse(r#"{"content":["a"]}"#)
                .unwrap_err()
                .1
                .contains("an array")
        );
        assert!(
            parse(r#"{"title":"x"}"#)
                .unwrap_err()
                .1
                .contains("no text field")
        );
        assert!(
            parse(r#"[1]"#)
                .unwrap_err()
                .1
                .contains("expected a JSON object")
        );
    }

    #[test]
    fn text_without_id_gets_a_content_id() {
        let a = parse(r#"{"text":"abc"}"#).unwrap();
        assert_eq!(a.article_id, hex::encode(Sha256::digest(b"abc")));
    }

    #[test]
    fn deep_nesting_is_handled_without_a_crash() {
        let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        // In a field claimset does not read, nesting is skipped over.
        let other = format!("{{\"content\":\"a\",\"x\":{}}}", nest(100_000));
        assert_eq!(parse(&other).unwrap().text, "a");
        // In the text field it is an error (serde_json's recursion limit), never a stack overflow.
        let inside = format!("{{\"content\":{}}}", nest(100_000));
        assert!(parse(&inside).is_err());
    }
}
