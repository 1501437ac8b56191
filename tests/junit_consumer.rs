//! JUnit output read back by a JUnit consumer (`junitparser`, from the test virtualenv), and
//! compared with the JSON report of the same run.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> PathBuf {
    let p = root().join(".venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run `bash scripts/test.sh`",
        p.display()
    );
    p
}

fn report(format: &str, fail_on: &str, out: &Path) -> i32 {
    Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .current_dir(root())
        .args([
            "check",
            "--snapshot",
            "fixtures/scenarios/demo.json",
            "--format",
            format,
            "--fail-on",
            fail_on,
            "-o",
        ])
        .arg(out)
        .status()
        .unwrap()
        .code()
        .unwrap_or(-1)
}

#[test]
fn junit_is_read_by_a_junit_consumer_and_agrees_with_json() {
    let dir = tempfile::tempdir().unwrap();
    for fail_on in ["error", "warning", "unknown"] {
        let xml = dir.path().join(format!("{fail_on}.xml"));
        let json = dir.path().join(format!("{fail_on}.json"));
        assert_eq!(report("junit", fail_on, &xml), 1);
        assert_eq!(report("json", fail_on, &json), 1);
        let out = Command::new(python())
            .arg(root().join("tests/junit_read.py"))
            .arg(&xml)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "junitparser failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let suites: Value = serde_json::from_slice(&out.stdout).unwrap();
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();

        let suites = suites.as_array().unwrap();
        assert_eq!(
            Some(suites.len() as u64),
            report["summary"]["targets"].as_u64()
        );
        let rules = efs_preflight::rules::ALL.len();
        for s in suites {
            assert_eq!(s["tests"], rules, "{}", s["name"]);
        }
        // A case fails when a finding of its rule on its target is at or above --fail-on.
        let trips = |status: &str| match fail_on {
            "error" => status == "fail",
            "warning" => status == "fail" || status == "warn",
            _ => status != "pass",
        };
        let mut expected_failures = std::collections::BTreeSet::new();
        for f in report["findings"].as_array().unwrap() {
            if trips(f["status"].as_str().unwrap()) {
                let t = &f["target"];
                expected_failures.insert(format!(
                    "{}/{} {}",
                    t["cluster"].as_str().unwrap(),
                    t["name"].as_str().unwrap(),
                    f["rule"].as_str().unwrap()
                ));
            }
        }
        let mut got_failures = std::collections::BTreeSet::new();
        for s in suites {
            let label = s["name"]
                .as_str()
                .unwrap()
                .trim_start_matches("service ")
                .to_owned();
            for c in s["cases"].as_array().unwrap() {
                if c["result"] == "failure" {
                    let rule = c["name"]
                        .as_str()
                        .unwrap()
                        .split(' ')
                        .next()
                        .unwrap()
                        .to_owned();
                    got_failures.insert(format!("{label} {rule}"));
                    assert!(c["message"].as_str().is_some_and(|m| !m.is_empty()));
                }
            }
        }
        assert_eq!(got_failures, expected_failures, "--fail-on {fail_on}");
    }
}
