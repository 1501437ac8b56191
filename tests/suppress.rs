//! Suppressions and baselines through the binary: a config file entry, an expired entry, invalid
//! entries, flag defaults, a baseline written and applied, a stale baseline entry, and a new
//! failure that still fails with a baseline.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

fn demo() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios/demo.json")
        .display()
        .to_string()
}

/// The binary, run in `dir` (where it looks for `.efs-preflight.toml`).
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("efs-preflight")
        .expect("binary is built")
        .current_dir(dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1")
        .arg("check")
        .args(args)
        .output()
        .expect("runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn non_pass(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "pass")
        .collect()
}

const PROD_EXCEPTIONS: &str = r#"
[[suppress]]
rule = "NET001"
target = "prod/worker"
reason = "worker only runs in use1-az1 and use1-az2, ticket OPS-7"

[[suppress]]
rule = "platform-version-too-old"
target = "prod/*"
reason = "reports moves to 1.4.0 with the next release"
expires = "2099-12-31"

[[suppress]]
rule = "NET005"
resource = "sg-0efs00000000000b"
reason = "ingress managed by the storage team, exception NET-142"
"#;

#[test]
fn config_entries_suppress_findings_that_stay_visible() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".efs-preflight.toml"), PROD_EXCEPTIONS).unwrap();
    let demo = demo();
    // Without the file, prod fails.
    let bare = tempfile::tempdir().unwrap();
    let out = run(bare.path(), &["--snapshot", &demo, "--cluster", "prod"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let out = run(
        dir.path(),
        &["--snapshot", &demo, "--cluster", "prod", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    let findings = non_pass(&report);
    assert_eq!(findings.len(), 4, "{findings:#?}");
    for f in &findings {
        // Status unchanged, suppression said.
        assert_eq!(f["status"], "fail");
        assert_eq!(f["suppressed"]["by"], "config", "{f}");
    }
    let net001 = findings.iter().find(|f| f["rule"] == "NET001").unwrap();
    assert_eq!(
        net001["suppressed"]["reason"],
        "worker only runs in use1-az1 and use1-az2, ticket OPS-7"
    );
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(report["summary"]["suppressed"], 4);
    // Passing findings are never marked.
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "pass")
        .all(|f| f.get("suppressed").is_none()));

    // The table counts them and does not list them.
    let out = run(dir.path(), &["--snapshot", &demo, "--cluster", "prod"]);
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains(", 4 suppressed"), "{table}");
    // No row lists it (the observed-failures block above the rows may still name the rule
    // that explains a stopped task).
    assert!(
        !table
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some("NET001")),
        "{table}"
    );
    // So does Markdown.
    let out = run(
        dir.path(),
        &[
            "--snapshot",
            &demo,
            "--cluster",
            "prod",
            "--format",
            "markdown",
        ],
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains(", 4 suppressed**"), "{md}");
    assert!(md.contains("EFS mounts look good"), "{md}");
    // JUnit: the cases are skipped with the reason, not failed.
    let out = run(
        dir.path(),
        &[
            "--snapshot",
            &demo,
            "--cluster",
            "prod",
            "--format",
            "junit",
        ],
    );
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(!xml.contains("<failure"), "{xml}");
    assert!(
        xml.contains("suppressed (config): worker only runs in use1-az1"),
        "{xml}"
    );
    // --config names the file explicitly, from anywhere.
    let config = dir.path().join(".efs-preflight.toml");
    let out = run(
        bare.path(),
        &[
            "--snapshot",
            &demo,
            "--cluster",
            "prod",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_suppression_counts_only_where_it_matches() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".efs-preflight.toml"), PROD_EXCEPTIONS).unwrap();
    let out = run(dir.path(), &["--snapshot", &demo(), "--format", "json"]);
    // staging still fails.
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    for f in non_pass(&report) {
        let prod = f["target"]["cluster"] == "prod";
        assert_eq!(f.get("suppressed").is_some(), prod, "{f}");
    }
}

#[test]
fn an_expired_entry_stops_applying_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".efs-preflight.toml"),
        r#"# team exceptions
[[suppress]]
rule = "NET001"
target = "prod/worker"
reason = "temporary, until the AZ move"
expires = "2020-01-31"
"#,
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "--snapshot",
            &demo(),
            "--cluster",
            "prod",
            "--service",
            "worker",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(".efs-preflight.toml:2: the suppression of NET001 on prod/worker expired on 2020-01-31 and no longer applies (temporary, until the AZ move)"),
        "{err}"
    );
    let report = json(&out);
    let net001 = non_pass(&report)
        .into_iter()
        .find(|f| f["rule"] == "NET001")
        .unwrap();
    assert!(net001.get("suppressed").is_none());
}

#[test]
fn invalid_entries_exit_2_naming_file_line_and_key() {
    let cases = [
        (
            "[[suppress]]\nrule = \"NET001\"\ntarget = \"prod/worker\"\n",
            ".efs-preflight.toml:1:1:",
            "`reason`",
        ),
        (
            "[[suppress]]\nrule = \"NET001\"\nreason = \"ok\"\nresources = \"subnet-1\"\n",
            ".efs-preflight.toml:4:1:",
            "`resources`",
        ),
        (
            "[[suppress]]\nrule = \"NET001\"\nreason = \"ok\"\nexpires = \"2027-02-30\"\n",
            ".efs-preflight.toml:4:11:",
            "key `expires`",
        ),
        (
            "[[suppress]]\nrule = \"NET999\"\nreason = \"ok\"\n",
            ".efs-preflight.toml:2:8:",
            "unknown rule `NET999`",
        ),
        (
            "fail_on = \"sometimes\"\n",
            ".efs-preflight.toml:1:11:",
            "key `fail_on`",
        ),
    ];
    for (text, location, key) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".efs-preflight.toml"), text).unwrap();
        let out = run(dir.path(), &["--snapshot", &demo()]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = stderr(&out);
        assert!(err.contains(location), "{text}: {err}");
        assert!(err.contains(key), "{text}: {err}");
        assert!(out.stdout.is_empty());
    }
    // A --config file that does not exist.
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["--snapshot", &demo(), "--config", "nope.toml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.toml"), "{}", stderr(&out));
}

#[test]
fn config_defaults_apply_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(demo(), dir.path().join("estate.json")).unwrap();
    std::fs::write(
        dir.path().join(".efs-preflight.toml"),
        "format = \"json\"\nfail_on = \"warning\"\nskip_rules = [\"NET001\", \"ECS001\"]\nsnapshot = \"estate.json\"\n",
    )
    .unwrap();
    // Defaults: JSON, the snapshot beside the file, NET001 and ECS001 skipped.
    let out = run(dir.path(), &["--cluster", "prod"]);
    let report = json(&out);
    assert_eq!(report["source"]["kind"], "snapshot");
    let rules: Vec<&str> = non_pass(&report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["NET005", "NET005"]);
    assert_eq!(out.status.code(), Some(1));
    // fail_on = warning: a warning alone fails.
    let out = run(
        dir.path(),
        &[
            "--cluster",
            "staging",
            "--service",
            "legacy",
            "--rule",
            "EFS007",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Flags win.
    let out = run(
        dir.path(),
        &[
            "--cluster",
            "staging",
            "--service",
            "legacy",
            "--rule",
            "EFS007",
            "--fail-on",
            "error",
            "--format",
            "table",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("EFS007"));
    let out = run(dir.path(), &["--cluster", "prod", "--skip-rule", "NET005"]);
    let rules: Vec<String> = non_pass(&json(&out))
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["NET001", "ECS001"]);
}

#[test]
fn a_baseline_is_written_applied_and_reports_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo();
    let out = run(
        dir.path(),
        &["--snapshot", &demo, "--write-baseline", "baseline.json"],
    );
    // Writing a baseline reports as usual.
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("wrote baseline.json (11 findings)"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    let baseline: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(baseline["efs_preflight_baseline"], 1);
    let entries = baseline["findings"].as_array().unwrap();
    // Eleven distinct fingerprints (NET005 fails twice on one group), account ids normalised.
    assert_eq!(entries.len(), 11);
    assert!(entries.iter().any(|e| e
        == &serde_json::json!({
            "rule": "NET001",
            "target": "service prod/worker",
            "volume": "shared-data",
            "resource": "subnet-0cc3333333333333c"
        })));
    assert!(!text.contains("123456789012"), "{text}");
    assert!(
        text.contains("arn:aws:iam::{account}:role/batch-task"),
        "{text}"
    );
    // Written twice, the file is the same: fingerprints are stable across runs.
    run(
        dir.path(),
        &["--snapshot", &demo, "--write-baseline", "again.json"],
    );
    assert_eq!(
        text,
        std::fs::read_to_string(dir.path().join("again.json")).unwrap()
    );

    // Applied: everything is accepted, nothing is stale.
    let out = run(
        dir.path(),
        &[
            "--snapshot",
            &demo,
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("stale"), "{}", stderr(&out));
    let report = json(&out);
    assert!(non_pass(&report)
        .iter()
        .all(|f| f["suppressed"]["by"] == "baseline"));
    assert_eq!(report["summary"]["suppressed"], 12);

    // An entry that matches nothing is reported as stale.
    let mut edited = baseline.clone();
    edited["findings"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "rule": "NET007",
            "target": "service prod/web",
            "volume": "shared-data",
            "resource": "acl-0gone"
        }));
    std::fs::write(
        dir.path().join("stale.json"),
        serde_json::to_string_pretty(&edited).unwrap(),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["--snapshot", &demo, "--baseline", "stale.json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("stale.json: 1 stale baseline entry")
            && err.contains("NET007 on service prod/web volume shared-data resource acl-0gone"),
        "{err}"
    );

    // A baseline file that is not one: exit 2 with the place.
    std::fs::write(
        dir.path().join("bad.json"),
        "{\"efs_preflight_baseline\": 1, \"findings\": [{\"rule\": 1}]}",
    )
    .unwrap();
    let out = run(dir.path(), &["--snapshot", &demo, "--baseline", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.json:1:"), "{}", stderr(&out));
}

#[test]
fn a_new_failure_still_fails_with_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo();
    // The baseline of an earlier state: everything but NET001 on prod/worker.
    run(
        dir.path(),
        &["--snapshot", &demo, "--write-baseline", "baseline.json"],
    );
    let mut baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    baseline["findings"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["rule"] != "NET001");
    std::fs::write(dir.path().join("baseline.json"), baseline.to_string()).unwrap();

    let out = run(
        dir.path(),
        &[
            "--snapshot",
            &demo,
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let open: Vec<&Value> = non_pass(&report)
        .into_iter()
        .filter(|f| f.get("suppressed").is_none())
        .collect();
    assert_eq!(open.len(), 1, "{open:#?}");
    assert_eq!(open[0]["rule"], "NET001");
    assert_eq!(report["summary"]["fail"], 1);
    // The table lists only the new failure.
    let out = run(
        dir.path(),
        &["--snapshot", &demo, "--baseline", "baseline.json"],
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("NET001"), "{table}");
    assert!(!table.contains("IAM002"), "{table}");
    assert!(table.contains("1 fail, 0 warn, 0 unknown, "), "{table}");
    assert!(table.contains(" pass, 11 suppressed"), "{table}");
}

#[test]
fn fingerprints_do_not_depend_on_account_ids() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(demo()).unwrap();
    std::fs::write(dir.path().join("demo.json"), &original).unwrap();
    // The same estate with its account id redacted in every ARN and field.
    std::fs::write(
        dir.path().join("redacted.json"),
        original.replace("123456789012", "000000000000"),
    )
    .unwrap();
    run(
        dir.path(),
        &[
            "--snapshot",
            "demo.json",
            "--write-baseline",
            "baseline.json",
        ],
    );
    let out = run(
        dir.path(),
        &[
            "--snapshot",
            "redacted.json",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("stale"), "{}", stderr(&out));
    run(
        dir.path(),
        &[
            "--snapshot",
            "redacted.json",
            "--write-baseline",
            "redacted-baseline.json",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("baseline.json")).unwrap(),
        std::fs::read_to_string(dir.path().join("redacted-baseline.json")).unwrap()
    );
}
