//! Atomic publication: a release is staged in a hidden directory beside its final path and renamed
//! into place in one step, so readers never see a partial release, even if the build is killed.

use super::build::Publication;
use crate::error::{Error, Result};
use crate::manifest::FileEntry;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

const STAGING_PREFIX: &str = ".staging-";

/// `<out>/<name>/<version>`.
pub fn release_dir(out: &Path, name: &str, version: &str) -> PathBuf {
    out.join(name).join(version)
}

/// Makes a fresh staging directory for `target`, first removing what killed builds left behind
/// (staging directories whose process is gone).
pub(crate) fn staging_dir(target: &Path) -> Result<PathBuf> {
    let parent = target
        .parent()
        .ok_or_else(|| Error::Release(format!("{}: no parent directory", target.display())))?;
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    clean_stale(parent);
    let version = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!("{STAGING_PREFIX}{version}-{}", std::process::id()));
    if staging.exists() {
        discard(&staging)?;
    }
    std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
    Ok(staging)
}

fn clean_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(STAGING_PREFIX) else {
            continue;
        };
        let pid = rest.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = discard(&entry.path());
        }
    }
}

/// Removes a staging directory (its files may already be read-only).
pub(crate) fn discard(dir: &Path) -> Result<()> {
    set_writable(dir);
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))
}

fn set_writable(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if let Ok(meta) = entry.metadata() {
            let mut perms = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            let _ = std::fs::set_permissions(entry.path(), perms);
        }
    }
}

/// Makes every file read-only (directories stay writable so the release can be deleted).
fn set_read_only(dir: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if entry.file_type().is_file() {
            let path = entry.path();
            let mut perms = std::fs::metadata(path)
                .map_err(|e| Error::io(path, e))?
                .permissions();
            perms.set_readonly(true);
            std::fs::set_permissions(path, perms).map_err(|e| Error::io(path, e))?;
        }
    }
    Ok(())
}

/// Renames the staged release into place. When the target already exists, the staged copy is
/// compared with it: the same files mean the release is already published; anything else is refused.
pub(crate) fn publish(staging: &Path, target: &Path) -> Result<Publication> {
    set_read_only(staging)?;
    sync_dir(staging);
    if !target.exists() {
        match std::fs::rename(staging, target) {
            Ok(()) => {
                if let Some(parent) = target.parent() {
                    sync_dir(parent);
                }
                return Ok(Publication::Published);
            }
            // Another build published the same version meanwhile: compare with it below.
            Err(_) if target.exists() => {}
            Err(e) => {
                let _ = discard(staging);
                return Err(Error::io(target, e));
            }
        }
    }
    let same = same_release(staging, target);
    discard(staging)?;
    match same {
        Ok(true) => Ok(Publication::AlreadyPublished),
        Ok(false) => Err(Error::Release(format!(
            "{} is already published with different content; releases are immutable, so bump the version",
            target.display()
        ))),
        Err(e) => Err(e),
    }
}

/// True when both releases hold the same files with the same bytes, `built_with` aside.
fn same_release(a: &Path, b: &Path) -> Result<bool> {
    let ma = crate::manifest::Manifest::read(a)?;
    let mb = match crate::manifest::Manifest::read(b) {
        Ok(m) => m,
        Err(_) => return Ok(false),
    };
    let strip = |mut m: crate::manifest::Manifest| {
        m.built_with = crate::manifest::BuiltWith {
            claimset: String::new(),
            rustc: String::new(),
            parquet: String::new(),
        };
        m
    };
    Ok(strip(ma) == strip(mb))
}

fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// sha256 and size of a file of a release, by its release-relative path.
pub fn file_entry(release: &Path, rel: &str) -> Result<FileEntry> {
    let path = release.join(rel);
    let (sha256, bytes) = sha256_file(&path)?;
    Ok(FileEntry {
        path: rel.to_string(),
        sha256,
        bytes,
    })
}

pub(crate) fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), bytes))
}
