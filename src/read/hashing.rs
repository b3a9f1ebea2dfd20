use sha2::{Digest, Sha256};
use std::io::Read;

/// sha256 and size of an input file's raw bytes, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub sha256: String,
    pub bytes: u64,
}

/// Hashes the raw bytes as they are read, so an input is read from disk only once.
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Reads whatever is left (a decoder may stop before the end of its input) and returns the digest.
    pub(crate) fn finish(mut self) -> std::io::Result<FileDigest> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok(FileDigest {
            sha256: hex::encode(self.hasher.finalize()),
            bytes: self.bytes,
        })
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}
