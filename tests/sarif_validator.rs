//! SARIF output validated by Microsoft's SARIF validator (`@microsoft/sarif-multitool`, installed
//! into `.tools/` by `scripts/test.sh`).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> PathBuf {
    let p = root().join(".tools/node_modules/.bin/sarif-multitool");
    assert!(
        p.exists(),
        "{} is missing: run `bash scripts/test.sh`, which installs @microsoft/sarif-multitool",
        p.display()
    );
    p
}

#[test]
fn sarif_validates_without_errors() {
    let tool = validator();
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("demo", &["--snapshot", "fixtures/scenarios/demo.json"]),
        (
            "demo-passed",
            &[
                "--snapshot",
                "fixtures/scenarios/demo.json",
                "--show-passed",
            ],
        ),
        (
            "healthy",
            &["--snapshot", "fixtures/scenarios/healthy.json"],
        ),
        (
            "partial",
            &["--snapshot", "fixtures/scenarios/partial.json"],
        ),
    ];
    for (name, args) in cases {
        let out = dir.path().join(format!("{name}.sarif"));
        let status = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
            .current_dir(root())
            .arg("check")
            .args(*args)
            .args(["--format", "sarif", "-o"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(matches!(status.code(), Some(0 | 1)), "{name}: {status}");
        validate(&tool, name, &out);
    }
}

fn validate(tool: &std::path::Path, name: &str, out: &std::path::Path) {
    let result = Command::new(tool)
        .arg("validate")
        .arg(out)
        .output()
        .expect("the validator runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(result.status.success(), "{name}: validator failed:\n{text}");
    assert!(
        text.contains("Analysis completed successfully"),
        "{name}:\n{text}"
    );
    assert!(
        !text.contains(": error "),
        "{name}: validator errors:\n{text}"
    );
}

/// A live run has no input file: its results point at a pseudo-path per target.
#[test]
fn live_sarif_validates_and_every_result_has_a_location() {
    use efs_preflight::graph::Graph;
    use efs_preflight::report::{self, Coverage, Report, SourceInfo, TargetInfo};
    use efs_preflight::rules::{self, Selection};
    use efs_preflight::{snapshot, target};

    let tool = validator();
    let snap = snapshot::load(&root().join("fixtures/scenarios/demo.json")).unwrap();
    let graph = Graph::build(&snap);
    let targets = target::select_services(&graph, &target::Scope::default()).unwrap();
    let selection = Selection::default();
    let report = Report {
        tool: report::tool_name(),
        source: SourceInfo {
            kind: "live".to_owned(),
            region: snap.region.clone(),
            account_id: snap.account_id.clone(),
            file: None,
        },
        targets: targets.iter().map(TargetInfo::from_target).collect(),
        findings: rules::run(&graph, &targets, &selection),
        rules: selection.rules(),
        coverage: Coverage::default(),
        estates: Vec::new(),
    };
    let text = report::sarif::render(&report, false);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let mut prints = std::collections::HashSet::new();
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        assert!(
            uri.starts_with("aws/123456789012/us-east-1/service/"),
            "{r}"
        );
        assert!(r["locations"][0]["logicalLocations"][0]["name"].is_string());
        assert!(
            prints.insert(r["partialFingerprints"]["efsPreflight/v2"].to_string()),
            "{r}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("live.sarif");
    std::fs::write(&out, text).unwrap();
    validate(&tool, "live", &out);
}

#[test]
fn sarif_with_suppressions_validates_and_marks_them_accepted() {
    let tool = validator();
    let dir = tempfile::tempdir().unwrap();
    let demo = root().join("fixtures/scenarios/demo.json");
    let config = dir.path().join("team.toml");
    std::fs::write(
        &config,
        "[[suppress]]\nrule = \"NET001\"\ntarget = \"prod/worker\"\nreason = \"exception OPS-7\"\n",
    )
    .unwrap();
    let baseline = dir.path().join("baseline.json");
    let out = dir.path().join("suppressed.sarif");
    // The baseline of prod, then a check of everything with it and the config entry.
    let status = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .current_dir(dir.path())
        .args(["check", "--cluster", "prod", "--snapshot"])
        .arg(&demo)
        .arg("--write-baseline")
        .arg(&baseline)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let status = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .current_dir(dir.path())
        .args(["check", "--format", "sarif", "--snapshot"])
        .arg(&demo)
        .arg("--config")
        .arg(&config)
        .arg("--baseline")
        .arg(&baseline)
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "staging still fails");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 4);
    for r in &suppressed {
        assert_eq!(
            r["properties"]["target"]
                .as_str()
                .unwrap()
                .split('/')
                .next(),
            Some("prod")
        );
        let s = &r["suppressions"][0];
        assert_eq!(s["kind"], "external");
        assert_eq!(s["status"], "accepted");
    }
    let net001 = suppressed.iter().find(|r| r["ruleId"] == "NET001").unwrap();
    assert_eq!(
        net001["suppressions"][0]["justification"],
        "exception OPS-7"
    );
    assert_eq!(net001["suppressions"][0]["properties"]["by"], "config");
    assert!(results
        .iter()
        .any(|r| r.get("suppressions").is_none() && r["level"] == "error"));
    validate(&tool, "suppressed", &out);
}
