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
