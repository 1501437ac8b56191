//! The binary on `fixtures/scenarios/*`: every format, every exit code, bad input.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn scenario(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios")
        .join(name)
        .display()
        .to_string()
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("efs-preflight").expect("binary is built");
    c.env_remove("NO_COLOR")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

fn check(args: &[&str]) -> assert_cmd::assert::Assert {
    bin().arg("check").args(args).assert()
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = bin()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (v, out.status.code().unwrap_or(-1))
}

#[test]
fn demo_table_shows_failures_with_fixes_and_exits_1() {
    check(&["--snapshot", &scenario("demo.json")])
        .code(1)
        .stdout(predicate::str::contains("NET001"))
        .stdout(predicate::str::contains("ECS001"))
        .stdout(predicate::str::contains("aws efs create-mount-target --file-system-id fs-0shared0000000001 --subnet-id subnet-0cc3333333333333c"))
        .stdout(predicate::str::contains(" fail, "))
        .stdout(predicate::str::contains("checked: "))
        .stdout(predicate::str::contains("not checked: "));
}

#[test]
fn demo_json_follows_schema_1() {
    let (v, code) = json_of(&["--snapshot", &scenario("demo.json")]);
    assert_eq!(code, 1);
    assert_eq!(v["schema"], 1);
    assert!(v["tool"].as_str().unwrap().starts_with("efs-preflight "));
    assert_eq!(v["source"]["kind"], "snapshot");
    assert_eq!(v["source"]["region"], "us-east-1");
    assert_eq!(v["source"]["account_id"], "123456789012");
    let findings = v["findings"].as_array().unwrap();
    for f in findings {
        for key in [
            "rule", "name", "severity", "status", "target", "volume", "resource", "message", "fix",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        for key in ["kind", "cluster", "name", "arn"] {
            assert!(f["target"].get(key).is_some(), "target lacks {key}: {f}");
        }
    }
    let net001 = findings
        .iter()
        .find(|f| f["rule"] == "NET001" && f["status"] == "fail")
        .expect("NET001 fails for prod/worker");
    assert_eq!(net001["target"]["kind"], "service");
    assert_eq!(net001["target"]["cluster"], "prod");
    assert_eq!(net001["target"]["name"], "worker");
    assert_eq!(
        net001["target"]["arn"],
        "arn:aws:ecs:us-east-1:123456789012:service/prod/worker"
    );
    assert_eq!(net001["volume"], "shared-data");
    assert_eq!(net001["resource"], "subnet-0cc3333333333333c");
    assert_eq!(net001["severity"], "error");
    // Summary counts agree with the findings.
    let count = |s: &str| findings.iter().filter(|f| f["status"] == s).count();
    for s in ["fail", "warn", "unknown", "pass"] {
        assert_eq!(
            v["summary"][s].as_u64(),
            u64::try_from(count(s)).ok(),
            "{s}"
        );
    }
    assert_eq!(v["summary"]["targets"], 7);
}

#[test]
fn healthy_estate_exits_0() {
    check(&["--snapshot", &scenario("healthy.json")])
        .code(0)
        .stdout(predicate::str::contains("No problems found."));
    let (v, code) = json_of(&["--snapshot", &scenario("healthy.json")]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["fail"], 0);
    assert!(v["summary"]["pass"].as_u64().unwrap() > 10);
}

#[test]
fn fail_on_levels() {
    let w = scenario("warnings-only.json");
    check(&["--snapshot", &w]).code(0);
    check(&["--snapshot", &w, "--fail-on", "error"]).code(0);
    check(&["--snapshot", &w, "--fail-on", "warning"]).code(1);
    let p = scenario("partial.json");
    check(&["--snapshot", &p]).code(0);
    check(&["--snapshot", &p, "--fail-on", "warning"]).code(0);
    check(&["--snapshot", &p, "--fail-on", "unknown"]).code(1);
}

#[test]
fn partial_collection_reports_unknown_with_the_gap() {
    let (v, _) = json_of(&["--snapshot", &scenario("partial.json")]);
    let unknown: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "unknown")
        .collect();
    assert!(!unknown.is_empty());
    assert!(
        unknown.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("ec2:DescribeVpcAttribute")),
        "{unknown:?}"
    );
    let not_checked = v["coverage"]["not_checked"].to_string();
    assert!(not_checked.contains("ec2.NetworkAcls"), "{not_checked}");
}

#[test]
fn rule_selection() {
    let (v, _) = json_of(&["--snapshot", &scenario("demo.json"), "--rule", "NET001"]);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.is_empty());
    assert!(rules.iter().all(|r| *r == "NET001"));
    let (v, _) = json_of(&[
        "--snapshot",
        &scenario("demo.json"),
        "--skip-rule",
        "NET001,ECS001",
    ]);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule"] != "NET001" && f["rule"] != "ECS001"));
    let (v, _) = json_of(&[
        "--snapshot",
        &scenario("demo.json"),
        "--rule",
        "mount-target-missing-in-az",
    ]);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule"] == "NET001"));
    check(&["--snapshot", &scenario("demo.json"), "--rule", "NOPE999"])
        .code(2)
        .stderr(predicate::str::contains("unknown rule `NOPE999`"));
}

#[test]
fn scope_flags_select_services() {
    let (v, code) = json_of(&["--snapshot", &scenario("demo.json"), "--cluster", "staging"]);
    assert_eq!(code, 1);
    let clusters: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["target"]["cluster"].as_str().unwrap())
        .collect();
    assert!(clusters.iter().all(|c| *c == "staging"));
    let (v, code) = json_of(&[
        "--snapshot",
        &scenario("demo.json"),
        "--cluster",
        "prod",
        "--service",
        "web",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["targets"], 1);
    check(&[
        "--snapshot",
        &scenario("demo.json"),
        "--cluster",
        "prod",
        "--service",
        "nope",
    ])
    .code(2)
    .stderr(predicate::str::contains(
        "--service nope: no such service in cluster prod in the snapshot",
    ));
    check(&["--snapshot", &scenario("demo.json"), "--cluster", "nope"])
        .code(2)
        .stderr(predicate::str::contains("cluster nope"));
}

#[test]
fn show_passed_adds_passing_rows() {
    check(&["--snapshot", &scenario("healthy.json"), "--show-passed"])
        .code(0)
        .stdout(predicate::str::contains("pass"))
        .stdout(predicate::str::contains("NET001"));
}

#[test]
fn output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    check(&[
        "--snapshot",
        &scenario("demo.json"),
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ])
    .code(1)
    .stdout(predicate::str::is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["schema"], 1);
}

#[test]
fn markdown_format() {
    check(&["--snapshot", &scenario("demo.json"), "--format", "markdown"])
        .code(1)
        .stdout(predicate::str::contains(
            "## efs-preflight: ❌ EFS mounts will fail",
        ))
        .stdout(predicate::str::contains(
            "| status | rule | target | volume | resource | message |",
        ))
        .stdout(predicate::str::contains(
            "```sh\naws efs create-mount-target",
        ));
}

#[test]
fn sarif_format() {
    let out = bin()
        .args([
            "check",
            "--snapshot",
            &scenario("demo.json"),
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "NET001"
        && r["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# NET001")));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let idx = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["locations"][0]["logicalLocations"][0]["name"].is_string());
    }
}

#[test]
fn junit_format() {
    let out = bin()
        .args([
            "check",
            "--snapshot",
            &scenario("demo.json"),
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("<testsuites name=\"efs-preflight\""));
    assert!(xml.contains("<testcase name=\"NET001 mount-target-missing-in-az\""));
    assert!(xml.contains("<failure"));
}

#[test]
fn bad_snapshots_exit_2_with_location() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("truncated.json", "{\n  \"efs_preflight_snapshot\": 1,\n  \"ec2\": {\"Subnets\": [", "truncated.json:3:"),
        ("notjson.json", "this is not json", "notjson.json:1:2: not valid JSON"),
        ("noversion.json", "{\"ec2\": {}}", "missing field `efs_preflight_snapshot`"),
        ("newer.json", "{\"efs_preflight_snapshot\": 9}", "newer efs-preflight"),
        (
            "wrongtype.json",
            "{\"efs_preflight_snapshot\": 1,\n\"ec2\": {\"Subnets\": [{\"SubnetId\": \"subnet-1\", \"VpcId\": 7}]}}",
            "ec2.Subnets[0].VpcId: invalid type: integer `7`, expected a string",
        ),
        ("array.json", "\n  [1, 2]", "array.json:2:3: expected a JSON object"),
        ("empty.json", "", "empty.json:1:1: the file is empty"),
    ];
    for (name, text, expect) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        check(&["--snapshot", p.to_str().unwrap()])
            .code(2)
            .stderr(predicate::str::contains(*expect))
            .stderr(predicate::str::contains("panicked").not());
    }
    check(&["--snapshot", "/nonexistent/snap.json"])
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/snap.json: cannot read the file",
        ));
}

#[test]
fn usage_errors_exit_2() {
    bin().args(["check", "--bogus"]).assert().code(2);
    bin()
        .args([
            "check",
            "--snapshot",
            &scenario("demo.json"),
            "--format",
            "xml",
        ])
        .assert()
        .code(2);
    bin().args(["nope"]).assert().code(2);
    bin().assert().code(2);
}

#[test]
fn help_lists_every_command() {
    bin()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("check"))
        .stdout(predicate::str::contains("snapshot"))
        .stdout(predicate::str::contains("explain"))
        .stdout(predicate::str::contains("rules"));
    for sub in ["check", "snapshot", "explain", "rules"] {
        bin().args([sub, "--help"]).assert().code(0);
    }
    bin()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("efs-preflight"));
}

#[test]
fn rules_command() {
    let out = bin().arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for r in efs_preflight::rules::ALL {
        assert!(text.contains(r.id), "{} missing from `rules`", r.id);
    }
    bin()
        .args(["rules", "net001"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "# NET001: mount-target-missing-in-az",
        ));
    bin().args(["rules", "XYZ123"]).assert().code(2);
}

#[test]
fn live_without_aws_exits_3() {
    // No snapshot: live collection. With an unreachable endpoint, AWS cannot be read at all.
    bin()
        .args([
            "check",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--region",
            "us-east-1",
        ])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .assert()
        .code(3);
}
