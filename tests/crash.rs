//! Crashes and races (issue 8): builds killed with SIGKILL at many points never leave a release at
//! the final path (only complete ones), the next build cleans up and succeeds; two builds of the same
//! release at once publish exactly once; `verify` catches the changes `tests/release.rs` does not try.

mod common;

use claimset::manifest::Manifest;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const VERSION: &str = "1.0.0";

/// `n` JSON Lines articles of made-up Arabic news sentences (actors and cue words included, so
/// labeling has work to do), starting at id `first`.
fn articles(n: usize, first: usize) -> String {
    let subjects = [
        "روسيا",
        "الصين",
        "إيران",
        "الحكومة اليمنية",
        "الأمم المتحدة",
        "السعودية",
    ];
    let verbs = ["أكدت", "أعلنت", "حذرت", "نفت", "رحبت"];
    let objects = [
        "التعاون الأمني المشترك",
        "تهديد الميليشيات المسلحة",
        "أنها لن تسمح بأي هجوم",
        "دعم الحوار السياسي",
        "توقيع اتفاق اقتصادي جديد",
    ];
    let mut out = String::new();
    for i in first..first + n {
        let mut content = String::new();
        for j in 0..6 {
            let k = i * 7 + j * 3;
            content.push_str(&format!(
                "{} {} {} في اليوم {} من الشهر {}. ",
                verbs[k % verbs.len()],
                subjects[(k / 5) % subjects.len()],
                objects[(k / 3) % objects.len()],
                i,
                j
            ));
        }
        out.push_str(&format!(
            "{{\"id\":\"a{i}\",\"title\":\"خبر رقم {i}\",\"content\":\"{}\"}}\n",
            content.trim()
        ));
    }
    out
}

fn spawn_build(input: &Path, name: &str, out: &Path, json: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimset"));
    cmd.args(["build", "--input", path_str(input), "--name", name])
        .args(["--version", VERSION, "--out", path_str(out), "--quiet"])
        .current_dir(repo())
        .stdin(Stdio::null());
    if json {
        cmd.arg("--json")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
    }
    cmd.spawn().expect("the claimset binary starts")
}

fn staging_dirs(parent: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(parent) {
        Ok(entries) => entries
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".staging-")
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// What a kill waits for before SIGKILL: a delay after spawning, or a file of the staged release.
#[derive(Debug, Clone, Copy)]
enum KillPoint {
    After(Duration),
    Staged(&'static str),
}

/// Runs one build and kills it at `point` (if it is still running then). Meanwhile, checks every
/// millisecond that the final path holds nothing or a complete release (with its manifest).
/// Returns whether the build was killed before it finished.
fn kill_at(input: &Path, out: &Path, point: KillPoint) -> bool {
    let release = out.join("c").join(VERSION);
    let mut child = spawn_build(input, "c", out, false);
    let staging = out
        .join("c")
        .join(format!(".staging-{VERSION}-{}", child.id()));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(120);
    loop {
        if release.exists() {
            assert!(
                release.join("manifest.json").exists(),
                "partial release at the final path ({point:?})"
            );
        }
        if let Some(status) = child.try_wait().unwrap() {
            // Finished before the kill point: it must have published a complete release.
            assert!(status.success(), "the build failed on its own ({point:?})");
            eprintln!("{point:?}: finished after {:?}", start.elapsed());
            claimset_ok(&["verify", path_str(&release)]);
            return false;
        }
        let due = match point {
            KillPoint::After(d) => start.elapsed() >= d,
            KillPoint::Staged(rel) => staging.join(rel).exists(),
        };
        if due || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let staged = staging.exists();
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    let killed = !status.success();
    eprintln!(
        "{point:?}: killed after {:?} (staging present: {staged}, killed before exit: {killed})",
        start.elapsed()
    );
    // Never a partial release: nothing, or a release that verifies (the rename came first).
    if release.exists() {
        claimset_ok(&["verify", path_str(&release)]);
    }
    killed
}

fn remove_release(release: &Path) {
    if release.exists() {
        // Files are read-only, their directories are not: removal works as for any user.
        std::fs::remove_dir_all(release).unwrap();
    }
}

#[test]
fn killed_builds_leave_no_partial_release_and_the_next_build_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.jsonl");
    std::fs::write(&input, articles(3000, 0)).unwrap();
    let out = tmp.path().join("out");
    let release = out.join("c").join(VERSION);

    // Reference: a build nobody kills.
    let reference = tmp.path().join("reference");
    let mut child = spawn_build(&input, "c", &reference, false);
    assert!(child.wait().unwrap().success());
    let want = file_hashes(&reference.join("c").join(VERSION));

    let mut points: Vec<KillPoint> = [5, 20, 50, 100, 200, 350, 500, 800, 1200, 2000]
        .into_iter()
        .map(|ms| KillPoint::After(Duration::from_millis(ms)))
        .collect();
    // Kill points by what the build has staged: started, writing data, sealing, verifying.
    for rel in [
        "",
        "meta",
        "data/train-00000-of-00001.parquet",
        "audit.json",
        "README.md",
        "croissant.json",
        "manifest.json",
    ] {
        points.push(KillPoint::Staged(rel));
    }
    let mut killed = 0;
    for point in points {
        if kill_at(&input, &out, point) {
            killed += 1;
        }
        // A release that made it (killed after the rename) is complete; remove it so the next
        // round can be killed on its way to the final path again.
        if release.exists() {
            assert_eq!(file_hashes(&release), want, "{point:?}");
            remove_release(&release);
        }
    }
    assert!(
        killed >= 8,
        "only {killed} builds were killed before finishing"
    );
    let left = staging_dirs(&out.join("c"));
    assert!(!left.is_empty(), "killed builds left no staging directory?");
    // Plus one of a build that died long ago (no such process), with read-only files in it.
    let stale = out.join("c").join(format!(".staging-{VERSION}-4294967"));
    std::fs::create_dir_all(stale.join("data")).unwrap();
    std::fs::write(stale.join("data/train-00000-of-00001.parquet"), b"PAR1").unwrap();
    let mut perms = std::fs::metadata(stale.join("data/train-00000-of-00001.parquet"))
        .unwrap()
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(stale.join("data/train-00000-of-00001.parquet"), perms).unwrap();

    // The next build removes what the killed ones left, publishes, and the release verifies and is
    // byte-identical to the one nobody killed.
    let mut child = spawn_build(&input, "c", &out, false);
    assert!(child.wait().unwrap().success());
    assert_eq!(staging_dirs(&out.join("c")), Vec::<PathBuf>::new());
    claimset_ok(&["verify", path_str(&release)]);
    assert_eq!(file_hashes(&release), want);
}

/// Runs two builds at once; returns (exit code, stdout, stderr) of each.
fn race(a: (&Path, &Path), b: (&Path, &Path)) -> [(i32, String, String); 2] {
    let ca = spawn_build(a.0, "r", a.1, true);
    let cb = spawn_build(b.0, "r", b.1, true);
    [ca, cb].map(|c| {
        let o = c.wait_with_output().unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    })
}

fn status_of(stdout: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!("not a JSON summary ({e}): {stdout}");
    });
    v["status"].as_str().unwrap().to_string()
}

#[test]
fn two_identical_builds_at_once_publish_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.jsonl");
    std::fs::write(&input, articles(400, 0)).unwrap();
    for round in 0..4 {
        let out = tmp.path().join(format!("out{round}"));
        let results = race((&input, &out), (&input, &out));
        let mut statuses: Vec<String> = results
            .iter()
            .map(|(code, stdout, stderr)| {
                assert_eq!(*code, 0, "round {round}: {stderr}");
                status_of(stdout)
            })
            .collect();
        statuses.sort();
        assert_eq!(
            statuses,
            ["already_published", "published"],
            "round {round}"
        );
        let release = out.join("r").join(VERSION);
        claimset_ok(&["verify", path_str(&release)]);
        assert_eq!(staging_dirs(&out.join("r")), Vec::<PathBuf>::new());
    }
}

#[test]
fn two_different_builds_at_once_publish_one_and_refuse_the_other() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.jsonl");
    let b = tmp.path().join("b.jsonl");
    std::fs::write(&a, articles(400, 0)).unwrap();
    std::fs::write(&b, articles(400, 1)).unwrap();
    for round in 0..4 {
        let out = tmp.path().join(format!("out{round}"));
        // Alternate which one starts first.
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let results = race((first, &out), (second, &out));
        let winners: Vec<&(i32, String, String)> =
            results.iter().filter(|(code, _, _)| *code == 0).collect();
        let losers: Vec<&(i32, String, String)> =
            results.iter().filter(|(code, _, _)| *code != 0).collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        assert_eq!(losers.len(), 1, "round {round}: {results:?}");
        assert_eq!(status_of(&winners[0].1), "published");
        let (code, _, stderr) = losers[0];
        assert_eq!(*code, 2, "{stderr}");
        assert!(
            stderr.contains("already published with different content")
                && stderr.contains("bump the version"),
            "{stderr}"
        );
        // What is published is the winner's release, whole.
        let release = out.join("r").join(VERSION);
        claimset_ok(&["verify", path_str(&release)]);
        let summary: serde_json::Value = serde_json::from_str(winners[0].1.trim()).unwrap();
        let manifest = Manifest::read(&release).unwrap();
        assert_eq!(summary["content_sha256"], manifest.content_sha256.as_str());
        assert_eq!(staging_dirs(&out.join("r")), Vec::<PathBuf>::new());
    }
}

/// Changes `tests/release.rs` does not make: appended bytes, files in new directories, a renamed
/// directory, two files swapping names, a data file replaced by another valid Parquet file.
#[test]
fn verify_detects_appends_new_directories_and_swaps() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.jsonl");
    std::fs::write(&input, articles(200, 0)).unwrap();
    let out = tmp.path().join("out");
    let mut child = spawn_build(&input, "v", &out, false);
    assert!(child.wait().unwrap().success());
    let release = out.join("v").join(VERSION);
    claimset_ok(&["verify", path_str(&release)]);
    let files: Vec<String> = file_hashes(&release).into_keys().collect();
    let data: Vec<&String> = files.iter().filter(|f| f.starts_with("data/")).collect();
    assert!(data.len() >= 2, "{files:?}");

    let mut case = 0;
    let mut check = |what: &str, change: &dyn Fn(&Path)| {
        case += 1;
        let copy = tmp.path().join(format!("copy{case}"));
        writable_copy(&release, &copy);
        claimset_ok(&["verify", path_str(&copy)]);
        change(&copy);
        let o = claimset(&["verify", path_str(&copy)]);
        assert_eq!(o.status.code(), Some(2), "verify passed after: {what}");
        assert!(!o.stderr.is_empty());
    };
    for rel in &files {
        check(&format!("append a byte to {rel}"), &|dir| {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(dir.join(rel))
                .unwrap();
            f.write_all(b"\n").unwrap();
        });
        check(&format!("empty {rel}"), &|dir| {
            std::fs::write(dir.join(rel), b"").unwrap()
        });
        check(&format!("move {rel} into a new directory"), &|dir| {
            std::fs::create_dir_all(dir.join("moved")).unwrap();
            let name = Path::new(rel).file_name().unwrap();
            std::fs::rename(dir.join(rel), dir.join("moved").join(name)).unwrap();
        });
    }
    check("extra file in a new directory", &|dir| {
        std::fs::create_dir_all(dir.join("extra/deeper")).unwrap();
        std::fs::write(dir.join("extra/deeper/notes.txt"), b"x").unwrap();
    });
    check("rename the data directory", &|dir| {
        std::fs::rename(dir.join("data"), dir.join("data2")).unwrap()
    });
    check("swap two data files", &|dir| {
        let (a, b) = (dir.join(data[0]), dir.join(data[1]));
        let tmp = dir.join("swap.tmp");
        std::fs::rename(&a, &tmp).unwrap();
        std::fs::rename(&b, &a).unwrap();
        std::fs::rename(&tmp, &b).unwrap();
    });
    check(
        "a data file replaced by the same file of another release",
        &|dir| {
            let other = tmp.path().join("other-out");
            let other_input = tmp.path().join("other.jsonl");
            std::fs::write(&other_input, articles(200, 1)).unwrap();
            if !other.join("v").join(VERSION).exists() {
                let mut child = spawn_build(&other_input, "v", &other, false);
                assert!(child.wait().unwrap().success());
            }
            let rel = data[0];
            std::fs::remove_file(dir.join(rel)).unwrap();
            std::fs::copy(other.join("v").join(VERSION).join(rel), dir.join(rel)).unwrap();
        },
    );
}
