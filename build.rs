//! Records the rustc and parquet versions this binary is built with, for the manifest's `built_with`.
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=CLAIMSET_RUSTC_VERSION={version}");

    let lock =
        std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let parquet = std::fs::read_to_string(&lock)
        .ok()
        .and_then(|text| {
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                if line == "name = \"parquet\"" {
                    return lines
                        .next()
                        .and_then(|v| v.strip_prefix("version = "))
                        .map(|v| v.trim_matches('"').to_string());
                }
            }
            None
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=CLAIMSET_PARQUET_VERSION={parquet}");
    println!("cargo:rerun-if-changed=build.rs");
    bundle_rules();
}

/// Embeds the rule and lexicon files (`rules/**/*.toml`, `lexicon/**/*.toml`) so the binary carries
/// its default rule set: the same build labels the same way wherever it runs.
fn bundle_rules() {
    let root = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files = Vec::new();
    for dir in ["rules", "lexicon"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root, &root.join(dir), &mut files);
    }
    files.sort();
    let mut code = String::from("pub const BUNDLED: &[(&str, &str)] = &[\n");
    for rel in &files {
        println!("cargo:rerun-if-changed={rel}");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            root.join(rel).display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled_rules.rs");
    std::fs::write(out, code).unwrap();
}

fn collect(root: &std::path::Path, dir: &std::path::Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path.strip_prefix(root).unwrap();
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(rel.join("/"));
        }
    }
}
