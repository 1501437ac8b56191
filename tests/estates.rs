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

/// The human formats of a run over several estates, as a user sees them.
fn human(args: &[&str], columns: Option<u16>) -> String {
    let mut c = Command::cargo_bin("efs-preflight").expect("binary is built");
    c.env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    if let Some(w) = columns {
        c.env("COLUMNS", w.to_string());
    }
    let out = c
        .arg("check")
        .args(["--snapshot", &scenario("estates.json")])
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "the demo estate has failures");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn table_leads_with_the_counts_per_estate_then_groups_by_account_and_region() {
    for columns in [80, 100, 120] {
        let text = human(&[], Some(columns));
        let name = format!("estates-table-{columns}");
        insta::with_settings!({prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name.clone(), text);
        });
        if columns == 100 {
            // Piped or written to a file: laid out for 100 columns.
            assert_eq!(human(&[], None), text);
        }
        let lines: Vec<&str> = text.lines().collect();
        // The counts come first, in account order, the unread estate with why.
        assert_eq!(lines[0], "3 estates (account x Region):", "{name}");
        assert!(lines[1].starts_with("account       region     targets  fail  warn"));
        assert!(lines[2].starts_with("123456789012  us-east-1        7    11     1        0   242"));
        assert!(lines[3].starts_with("210987654321  eu-west-1        1     0     0        0    42"));
        assert!(lines[4].starts_with("333333333333  us-east-1        -     -     -        -     -"));
        assert!(lines[5].starts_with("  nothing read: sts:AssumeRole AccessDenied"));
        // Findings only under the heading of the estate they are about; the estate that
        // passes has no section of its own.
        let heading = lines
            .iter()
            .position(|l| *l == "123456789012 / us-east-1")
            .expect("heading of the demo estate");
        assert_eq!(lines[heading + 1], "========================");
        assert!(!text.contains("210987654321 / eu-west-1"), "{name}");
        assert!(!text.contains("333333333333 / us-east-1"), "{name}");
        let first_row = lines
            .iter()
            .position(|l| l.starts_with("fail    NET001"))
            .expect("NET001 row");
        assert!(first_row > heading);
        // The whole run's summary closes the report.
        assert!(text.contains("\n8 targets: 11 fail, 1 warn, 0 unknown, 284 pass\n"));
    }
    // With passing findings, the healthy estate gets its section, after the demo estate's.
    let text = human(&["--show-passed"], Some(100));
    let demo = text
        .find("\n123456789012 / us-east-1\n")
        .expect("demo estate");
    let healthy = text
        .find("\n210987654321 / eu-west-1\n")
        .expect("healthy estate");
    assert!(demo < healthy);
    assert!(text[healthy..].contains("\npass    "));
}

#[test]
fn markdown_leads_with_the_counts_per_estate_then_groups_by_account_and_region() {
    let text = human(&["--format", "markdown"], None);
    insta::with_settings!({prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("estates-markdown", text);
    });
    let table = "| account | Region | targets | fail | warn | unknown | pass | notes |\n\
                 | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n\
                 | `123456789012` | `us-east-1` | 7 | **11** | **1** | 0 | 242 |  |\n\
                 | `210987654321` | `eu-west-1` | 1 | 0 | 0 | 0 | 42 |  |\n\
                 | `333333333333` | `us-east-1` | - | - | - | - | - | nothing read: sts:AssumeRole AccessDenied: not authorized to perform sts:AssumeRole |\n";
    assert!(text.contains(table), "{text}");
    let heading = text
        .find("\n### 123456789012 / us-east-1\n")
        .expect("heading");
    assert!(text.find("| ❌ fail | `NET001`").expect("row") > heading);
    assert!(text.find("#### Observed failures").expect("observed") > heading);
    assert!(!text.contains("### 210987654321"));
    assert!(text.len() <= efs_preflight::report::markdown::MAX_LEN);
}

#[test]
fn json_summary_counts_each_estate() {
    let (all, _, _) = run(&["--snapshot", &scenario("estates.json")]);
    let summary = &all["summary"];
    let estates = summary["estates"].as_array().expect("summary.estates");
    assert_eq!(estates.len(), 3);
    for key in ["targets", "fail", "warn", "unknown", "pass", "suppressed"] {
        let sum: u64 = estates.iter().filter_map(|e| e[key].as_u64()).sum();
        assert_eq!(Some(sum), summary[key].as_u64(), "{key}");
    }
    assert_eq!(estates[0]["account"], "123456789012");
    assert_eq!(estates[0]["fail"], 11);
    assert_eq!(estates[0]["nothing_read"], Value::Null);
    assert_eq!(estates[1]["region"], "eu-west-1");
    assert_eq!(estates[1]["targets"], 1);
    assert_eq!(estates[2]["targets"], 0);
    assert!(estates[2]["nothing_read"]
        .as_str()
        .is_some_and(|w| w.starts_with("sts:AssumeRole AccessDenied")));
    // One estate selected: the report of one estate, with no `summary.estates`.
    let (one, _, _) = run(&[
        "--snapshot",
        &scenario("estates.json"),
        "--regions",
        "eu-west-1",
    ]);
    assert!(one["summary"].get("estates").is_none());
}

#[test]
fn one_estate_of_several_reads_exactly_as_its_own_file() {
    for format in ["table", "markdown"] {
        let narrowed = Command::cargo_bin("efs-preflight")
            .expect("binary is built")
            .env_remove("COLUMNS")
            .args(["check", "--snapshot", &scenario("estates.json")])
            .args(["--accounts", "123456789012", "--regions", "us-east-1"])
            .args(["--format", format])
            .output()
            .expect("runs");
        let file = Command::cargo_bin("efs-preflight")
            .expect("binary is built")
            .env_remove("COLUMNS")
            .args(["check", "--snapshot", &scenario("demo.json")])
            .args(["--format", format])
            .output()
            .expect("runs");
        assert_eq!(
            String::from_utf8_lossy(&narrowed.stdout),
            String::from_utf8_lossy(&file.stdout),
            "{format}"
        );
    }
}

#[test]
fn markdown_of_hundreds_of_estates_stays_under_the_comment_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut snap: Value =
        serde_json::from_str(&std::fs::read_to_string(scenario("estates.json")).expect("read"))
            .expect("JSON");
    let demo = snap["estates"][0].clone();
    let healthy = snap["estates"][1].clone();
    let mut estates = Vec::new();
    for i in 0..300 {
        // The whole estate moved to another account (its ARNs and trust conditions too).
        let (estate, account) = if i % 3 == 0 {
            (&demo, "123456789012")
        } else {
            (&healthy, "210987654321")
        };
        let moved = estate
            .to_string()
            .replace(account, &format!("{:012}", 100_000_000_000_u64 + i));
        estates.push(serde_json::from_str::<Value>(&moved).expect("JSON"));
    }
    // Estates with nothing in scope are counted, not listed.
    for i in 0..50 {
        estates.push(serde_json::json!({
            "account_id": format!("{:012}", 200_000_000_000_u64 + i),
            "region": "us-west-2",
            "ecs": {"services": [], "taskDefinitions": []}
        }));
    }
    snap["estates"] = Value::Array(estates);
    let path = dir.path().join("org.json");
    std::fs::write(&path, snap.to_string()).expect("write");
    let out = Command::cargo_bin("efs-preflight")
        .expect("binary is built")
        .args(["check", "--snapshot", &path.display().to_string()])
        .args(["--format", "markdown"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.len() <= efs_preflight::report::markdown::MAX_LEN,
        "{}",
        text.len()
    );
    assert!(text.contains("350 estates (account x Region):"), "{text}");
    assert!(
        text.contains("50 estates read with no target in scope"),
        "{text}"
    );
    assert!(text.contains("left out of this table ("), "{text}");
    assert!(text.contains("rows left out**"), "{text}");
    // Estates with failures are listed before those that only pass are.
    assert!(text.contains("| `100000000000` | `us-east-1` |"), "{text}");
    assert!(text.contains("| `100000000297` | `us-east-1` |"), "{text}");
    assert!(
        text.contains("more estates left out of this table (0 of them with non-passing findings or nothing read)"),
        "{text}"
    );
    assert!(text.contains("\n### 100000000000 / us-east-1\n"));
}

#[test]
fn an_estate_not_read_is_said_even_when_the_others_pass() {
    let run = |format: &str| {
        let out = Command::cargo_bin("efs-preflight")
            .expect("binary is built")
            .env_remove("COLUMNS")
            .args(["check", "--snapshot", &scenario("estates.json")])
            .args(["--accounts", "210987654321,333333333333"])
            .args(["--format", format])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "nothing at or above --fail-on");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let table = run("table");
    assert!(
        table.starts_with("2 estates (account x Region):\n"),
        "{table}"
    );
    assert!(
        table.contains("\n  nothing read: sts:AssumeRole AccessDenied"),
        "{table}"
    );
    assert_eq!(table.matches("No problems found.").count(), 1, "{table}");
    let markdown = run("markdown");
    assert!(
        markdown.contains("**1 estate could not be read** (see the notes): nothing in it was checked, so it does not count as passing."),
        "{markdown}"
    );
    assert_eq!(
        markdown.matches("No problems found.").count(),
        1,
        "{markdown}"
    );
    assert!(!markdown.contains("\n\n\n"), "{markdown}");
}
