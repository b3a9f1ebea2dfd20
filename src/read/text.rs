use super::hashing::HashingReader;
use super::{Article, FileDigest, InputFile, Limits, ReadItem};
use crate::error::{InputError, Position};
use sha2::{Digest, Sha256};
use std::io::Read;

const BOM: &str = "\u{feff}";

/// A `.txt` file is one article: the whole file, less a leading UTF-8 BOM.
pub(super) fn read(
    file: &InputFile,
    limits: Limits,
    sink: &mut dyn FnMut(ReadItem),
) -> Result<FileDigest, InputError> {
    let fail = |position, reason: String| InputError {
        path: file.path.clone(),
        position,
        reason,
    };
    let handle =
        std::fs::File::open(&file.path).map_err(|e| fail(Position::File, e.to_string()))?;
    let mut reader = HashingReader::new(handle);
    let mut bytes = Vec::new();
    // Read one byte past the limit so an oversized file is told apart without reading all of it.
    (&mut reader)
        .take(limits.max_article_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(Position::File, e.to_string()))?;
    if bytes.len() > limits.max_article_bytes {
        let digest = reader
            .finish()
            .map_err(|e| fail(Position::File, e.to_string()))?;
        sink(Err(fail(
            Position::File,
            format!(
                "article is {} bytes, over the limit of {} (raise --max-article-bytes to accept it)",
                digest.bytes, limits.max_article_bytes
            ),
        )));
        return Ok(digest);
    }
    let digest = reader
        .finish()
        .map_err(|e| fail(Position::File, e.to_string()))?;
    match decode(bytes) {
        Ok(text) => {
            let article_id = hex::encode(Sha256::digest(text.as_bytes()));
            sink(Ok(Article {
                article_id,
                input: file.name.clone(),
                body: 0..text.len(),
                text,
                publisher: None,
                url: None,
                date: None,
                author: None,
            }));
        }
        Err((position, reason)) => sink(Err(fail(position, reason))),
    }
    Ok(digest)
}

/// Checks a text file's bytes: valid UTF-8, no NUL (a NUL means binary data, not news text).
fn decode(bytes: Vec<u8>) -> Result<String, (Position, String)> {
    if let Some(at) = memchr_nul(&bytes) {
        return Err((
            Position::Byte(at as u64),
            "NUL byte: this looks like a binary file, not text".into(),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (Position::Byte(at as u64), "invalid UTF-8".to_string())
    })?;
    if text.starts_with(BOM) {
        text.drain(..BOM.len());
    }
    Ok(text)
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_drops_bom_and_names_bad_bytes() {
        assert_eq!(decode("\u{feff}abc".into()).unwrap(), "abc");
        assert_eq!(
            decode(b"ab\xffc".to_vec()).unwrap_err().0,
            Position::Byte(2)
        );
        assert_eq!(decode(b"ab\0c".to_vec()).unwrap_err().0, Position::Byte(2));
        assert_eq!(decode(b"a\r\nb".to_vec()).unwrap(), "a\r\nb");
    }
}
