use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The input formats claimset reads, told apart by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKind {
    Text,
    JsonLines,
    JsonLinesGz,
    JsonArray,
}

impl InputKind {
    /// The kind a file name implies, or None for files claimset does not read.
    pub fn from_name(name: &str) -> Option<InputKind> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".jsonl.gz") || lower.ends_with(".ndjson.gz") {
            Some(InputKind::JsonLinesGz)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Some(InputKind::JsonLines)
        } else if lower.ends_with(".json") {
            Some(InputKind::JsonArray)
        } else if lower.ends_with(".txt") {
            Some(InputKind::Text)
        } else {
            None
        }
    }

    /// JSON inputs carry `#N` after their path in the `input` column.
    pub fn is_json(self) -> bool {
        !matches!(self, InputKind::Text)
    }
}

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Where the file is on this machine (never written into a release).
    pub path: PathBuf,
    /// The path relative to the input root it was found under ('/'-separated): the `input` column
    /// and the canonical sort key.
    pub name: String,
    pub kind: InputKind,
    /// Index of the root (in the order given) the file was found under.
    pub root: usize,
}

/// Expands the given roots (files or directories, read recursively) into the files to read, sorted
/// by name in byte order. Files in directories that claimset does not read are returned apart, so
/// the caller can report them instead of dropping them silently.
pub fn discover(roots: &[PathBuf]) -> Result<(Vec<InputFile>, Vec<String>)> {
    let mut by_name: BTreeMap<String, InputFile> = BTreeMap::new();
    let mut ignored = Vec::new();
    for (root_index, root) in roots.iter().enumerate() {
        let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
        if meta.is_dir() {
            for entry in walkdir::WalkDir::new(root)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    Error::io(path, e.into())
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let name = slash_path(rel);
                match InputKind::from_name(&name) {
                    Some(kind) => insert(
                        &mut by_name,
                        InputFile {
                            path: entry.path().to_path_buf(),
                            name,
                            kind,
                            root: root_index,
                        },
                    )?,
                    None => ignored.push(name),
                }
            }
        } else {
            let name = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let kind = InputKind::from_name(&name).ok_or_else(|| {
                Error::Usage(format!(
                    "{}: unknown input format (expected .txt, .jsonl, .jsonl.gz or .json)",
                    root.display()
                ))
            })?;
            insert(
                &mut by_name,
                InputFile {
                    path: root.clone(),
                    name,
                    kind,
                    root: root_index,
                },
            )?;
        }
    }
    ignored.sort();
    Ok((by_name.into_values().collect(), ignored))
}

fn insert(by_name: &mut BTreeMap<String, InputFile>, file: InputFile) -> Result<()> {
    let (name, path) = (&file.name, &file.path);
    if let Some(previous) = by_name.get(name) {
        if same_file(&previous.path, path) {
            return Ok(());
        }
        return Err(Error::Usage(format!(
            "two inputs have the same name `{name}` ({} and {}); the `input` column could not tell them apart",
            previous.path.display(),
            path.display()
        )));
    }
    by_name.insert(name.clone(), file.clone());
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(
            InputKind::from_name("a.JSONL.gz"),
            Some(InputKind::JsonLinesGz)
        );
        assert_eq!(InputKind::from_name("a.jsonl"), Some(InputKind::JsonLines));
        assert_eq!(InputKind::from_name("a.json"), Some(InputKind::JsonArray));
        assert_eq!(InputKind::from_name("a.txt"), Some(InputKind::Text));
        assert_eq!(InputKind::from_name("README.md"), None);
    }

    #[test]
    fn directories_are_sorted_and_unknown_files_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "x").unwrap();
        std::fs::write(dir.path().join("sub/a.jsonl"), "").unwrap();
        std::fs::write(dir.path().join("README.md"), "").unwrap();
        let (files, ignored) = discover(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["b.txt", "sub/a.jsonl"]);
        assert_eq!(ignored, ["README.md"]);
    }
}
