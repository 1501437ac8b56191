//! Output files are replaced whole or not at all: a run killed while it writes its report leaves
//! the earlier file as it was (the report goes to a temporary file beside it, renamed over it
//! once complete).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The demo snapshot with each service repeated `copies` times (new names and ARNs), so that
/// writing its JSON report takes long enough to be interrupted.
fn large_snapshot(dir: &Path, copies: usize) -> PathBuf {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/demo.json");
    let mut snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(demo).expect("demo snapshot"))
            .expect("demo JSON");
    let services = snapshot["ecs"]["services"]
        .as_array()
        .expect("services")
        .clone();
    let mut all = Vec::new();
    for copy in 0..copies {
        for service in &services {
            let mut service = service.clone();
            let name = format!(
                "{}-{copy}",
                service["serviceName"].as_str().unwrap_or("svc")
            );
            let arn = format!("{}-{copy}", service["serviceArn"].as_str().unwrap_or("arn"));
            service["serviceName"] = Value::from(name);
            service["serviceArn"] = Value::from(arn);
            all.push(service);
        }
    }
    snapshot["ecs"]["services"] = Value::from(all);
    let path = dir.join("large.json");
    std::fs::write(&path, snapshot.to_string()).expect("large snapshot");
    path
}

/// Whether a temporary file of the report is in `dir` (`.report.json.XXXXXX.tmp`).
fn writing(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(".report.json.")
                && Path::new(&name)
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("tmp"))
        })
    })
}

#[test]
fn a_killed_check_leaves_the_earlier_report_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snapshot = large_snapshot(dir.path(), 150);
    let report = dir.path().join("report.json");
    std::fs::write(&report, "{\"earlier\": true}\n").expect("earlier report");

    let mut child = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--snapshot"])
        .arg(&snapshot)
        .args(["--format", "json", "-o"])
        .arg(&report)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start efs-preflight");
    // Kill it as soon as it is writing the report.
    let deadline = Instant::now() + Duration::from_mins(2);
    let mut killed_while_writing = false;
    loop {
        if writing(dir.path()) {
            child.kill().expect("kill");
            killed_while_writing = true;
            break;
        }
        if child.try_wait().expect("poll").is_some() || Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    child.wait().expect("reap");
    assert!(
        killed_while_writing,
        "the run ended before it was seen writing; the snapshot is too small to interrupt it"
    );
    assert_eq!(
        std::fs::read_to_string(&report).expect("report still there"),
        "{\"earlier\": true}\n",
        "the earlier report is intact"
    );
}

#[test]
fn a_finished_check_replaces_the_report_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.json");
    std::fs::write(&report, "{\"earlier\": true}\n").expect("earlier report");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scenarios/demo.json");
    let status = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--snapshot"])
        .arg(&demo)
        .args(["--format", "json", "-o"])
        .arg(&report)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run efs-preflight");
    assert_eq!(status.code(), Some(1), "the demo has failures");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("JSON");
    assert!(written["findings"]
        .as_array()
        .is_some_and(|f| !f.is_empty()));
    assert!(!writing(dir.path()), "no temporary file is left");
}
