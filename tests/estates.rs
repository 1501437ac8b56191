//! Several estates (accounts x Regions) in one snapshot: replayed with the same findings as the
//! single-estate files they hold, each target carrying its account and Region, filtered by
//! `--accounts` / `--regions`, and an estate that could not be read reported as such.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn scenario(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> (Value, i32, String) {
    let out = Command::cargo_bin("efs-preflight")
        .expect("binary is built")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        v,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Findings without their target's account and Region, for comparing estates with files.
fn findings_without_estate(report: &Value) -> Vec<Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let t = f["target"].as_object_mut().expect("target");
            t.remove("account");
            t.remove("region");
            f
        })
        .collect()
}

#[test]
fn every_estate_is_checked_and_each_target_names_its_estate() {
    let estates = scenario("estates.json");
    let (all, code, _) = run(&["--snapshot", &estates]);
    assert_eq!(code, 1, "the demo estate has failures");
    let findings = all["findings"].as_array().expect("findings");
    for f in findings {
        let t = &f["target"];
        let estate = (t["account"].as_str(), t["region"].as_str());
        assert!(
            matches!(
                estate,
                (Some("123456789012"), Some("us-east-1"))
                    | (Some("210987654321"), Some("eu-west-1"))
            ),
            "{t}"
        );
    }
    assert!(findings
        .iter()
        .any(|f| f["target"]["account"] == "210987654321" && f["status"] == "pass"));
    assert!(findings
        .iter()
        .filter(|f| f["status"] != "pass")
        .all(|f| f["target"]["account"] == "123456789012"));
    // The estate whose role could not be assumed is a gap, not a pass and not exit 3.
    let not_checked = all["coverage"]["not_checked"].to_string();
    assert!(
        not_checked.contains("333333333333/us-east-1: nothing read (sts:AssumeRole AccessDenied"),
        "{not_checked}"
    );
}

#[test]
fn an_estate_replays_with_the_findings_of_its_own_file() {
    let (one, code_one, _) = run(&[
        "--snapshot",
        &scenario("estates.json"),
        "--accounts",
        "123456789012",
        "--regions",
        "us-east-1",
    ]);
    let (file, code_file, _) = run(&["--snapshot", &scenario("demo.json")]);
    assert_eq!(code_one, code_file);
    assert_eq!(
        findings_without_estate(&one),
        findings_without_estate(&file)
    );
    assert_eq!(one["summary"], file["summary"]);
    let (healthy, code, _) = run(&[
        "--snapshot",
        &scenario("estates.json"),
        "--regions",
        "eu-west-1",
    ]);
    assert_eq!(code, 0);
    assert_eq!(healthy["summary"]["fail"], 0);
    assert!(healthy["summary"]["pass"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn a_filter_that_selects_no_estate_is_a_usage_error() {
    let (_, code, stderr) = run(&[
        "--snapshot",
        &scenario("estates.json"),
        "--accounts",
        "999999999999",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no estate matches")
            && stderr.contains("123456789012/us-east-1, 210987654321/eu-west-1"),
        "{stderr}"
    );
    // `org` and `all` select everything.
    let (_, code, _) = run(&[
        "--snapshot",
        &scenario("estates.json"),
        "--accounts",
        "org",
        "--regions",
        "all",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn a_pre_deploy_input_needs_one_estate() {
    let td = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/predeploy/web-task-definition.json")
        .display()
        .to_string();
    let estates = scenario("estates.json");
    let (_, code, stderr) = run(&[
        "--snapshot",
        &estates,
        "--task-definition",
        &td,
        "--subnets",
        "subnet-0aa1111111111111a",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--accounts ID --regions REGION"),
        "{stderr}"
    );
    let (narrowed, code_narrowed, _) = run(&[
        "--snapshot",
        &estates,
        "--accounts",
        "123456789012",
        "--regions",
        "us-east-1",
        "--task-definition",
        &td,
        "--subnets",
        "subnet-0aa1111111111111a",
    ]);
    let (file, code_file, _) = run(&[
        "--snapshot",
        &scenario("demo.json"),
        "--task-definition",
        &td,
        "--subnets",
        "subnet-0aa1111111111111a",
    ]);
    assert_eq!(code_narrowed, code_file);
    assert_eq!(
        findings_without_estate(&narrowed),
        findings_without_estate(&file)
    );
}

#[test]
fn a_mixed_file_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mixed.json");
    std::fs::write(
        &path,
        r#"{"efs_preflight_snapshot": 1, "ecs": {"services": []}, "estates": [{"account_id": "1"}]}"#,
    )
    .expect("write");
    let (_, code, stderr) = run(&["--snapshot", &path.display().to_string()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("both `estates` and top-level sections"),
        "{stderr}"
    );
}

#[test]
fn a_filter_is_checked_against_the_estates_even_when_the_file_names_an_account() {
    // A multi-estate file may name an account and Region at its top level too; the filter
    // selects estates, so a filter matching only the top level still selects nothing.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("named.json");
    std::fs::write(
        &path,
        r#"{"efs_preflight_snapshot": 1, "account_id": "111111111111", "region": "us-east-1",
            "estates": [{"account_id": "222222222222", "region": "eu-west-1"}]}"#,
    )
    .expect("write");
    let (_, code, stderr) = run(&[
        "--snapshot",
        &path.display().to_string(),
        "--accounts",
        "111111111111",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no estate matches"), "{stderr}");
}
