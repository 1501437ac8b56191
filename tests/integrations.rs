//! The GitHub Action (`action.yml`, `scripts/action-check.sh`) and the pre-commit hooks
//! (`.pre-commit-hooks.yaml`, `scripts/pre-commit-hook.sh`): the action's inputs are real flags,
//! its check step writes the job summary, the SARIF file and the exit code, and the hooks run
//! through pre-commit itself (`pre-commit try-repo` and `pre-commit run`, from PyPI, installed into
//! `.venv/` by `scripts/test.sh`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_efs-preflight"))
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Inputs of the action that are not `check` flags.
const ACTION_ONLY: [&str; 5] = ["args", "sarif-file", "upload-sarif", "install", "fail"];
/// Inputs that switch steps of the action on or off.
const STEERING: [&str; 3] = ["upload-sarif", "install", "fail"];

fn action() -> Value {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let yaml: yaml_serde::Value = yaml_serde::from_str(&text).expect("action.yml is YAML");
    serde_json::to_value(yaml).unwrap()
}

#[test]
fn the_actions_inputs_are_real_check_flags() {
    let action = action();
    let action_text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let help = Command::new(bin())
        .args(["check", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let script = std::fs::read_to_string(root().join("scripts/action-check.sh")).unwrap();
    let steps = action["runs"]["steps"].as_array().unwrap();
    let check = steps.iter().find(|s| s["id"] == "check").unwrap();
    let inputs = action["inputs"].as_object().unwrap();
    assert!(inputs.len() > 15);
    for (name, input) in inputs {
        assert!(input["description"].is_string(), "{name}");
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        if STEERING.contains(&name.as_str()) {
            assert!(
                action_text.contains(&format!("inputs.{name} == 'true'")),
                "{name} steers no step"
            );
            continue;
        }
        // Every other input reaches the script through an environment variable (never spliced
        // into the script text).
        assert_eq!(
            check["env"][&var],
            format!("${{{{ inputs.{name} }}}}"),
            "{name} is not passed as {var}"
        );
        if ACTION_ONLY.contains(&name.as_str()) {
            continue;
        }
        let flag = format!("--{name}");
        assert!(
            help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
            "input {name}: `efs-preflight check` has no {flag}"
        );
        assert!(
            script.contains(&format!("{flag} \"${{{var}:-}}\"")),
            "scripts/action-check.sh does not turn {var} into {flag}"
        );
    }
    // And every flag the script passes exists.
    for flag in script
        .split(|c: char| c.is_whitespace() || c == '"')
        .filter(|w| w.starts_with("--") && w.len() > 2)
    {
        assert!(
            help.contains(flag),
            "scripts/action-check.sh passes unknown {flag}"
        );
    }
}

fn run_action_script(dir: &Path, env: &[(&str, &str)]) -> (Output, String, String) {
    let summary = dir.join("summary.md");
    let outputs = dir.join("outputs.txt");
    let _ = std::fs::remove_file(&summary);
    let _ = std::fs::remove_file(&outputs);
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/action-check.sh"))
        .current_dir(dir)
        .env("EFS_PREFLIGHT", bin())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out,
        std::fs::read_to_string(&summary).unwrap_or_default(),
        std::fs::read_to_string(&outputs).unwrap_or_default(),
    )
}

#[test]
fn the_actions_check_step_writes_summary_sarif_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let demo = root().join("fixtures/scenarios/demo.json");
    let (out, summary, outputs) = run_action_script(
        dir.path(),
        &[
            ("INPUT_SNAPSHOT", demo.to_str().unwrap()),
            ("INPUT_CLUSTER", "prod"),
            ("INPUT_SERVICE", "worker\napi"),
            ("INPUT_SARIF_FILE", "out.sarif"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        summary.starts_with("## efs-preflight: ❌ EFS mounts will fail"),
        "{summary}"
    );
    assert!(summary.contains("2 targets: 3 fail"), "{summary}");
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    assert!(outputs.contains("sarif-file=out.sarif\n"), "{outputs}");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);

    // A healthy scope exits 0; bad input is exit code 2 and no SARIF file.
    let (_, _, outputs) = run_action_script(
        dir.path(),
        &[
            ("INPUT_SNAPSHOT", demo.to_str().unwrap()),
            ("INPUT_CLUSTER", "prod"),
            ("INPUT_SERVICE", "web"),
            ("INPUT_SARIF_FILE", "web.sarif"),
        ],
    );
    assert!(outputs.contains("exit-code=0\n"), "{outputs}");
    let (_, _, outputs) = run_action_script(
        dir.path(),
        &[
            ("INPUT_SNAPSHOT", "missing.json"),
            ("INPUT_SARIF_FILE", "missing.sarif"),
        ],
    );
    assert!(outputs.contains("exit-code=2\n"), "{outputs}");
    assert!(!outputs.contains("sarif-file="), "{outputs}");
}

fn pre_commit() -> PathBuf {
    let p = root().join(".venv/bin/pre-commit");
    assert!(
        p.exists(),
        "{} is missing: run `bash scripts/test.sh`, which installs tests/requirements.txt",
        p.display()
    );
    p
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

/// A hook repository holding exactly the project's hook files, committed.
fn hook_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("hooks");
    std::fs::create_dir_all(repo.join("scripts")).unwrap();
    std::fs::copy(
        root().join(".pre-commit-hooks.yaml"),
        repo.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("scripts/pre-commit-hook.sh"),
        repo.join("scripts/pre-commit-hook.sh"),
    )
    .unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "hooks"]);
    repo
}

/// A user repository with two task definitions (one fails ECS003), a CloudFormation template and
/// the estate snapshot.
fn user_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("app");
    std::fs::create_dir_all(repo.join("ecs")).unwrap();
    for (from, to) in [
        (
            "fixtures/predeploy/web-task-definition.json",
            "ecs/web-taskdef.json",
        ),
        (
            "fixtures/predeploy/iam-without-tls.json",
            "ecs/batch-taskdef.json",
        ),
        ("fixtures/scenarios/demo.json", "estate.json"),
        (
            "fixtures/iac/cloudformation/cdk-app.template.json",
            "cdk.out/App.template.json",
        ),
        (
            "fixtures/iac/cloudformation/cdk-app-ap-without-tls.template.json",
            "cdk.out/Broken.template.json",
        ),
    ] {
        let to = repo.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join(from), to).unwrap();
    }
    std::fs::write(repo.join("notes.yaml"), "not: a template\n").unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    repo
}

fn pre_commit_in(repo: &Path, home: &Path, args: &[&str]) -> Output {
    let path = format!(
        "{}:{}",
        bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new(pre_commit())
        .current_dir(repo)
        .args(args)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap()
}

#[test]
fn the_hooks_run_through_pre_commit_try_repo() {
    let dir = tempfile::tempdir().unwrap();
    let hooks = hook_repo(dir.path());
    let app = user_repo(dir.path());
    let home = dir.path().join("pre-commit-home");
    let hooks = hooks.to_str().unwrap();
    // try-repo takes no hook args: the repository's config file points at the snapshot.
    std::fs::write(
        app.join(".efs-preflight.toml"),
        "snapshot = \"estate.json\"\n",
    )
    .unwrap();

    let ok = pre_commit_in(
        &app,
        &home,
        &[
            "try-repo",
            hooks,
            "efs-preflight-task-definition",
            "--files",
            "ecs/web-taskdef.json",
        ],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("Passed"),
        "{}",
        text(&ok)
    );

    let bad = pre_commit_in(
        &app,
        &home,
        &[
            "try-repo",
            hooks,
            "efs-preflight-task-definition",
            "--all-files",
        ],
    );
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(out.contains("Failed"), "{}", text(&bad));
    assert!(out.contains("ECS003"), "{}", text(&bad));
    assert!(
        out.contains("efs-preflight: ecs/batch-taskdef.json"),
        "{}",
        text(&bad)
    );

    // The CloudFormation hook checks the templates and skips other YAML and JSON files.
    let cfn = pre_commit_in(
        &app,
        &home,
        &[
            "try-repo",
            hooks,
            "efs-preflight-cloudformation",
            "--all-files",
            "--verbose",
        ],
    );
    assert_eq!(cfn.status.code(), Some(1), "{}", text(&cfn));
    let out = String::from_utf8_lossy(&cfn.stdout);
    assert!(
        out.contains("efs-preflight: cdk.out/Broken.template.json"),
        "{}",
        text(&cfn)
    );
    assert!(
        out.contains("efs-preflight: cdk.out/App.template.json"),
        "{}",
        text(&cfn)
    );
    assert!(out.contains("ECS004"), "{}", text(&cfn));
    assert!(!out.contains("efs-preflight: notes.yaml"), "{}", text(&cfn));
    assert!(
        !out.contains("efs-preflight: estate.json"),
        "{}",
        text(&cfn)
    );
}

#[test]
fn the_hooks_take_flags_from_a_pre_commit_config() {
    let dir = tempfile::tempdir().unwrap();
    let hooks = hook_repo(dir.path());
    let app = user_repo(dir.path());
    let home = dir.path().join("pre-commit-home");
    let rev = Command::new("git")
        .current_dir(&hooks)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_owned();
    let configure = |args: &str| {
        std::fs::write(
            app.join(".pre-commit-config.yaml"),
            format!(
                "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: efs-preflight-task-definition\n        args: [{args}]\n",
                hooks.display()
            ),
        )
        .unwrap();
        git(&app, &["add", ".pre-commit-config.yaml"]);
    };
    // Offline against the snapshot given in args (no config file here), one rule.
    configure("--snapshot, estate.json, --rule, ECS001, --");
    let out = pre_commit_in(&app, &home, &["run", "--all-files"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Passed"),
        "{}",
        text(&out)
    );
    // Every rule: the batch task definition fails ECS003.
    configure("--snapshot, estate.json, --");
    let out = pre_commit_in(&app, &home, &["run", "--all-files"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ECS003"),
        "{}",
        text(&out)
    );
}
