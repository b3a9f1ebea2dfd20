//! The committed reference release of the sample dataset: a rebuild gives the same bytes (the
//! manifest's `built_with` aside, so a new toolchain alone does not fail this).
//! Re-bless after a deliberate change (with a version bump): `CLAIMSET_BLESS=1 cargo test --test reference`.

mod common;

use common::*;

fn strip_built_with(bytes: &[u8]) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    value.as_object_mut().unwrap().remove("built_with");
    value
}

#[test]
fn sample_rebuild_matches_the_reference_release() {
    let spec = claimset::spec::Spec::load(&repo().join("datasets/sample"))
        .unwrap()
        .0;
    let reference = repo().join("datasets/sample/reference").join(&spec.version);
    let tmp = tempfile::tempdir().unwrap();
    claimset_ok(&[
        "build",
        "datasets/sample",
        "--out",
        path_str(tmp.path()),
        "--quiet",
    ]);
    let built = tmp.path().join("sample").join(&spec.version);

    if std::env::var_os("CLAIMSET_BLESS").is_some() {
        if reference.exists() {
            for entry in walkdir::WalkDir::new(&reference) {
                let entry = entry.unwrap();
                let mut perms = std::fs::metadata(entry.path()).unwrap().permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perms.set_readonly(false);
                std::fs::set_permissions(entry.path(), perms).unwrap();
            }
            std::fs::remove_dir_all(&reference).unwrap();
        }
        writable_copy(&built, &reference);
        eprintln!("blessed {}", reference.display());
        return;
    }

    assert!(
        reference.exists(),
        "no reference release at {}: run `CLAIMSET_BLESS=1 cargo test --test reference`",
        reference.display()
    );
    let (want, got) = (file_hashes(&reference), file_hashes(&built));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "the release holds other files than the reference"
    );
    for (rel, hash) in &want {
        if rel == "manifest.json" {
            let a = strip_built_with(&std::fs::read(reference.join(rel)).unwrap());
            let b = strip_built_with(&std::fs::read(built.join(rel)).unwrap());
            assert_eq!(
                a, b,
                "manifest.json differs from the reference (beyond built_with)"
            );
        } else {
            assert_eq!(
                hash, &got[rel],
                "{rel} differs from the reference; if the change is deliberate, bump the sample's \
                 version and run `CLAIMSET_BLESS=1 cargo test --test reference`"
            );
        }
    }
    // The committed reference verifies on its own.
    claimset_ok(&["verify", path_str(&reference)]);
}
