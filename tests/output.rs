//! The human output as a user sees it: the table at 80, 100, 120 and 200 columns and piped, on
//! the demo and on generated estates (40 services behind one broken security group; a few
//! hundred services), with the properties the layout promises: no line wider than the terminal
//! but a fix command on its own line, no fix token split, findings with one cause on one row,
//! Markdown under GitHub's comment limit; and the output flags (`-o`, `--color`, completions,
//! manual page).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo() -> PathBuf {
    root().join("fixtures/scenarios/demo.json")
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("efs-preflight").expect("binary is built");
    c.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], columns: Option<u16>) -> Run {
    let mut c = bin();
    if let Some(w) = columns {
        c.env("COLUMNS", w.to_string());
    }
    let out = c.args(args).output().expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

/// The demo with its services replaced by `n` copies of each service named in `names`
/// (`api-001` ...), all sharing the original's task definition, subnets and security groups.
fn estate(dir: &Path, names: &[&str], n: usize) -> PathBuf {
    let mut snap: Value = serde_json::from_str(&std::fs::read_to_string(demo()).unwrap()).unwrap();
    let services = snap["ecs"]["services"].as_array().unwrap().clone();
    let mut out = Vec::new();
    for name in names {
        let original = services
            .iter()
            .find(|s| s["serviceName"] == *name)
            .unwrap_or_else(|| panic!("demo has service {name}"));
        for i in 1..=n {
            let mut s = original.clone();
            let copy = format!("{name}-{i:03}");
            let arn = s["serviceArn"]
                .as_str()
                .unwrap()
                .replace(&format!("/{name}"), &format!("/{copy}"));
            s["serviceName"] = Value::from(copy);
            s["serviceArn"] = Value::from(arn);
            out.push(s);
        }
    }
    snap["ecs"]["services"] = Value::Array(out);
    let path = dir.join(format!("{}-{n}.json", names.join("-")));
    std::fs::write(&path, serde_json::to_string(&snap).unwrap()).unwrap();
    path
}

fn fixes_of(snapshot: &Path) -> Vec<String> {
    let r = run(
        &[
            "check",
            "--snapshot",
            snapshot.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut fixes: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "pass")
        .filter_map(|f| f["fix"].as_str().map(str::to_owned))
        .collect();
    fixes.sort();
    fixes.dedup();
    fixes
}

/// The command part of a fix (up to a `;` outside quotes), when it is one.
fn command_of(fix: &str) -> Option<&str> {
    if !fix.starts_with("aws ") {
        return None;
    }
    let mut quote = None;
    for (i, c) in fix.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ';') => return Some(&fix[..i]),
            _ => {}
        }
    }
    Some(fix)
}

/// Checks the layout properties of one rendering.
fn check_layout(name: &str, text: &str, width: usize, fixes: &[String]) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty(), "{name}: empty output");
    // 1. No line wider than the width, except a command (a fix's, or one inside a fix's
    //    sentence) or a single token of a fix, on its own line.
    for line in &lines {
        let w = line.chars().count();
        if w <= width {
            continue;
        }
        let body = line.trim_start();
        let body = body.strip_prefix("fix: ").unwrap_or(body);
        let unbreakable =
            body.starts_with("aws ") || body.starts_with("(aws ") || !body.contains(' ');
        assert!(
            unbreakable && fixes.iter().any(|f| f.contains(body)),
            "{name}: line of {w} columns at width {width} is not an unbreakable fix:\n{line}"
        );
    }
    // 2. Every fix command is printed whole on one line.
    for fix in fixes {
        if let Some(command) = command_of(fix) {
            assert!(
                lines
                    .iter()
                    .any(|l| l.trim_start().strip_prefix("fix: ") == Some(command)),
                "{name}: fix command not printed whole on one line:\n{command}\n---\n{text}"
            );
        }
    }
    // 3. No token of a fix is split: each appears whole among the output's tokens.
    let tokens: std::collections::HashSet<&str> =
        lines.iter().flat_map(|l| l.split_whitespace()).collect();
    for fix in fixes {
        for token in fix.split_whitespace() {
            let token = if token.len() > 1 && fix.starts_with(token) {
                // The first word of a prose fix may be capitalised differently; it is whole.
                continue;
            } else {
                token
            };
            assert!(
                tokens.contains(token),
                "{name}: fix token {token:?} is split or missing at width {width}"
            );
        }
    }
}

#[test]
fn table_fits_80_100_120_200_columns_and_pipes() {
    let dir = tempfile::tempdir().unwrap();
    let one_cause = estate(dir.path(), &["api"], 40);
    let several = root().join("fixtures/scenarios/estates.json");
    for snapshot in [demo(), one_cause, several] {
        let fixes = fixes_of(&snapshot);
        let longest_fix = fixes.iter().map(|f| f.chars().count()).max().unwrap_or(0);
        let path = snapshot.to_str().unwrap();
        for width in [80u16, 100, 120, 200] {
            let r = run(&["check", "--snapshot", path], Some(width));
            assert_eq!(r.code, 1, "{}", r.stderr);
            check_layout(
                &format!("{path} at {width}"),
                &r.stdout,
                usize::from(width),
                &fixes,
            );
        }
        // Piped: laid out for 100 columns; no line much longer than the longest fix.
        let r = run(&["check", "--snapshot", path], None);
        check_layout(&format!("{path} piped"), &r.stdout, 100, &fixes);
        let longest_line = r.stdout.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(
            longest_line <= longest_fix.max(100) + 16,
            "{path}: piped line of {longest_line} columns, longest fix {longest_fix}"
        );
    }
}

#[test]
fn one_broken_security_group_behind_40_services_is_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = estate(dir.path(), &["api"], 40);
    let path = snapshot.to_str().unwrap();
    let r = run(&["check", "--snapshot", path], Some(100));
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("fail "))
        .collect();
    assert_eq!(rows.len(), 1, "{}", r.stdout);
    assert!(rows[0].contains("NET005"), "{}", rows[0]);
    assert!(rows[0].contains("40 targets"), "{}", rows[0]);
    assert!(rows[0].contains("sg-0efs00000000000b"), "{}", rows[0]);
    for i in 1..=40 {
        assert!(
            r.stdout.contains(&format!("prod/api-{i:03}")),
            "target {i} not listed"
        );
    }
    assert_eq!(
        r.stdout
            .matches("fix: aws ec2 authorize-security-group-ingress")
            .count(),
        1,
        "{}",
        r.stdout
    );
    let only = run(
        &["check", "--snapshot", path, "--rule", "NET005"],
        Some(100),
    );
    assert!(
        only.stdout.contains("80 findings in 1 row "),
        "{}",
        only.stdout
    );
    // JSON keeps one finding per target (and per mount target).
    let json = run(&["check", "--snapshot", path, "--format", "json"], None);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    let net005 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NET005" && f["status"] == "fail")
        .count();
    assert_eq!(net005, 80);
    // Markdown: one row too.
    let md = run(&["check", "--snapshot", path, "--format", "markdown"], None);
    assert_eq!(md.stdout.matches("| ❌ fail |").count(), 1, "{}", md.stdout);
    assert!(md.stdout.contains("and 30 more"), "{}", md.stdout);
}

#[test]
fn markdown_of_hundreds_of_services_stays_under_the_comment_limit() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "web", "worker", "reports", "api", "metrics", "cms", "legacy", "batch",
    ];
    // 304 services of every kind; and 300 services that each need their own fix.
    for snapshot in [
        estate(dir.path(), &names, 38),
        estate(dir.path(), &["reports"], 300),
    ] {
        let r = run(
            &[
                "check",
                "--snapshot",
                snapshot.to_str().unwrap(),
                "--format",
                "markdown",
            ],
            None,
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stdout.len() < 65_536,
            "{}: {} bytes",
            snapshot.display(),
            r.stdout.len()
        );
        assert!(r
            .stdout
            .starts_with("## efs-preflight: ❌ EFS mounts will fail"));
        assert!(
            r.stdout.trim_end().ends_with("</sub>"),
            "coverage line kept"
        );
    }
    let many = estate(dir.path(), &["reports"], 300);
    let r = run(
        &[
            "check",
            "--snapshot",
            many.to_str().unwrap(),
            "--format",
            "markdown",
        ],
        None,
    );
    assert!(r.stdout.contains("rows left out**"), "{}", r.stdout);
    assert!(r.stdout.contains("65,536-character limit"));
    // Every ```sh block that was started is closed.
    assert_eq!(r.stdout.matches("```").count() % 2, 0);
}

#[test]
fn markdown_headline_agrees_with_the_exit_code() {
    let w = root().join("fixtures/scenarios/warnings-only.json");
    let w = w.to_str().unwrap();
    let lenient = run(&["check", "--snapshot", w, "--format", "markdown"], None);
    assert_eq!(lenient.code, 0);
    let title = lenient.stdout.lines().next().unwrap();
    assert!(
        title.contains("nothing at or above --fail-on error"),
        "{title}"
    );
    let strict = run(
        &[
            "check",
            "--snapshot",
            w,
            "--format",
            "markdown",
            "--fail-on",
            "warning",
        ],
        None,
    );
    assert_eq!(strict.code, 1);
    let title = strict.stdout.lines().next().unwrap();
    assert!(title.contains("check failed"), "{title}");
    assert!(title.contains("--fail-on warning"), "{title}");
    assert!(!title.contains("no blocking"), "{title}");
}

#[test]
fn markdown_puts_commands_in_code_blocks_and_prose_in_text() {
    let r = run(
        &[
            "check",
            "--snapshot",
            demo().to_str().unwrap(),
            "--format",
            "markdown",
        ],
        None,
    );
    assert!(r.stdout.contains("```sh\naws efs create-mount-target"));
    assert!(r.stdout.contains("\nSet fileSystemId of volume 'media'"));
    assert!(!r.stdout.contains("```sh\nSet fileSystemId"));
    assert!(!r.stdout.contains("```sh\nCreate "));
}

#[test]
fn output_file_prints_the_summary_on_stderr_and_dash_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    let d = demo();
    let d = d.to_str().unwrap();
    let r = run(
        &[
            "check",
            "--snapshot",
            d,
            "--format",
            "sarif",
            "-o",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("7 targets: 11 fail, 1 warn, 0 unknown"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("report.sarif"), "{}", r.stderr);
    assert!(file.exists());
    // `-o -` is stdout, for check as for snapshot.
    let r = bin()
        .current_dir(dir.path())
        .args(["check", "--snapshot", d, "--format", "json", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["schema"], 1);
    assert!(!dir.path().join("-").exists());
}

#[test]
fn output_named_like_a_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = demo();
    for args in [
        vec![
            "check",
            "--snapshot",
            d.to_str().unwrap(),
            "--output",
            "json",
        ],
        vec!["check", "--snapshot", d.to_str().unwrap(), "-o", "text"],
        vec!["snapshot", "--output", "json", "--region", "us-east-1"],
    ] {
        let r = bin().current_dir(dir.path()).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--format"), "{stderr}");
        assert!(!dir.path().join("json").exists());
        assert!(!dir.path().join("text").exists());
    }
    // `./json` is a file of that name.
    let r = bin()
        .current_dir(dir.path())
        .args(["check", "--snapshot", d.to_str().unwrap(), "-o", "./json"])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    assert!(dir.path().join("json").exists());
}

#[test]
fn unknown_findings_are_counted_on_stderr_with_the_flag_that_fails_them() {
    let p = root().join("fixtures/scenarios/partial.json");
    let p = p.to_str().unwrap();
    let r = run(&["check", "--snapshot", p], None);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("unknown"), "{}", r.stderr);
    assert!(r.stderr.contains("--fail-on unknown"), "{}", r.stderr);
    let v: Value =
        serde_json::from_str(&run(&["check", "--snapshot", p, "--format", "json"], None).stdout)
            .unwrap();
    let n = v["summary"]["unknown"].as_u64().unwrap();
    assert!(r.stderr.contains(&format!("{n} checks")), "{}", r.stderr);
    let strict = run(&["check", "--snapshot", p, "--fail-on", "unknown"], None);
    assert_eq!(strict.code, 1);
    assert!(strict.stderr.contains("fail the job"), "{}", strict.stderr);
    let quiet = run(&["check", "--snapshot", p, "--quiet"], None);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    let healthy = root().join("fixtures/scenarios/healthy.json");
    let r = run(&["check", "--snapshot", healthy.to_str().unwrap()], None);
    assert!(!r.stderr.contains("unknown"), "{}", r.stderr);
}

#[test]
fn color_flag() {
    let d = demo();
    let d = d.to_str().unwrap();
    let always = run(&["check", "--snapshot", d, "--color", "always"], None);
    assert!(
        always.stdout.contains("\x1b[1;31mfail"),
        "{}",
        always.stdout
    );
    let never = run(&["check", "--snapshot", d, "--color", "never"], None);
    assert!(!never.stdout.contains('\x1b'));
    let auto = run(&["check", "--snapshot", d], None);
    assert!(!auto.stdout.contains('\x1b'), "piped output has no colour");
    let bad = run(&["check", "--snapshot", d, "--color", "sometimes"], None);
    assert_eq!(bad.code, 2);
}

#[test]
fn completions_and_manual_page() {
    let r = run(&["completions", "bash"], None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("efs-preflight"));
    assert!(r.stdout.contains("--fail-on"));
    let r = run(&["completions", "zsh"], None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("#compdef efs-preflight"));
    assert_eq!(run(&["completions", "tcsh"], None).code, 2);
    let r = run(&["manpage"], None);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains(".TH efs-preflight 1"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    let dir = tempfile::tempdir().unwrap();
    let r = run(&["manpage", "--dir", dir.path().to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let check = std::fs::read_to_string(dir.path().join("efs-preflight-check.1")).unwrap();
    assert!(check.contains("snapshot"));
}

#[test]
fn readme_example_is_the_real_output_at_100_columns() {
    const COMMAND: &str =
        "efs-preflight check --snapshot fixtures/scenarios/demo.json --rule NET001,ECS001,NET005,DNS002";
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find(&format!("```text\n$ {COMMAND}\n"))
        .expect("README shows the example")
        + format!("```text\n$ {COMMAND}\n").len();
    let end = start + readme[start..].find("```\n").unwrap();
    let shown = &readme[start..end];
    let args: Vec<&str> = COMMAND.split(' ').skip(1).collect();
    let r = bin()
        .current_dir(root())
        .env("COLUMNS", "100")
        .args(&args)
        .output()
        .unwrap();
    let real = String::from_utf8(r.stdout).unwrap();
    assert_eq!(
        shown, real,
        "README.md's example is not what `COLUMNS=100 {COMMAND}` prints: paste the real output"
    );
}

/// A gate that goes green on a typo is the worst answer: ids the user typed that the snapshot
/// does not hold are usage errors naming the id and the closest ones.
#[test]
fn typed_ids_missing_from_the_snapshot_fail_closed() {
    let d = demo();
    let d = d.to_str().unwrap();
    let td = root().join("fixtures/predeploy/web-task-definition.json");
    let td = td.to_str().unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--task-definition", td, "--subnets", "subnet-typo123"],
            &[
                "subnet-typo123",
                "missing from the snapshot",
                "subnet-0aa1111111111111a",
                "aws ec2 describe-subnets --subnet-ids subnet-typo123",
            ],
        ),
        (
            &[
                "--task-definition",
                td,
                "--subnets",
                "subnet-0aa1111111111111a",
                "--security-groups",
                "sg-0api00000000004",
            ],
            &[
                "sg-0api00000000004",
                "missing from the snapshot",
                "closest security groups in it: sg-0api000000000004",
            ],
        ),
        (
            &["--cluster", "prod", "--service", "wbe"],
            &[
                "--service wbe",
                "in the snapshot",
                "closest services in it: web",
                "efs-preflight snapshot --cluster prod -o",
            ],
        ),
        (
            &[
                "--task-definition",
                td,
                "--cluster",
                "prod",
                "--service",
                "wbe",
            ],
            &["--service wbe", "closest services in it: web"],
        ),
        (
            &["--cluster", "prd"],
            &["--cluster prd", "closest clusters in it: prod"],
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["check", "--snapshot", d];
        all.extend_from_slice(args);
        let r = run(&all, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: no report on a usage error");
        for e in *expected {
            assert!(r.stderr.contains(e), "{args:?}: {e:?} not in {}", r.stderr);
        }
    }
    // The right ids still check (and fail on the demo's real problems).
    let r = run(
        &[
            "check",
            "--snapshot",
            d,
            "--task-definition",
            td,
            "--subnets",
            "subnet-0aa1111111111111a",
            "--security-groups",
            "sg-0api000000000004",
        ],
        None,
    );
    assert!(matches!(r.code, 0 | 1), "{}", r.stderr);
    // A snapshot that did not collect subnets cannot tell a typo: the checks stay unknown.
    let dir = tempfile::tempdir().unwrap();
    let mut snap: Value = serde_json::from_str(&std::fs::read_to_string(demo()).unwrap()).unwrap();
    snap["ec2"].as_object_mut().unwrap().remove("Subnets");
    let partial = dir.path().join("no-subnets.json");
    std::fs::write(&partial, snap.to_string()).unwrap();
    let r = run(
        &[
            "check",
            "--snapshot",
            partial.to_str().unwrap(),
            "--task-definition",
            td,
            "--subnets",
            "subnet-typo123",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("--fail-on unknown"), "{}", r.stderr);
}

#[test]
fn cloudformation_parameters_are_checked_against_the_template() {
    let template = root().join("fixtures/iac/cloudformation/app.yaml");
    let template = template.to_str().unwrap();
    let base = root().join("fixtures/iac/base.json");
    let base = base.to_str().unwrap();
    let r = run(
        &[
            "check",
            "--snapshot",
            base,
            "--cloudformation",
            template,
            "--parameters",
            "VpcID=vpc-1",
            "--parameters",
            "Subnets=subnet-a",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("VpcID"), "{}", r.stderr);
    assert!(r.stderr.contains("did you mean VpcId?"), "{}", r.stderr);
    let r = run(
        &[
            "check",
            "--snapshot",
            base,
            "--cloudformation",
            template,
            "--parameters",
            "VpcId=vpc-0c1a2b3c4d5e6f708",
        ],
        None,
    );
    assert!(matches!(r.code, 0 | 1), "{}", r.stderr);
    assert!(
        r.stderr.contains("without a default or a value (Subnets)")
            && r.stderr.contains("--parameters Subnets=VALUE"),
        "{}",
        r.stderr
    );
}
