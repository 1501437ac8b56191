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
        let result = Command::new(&tool)
            .arg("validate")
            .arg(&out)
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
    let result = Command::new(&tool)
        .arg("validate")
        .arg(&out)
        .output()
        .expect("the validator runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(result.status.success(), "validator failed:\n{text}");
    assert!(text.contains("Analysis completed successfully"), "{text}");
    assert!(!text.contains(": error "), "validator errors:\n{text}");
}
