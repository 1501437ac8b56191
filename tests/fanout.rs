//! The live fan-out over accounts x Regions against moto in server mode: an AWS Organization
//! with member accounts built by `tests/moto/organization.py`, reached by assuming a role in each.
//!
//! moto implements Organizations (`create_organization`, `create_account`, `close_account`,
//! `list_accounts` with ACTIVE and SUSPENDED accounts), keeps state per account and Region, and
//! maps the credentials `sts:AssumeRole` returns to the role's account. It lets anyone assume
//! any role (it reads no trust policy), so a role that cannot be assumed is made by
//! `tests/moto/deny_proxy.py`, a small proxy in front of moto that answers `AssumeRole` into one
//! account with STS's `AccessDenied`; the same proxy slows every answer down for the tests that
//! interrupt a run. moto enables every Region (`DescribeRegions` lists 38), so a Region that is
//! not enabled is not tested against moto.
#![cfg(feature = "live")]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const ROLE: &str = "efs-preflight-audit";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn venv_bin(name: &str) -> PathBuf {
    repo().join(".venv").join("bin").join(name)
}

/// A process killed on drop.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// moto, and the proxy in front of it that the binary talks to.
struct Org {
    // The proxy goes first: dropped before moto, it never finds moto gone.
    _proxy: Running,
    _moto: Running,
    proxy_port: u16,
    ids: Value,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

impl Org {
    /// moto with the Organization of `organization.py`, behind a proxy that denies `AssumeRole`
    /// into the `locked` account, answers in ap-east-1 as in a Region that is not enabled, and
    /// holds every answer back `delay` seconds.
    fn start(delay: f64) -> Self {
        Self::start_with(delay, |_| None)
    }

    /// As [`Org::start`], with the proxy answering AWS Config's `SelectAggregateResourceConfig`
    /// from what `config` makes of the account ids (`{"aggregator": NAME, "rows": [...]}`).
    fn start_with(delay: f64, config: impl FnOnce(&Value) -> Option<Value>) -> Self {
        let server = venv_bin("moto_server");
        assert!(
            server.exists(),
            "{} is missing: run `bash scripts/test.sh` once (it creates .venv with moto[server] from tests/requirements.txt)",
            server.display()
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let moto_port = free_port();
        let log = std::fs::File::create(dir.path().join("moto.log")).expect("log");
        let moto = Running(
            Command::new(&server)
                .args(["-H", "127.0.0.1", "-p", &moto_port.to_string()])
                .current_dir(dir.path())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .expect("start moto_server"),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        while http_status(moto_port, "/moto-api/") != Some(200) {
            assert!(Instant::now() < deadline, "moto did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let endpoint = format!("http://127.0.0.1:{moto_port}");
        let out = Command::new(venv_bin("python"))
            .arg(repo().join("tests/moto/organization.py"))
            .args(["--endpoint", &endpoint, "--role", ROLE])
            .output()
            .expect("run organization.py");
        assert!(
            out.status.success(),
            "organization.py failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let ids: Value = serde_json::from_slice(&out.stdout).expect("organization.py prints JSON");
        let port_file = dir.path().join("proxy.port");
        let mut proxy_args: Vec<String> = Vec::new();
        if let Some(rows) = config(&ids) {
            let path = dir.path().join("config-rows.json");
            std::fs::write(&path, rows.to_string()).expect("write config rows");
            proxy_args.push("--config-rows".to_owned());
            proxy_args.push(path.display().to_string());
        }
        let proxy = Running(
            Command::new(venv_bin("python"))
                .arg(repo().join("tests/moto/deny_proxy.py"))
                .args(&proxy_args)
                .args(["--upstream", &endpoint])
                .arg("--port-file")
                .arg(&port_file)
                .args(["--deny-account", ids["locked"].as_str().expect("locked id")])
                .args(["--disabled-region", "ap-east-1"])
                .args(["--delay", &delay.to_string()])
                .stdin(Stdio::null())
                .stderr(
                    std::fs::File::create(dir.path().join("proxy.log"))
                        .map_or_else(|_| Stdio::null(), Stdio::from),
                )
                .spawn()
                .expect("start deny_proxy.py"),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        let proxy_port = loop {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|p| p.trim().parse().ok())
            {
                break port;
            }
            assert!(Instant::now() < deadline, "the proxy did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        Self {
            _proxy: proxy,
            _moto: moto,
            proxy_port,
            ids,
            dir,
        }
    }

    fn id(&self, name: &str) -> String {
        self.ids[name].as_str().expect("an account id").to_owned()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary, talking to the proxy, with test credentials of the management account.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_efs-preflight"));
        cmd.args(args)
            .args([
                "--endpoint-url",
                &format!("http://127.0.0.1:{}", self.proxy_port),
                "--region",
                "us-east-1",
            ])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.command(args).output().expect("run efs-preflight");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

const ORG_FLAGS: &[&str] = &[
    "--accounts",
    "org",
    "--regions",
    "us-east-1,us-west-2",
    "--role-name",
    ROLE,
];

fn flags(extra: &[&str]) -> Vec<String> {
    ORG_FLAGS
        .iter()
        .chain(extra)
        .map(|s| (*s).to_owned())
        .collect()
}

fn as_strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn estate_ids(snapshot: &Value) -> Vec<(String, String)> {
    snapshot["estates"]
        .as_array()
        .expect("estates")
        .iter()
        .map(|e| {
            (
                e["account_id"].as_str().unwrap_or_default().to_owned(),
                e["region"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A snapshot without its collection time.
fn timeless(mut snapshot: Value) -> Value {
    if let Some(o) = snapshot.as_object_mut() {
        o.remove("collected_at");
    }
    snapshot
}

#[test]
fn organization_check_finds_the_broken_estate_and_reports_the_locked_account() {
    let org = Org::start(0.0);
    let mut args = vec!["check".to_owned()];
    args.extend(flags(&["--format", "json"]));
    let (code, out, err) = org.run(&as_strs(&args));
    assert_eq!(code, 1, "NET001 fails in the broken estate\n{err}");
    let report = json(&out);
    let failing: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "fail")
        .collect();
    assert!(!failing.is_empty(), "{out}");
    for f in &failing {
        assert_eq!(f["rule"], "NET001", "{f}");
        assert_eq!(f["target"]["name"], "web-az", "{f}");
        assert_eq!(f["target"]["account"], org.id("broken").as_str(), "{f}");
        assert_eq!(f["target"]["region"], "us-east-1", "{f}");
        assert_eq!(f["resource"], org.ids["broken_subnet"], "{f}");
    }
    // Every ACTIVE account in both Regions; the closed account is not read.
    let accounts: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["target"]["account"].as_str())
        .collect();
    assert_eq!(
        accounts,
        [org.id("healthy"), org.id("broken")]
            .iter()
            .map(String::as_str)
            .collect(),
        "targets come from the two accounts with services"
    );
    let not_checked = report["coverage"]["not_checked"].to_string();
    let locked = org.id("locked");
    for region in ["us-east-1", "us-west-2"] {
        assert!(
            not_checked.contains(&format!(
                "{locked}/{region}: nothing read (sts:AssumeRole AccessDenied)"
            )),
            "{not_checked}"
        );
    }
    assert!(!not_checked.contains(&org.id("closed")), "{not_checked}");
    assert!(
        report["coverage"]["checked"]
            .to_string()
            .contains("8 estates"),
        "{}",
        report["coverage"]
    );
    // Progress on stderr: estates done / total, calls, gaps.
    assert!(err.contains("[8/8]"), "{err}");
    assert!(err.contains("8 estates read"), "{err}");
}

#[test]
fn snapshot_replays_with_the_findings_of_the_live_check() {
    let org = Org::start(0.0);
    let file = org.path("org.json");
    let file_arg = file.to_str().expect("utf-8 path");
    let mut args = vec!["snapshot".to_owned()];
    args.extend(flags(&["-o", file_arg, "--quiet"]));
    let (code, _, err) = org.run(&as_strs(&args));
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "--quiet prints nothing: {err}");
    let snapshot = json(&std::fs::read_to_string(&file).expect("snapshot written"));
    assert!(snapshot.get("incomplete").is_none(), "complete");
    let mut expected: Vec<(String, String)> = ["management", "healthy", "broken", "locked"]
        .iter()
        .flat_map(|a| {
            ["us-east-1", "us-west-2"]
                .iter()
                .map(|r| (org.id(a), (*r).to_owned()))
        })
        .collect();
    expected.sort();
    assert_eq!(estate_ids(&snapshot), expected);
    for estate in snapshot["estates"].as_array().expect("estates") {
        let locked = estate["account_id"] == org.id("locked").as_str();
        if locked {
            assert_eq!(estate["gaps"][0]["call"], "sts:AssumeRole", "{estate}");
            assert_eq!(estate["gaps"][0]["error"], "AccessDenied", "{estate}");
            for section in ["ec2", "efs", "ecs", "iam"] {
                assert!(
                    estate[section]
                        .as_object()
                        .is_none_or(serde_json::Map::is_empty),
                    "nothing read: {estate}"
                );
            }
        } else {
            assert_eq!(estate["gaps"], Value::Array(Vec::new()), "{estate}");
        }
    }

    let mut live_args = vec!["check".to_owned()];
    live_args.extend(flags(&["--format", "json", "--quiet"]));
    let (live_code, live, _) = org.run(&as_strs(&live_args));
    let offline = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args([
            "check",
            "--snapshot",
            file_arg,
            "--format",
            "json",
            "--quiet",
        ])
        .output()
        .expect("run efs-preflight");
    assert_eq!(offline.status.code(), Some(live_code));
    let offline = json(&String::from_utf8_lossy(&offline.stdout));
    let live = json(&live);
    assert_eq!(offline["findings"], live["findings"]);
    assert_eq!(offline["summary"], live["summary"]);
    assert_eq!(offline["coverage"], live["coverage"]);
}

#[test]
fn accounts_that_cannot_be_read_are_gaps_not_exit_3() {
    let org = Org::start(0.0);
    let locked = org.id("locked");
    // Only the locked account: nothing can be read there, but the caller's credentials work.
    let (code, out, err) = org.run(&[
        "check",
        "--accounts",
        &locked,
        "--role-name",
        ROLE,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let report = json(&out);
    assert_eq!(report["summary"]["targets"], 0);
    let not_checked = report["coverage"]["not_checked"].to_string();
    assert!(
        not_checked.contains(&format!(
            "sts:AssumeRole on arn:aws:iam::{locked}:role/{ROLE} (AccessDenied)"
        )),
        "{not_checked}"
    );

    // Caller credentials that cannot reach AWS at all: exit 3.
    let (code, _, err) = {
        let out = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
            .args(["check", "--accounts", "org", "--role-name", ROLE])
            .args([
                "--endpoint-url",
                &format!("http://127.0.0.1:{}", free_port()),
            ])
            .args(["--region", "us-east-1"])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env_remove("AWS_PROFILE")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("run");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(code, 3, "{err}");

    // Usage errors: exit 2.
    let healthy = org.id("healthy");
    let (code, _, err) = org.run(&["check", "--accounts", &healthy]);
    assert_eq!(code, 2, "another account needs --role-name: {err}");
    assert!(err.contains("--role-name"), "{err}");
    let (code, _, err) = org.run(&["check", "--accounts", "12345", "--role-name", ROLE]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("12 digits"), "{err}");
    let (code, _, err) = org.run(&["snapshot", "-o", "-", "--accounts", "org,123456789012"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = org.run(&[
        "check",
        "--accounts",
        "org",
        "--role-name",
        ROLE,
        "--task-definition",
        "td.json",
    ]);
    assert_eq!(code, 2, "{err}");
    // Offline, the live-only flags are refused rather than ignored.
    let offline = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--snapshot"])
        .arg(repo().join("fixtures/scenarios/estates.json"))
        .args(["--role-name", ROLE])
        .output()
        .expect("run");
    assert_eq!(offline.status.code(), Some(2));
    // Interrupted runs are resumed from their file, with the scope it records.
    let (code, _, err) = org.run(&["snapshot", "--resume", "x.json", "--cluster", "app"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--resume reads"), "{err}");
}

#[test]
fn a_region_that_is_not_enabled_is_a_gap_of_its_estate() {
    let org = Org::start(0.0);
    let healthy = org.id("healthy");
    let (code, out, err) = org.run(&[
        "check",
        "--accounts",
        &format!("{healthy},123456789012"),
        "--regions",
        "us-east-1,ap-east-1",
        "--role-name",
        ROLE,
        "--format",
        "json",
    ]);
    assert_eq!(
        code, 0,
        "the healthy estate passes; nothing else fails\n{err}"
    );
    let report = json(&out);
    assert!(report["summary"]["pass"].as_u64().unwrap_or(0) > 0, "{out}");
    let not_checked = report["coverage"]["not_checked"].to_string();
    for account in [healthy.as_str(), "123456789012"] {
        assert!(
            not_checked.contains(&format!(
                "{account}/ap-east-1: nothing read (ecs:ListAccountSettings UnrecognizedClientException; ecs:ListClusters UnrecognizedClientException)"
            )),
            "{not_checked}"
        );
    }
    assert!(
        err.contains("ap-east-1: 2 calls, 2 gaps (nothing read)"),
        "{err}"
    );
}

#[test]
fn regions_all_reads_every_region_enabled_for_the_account() {
    let org = Org::start(0.0);
    let (code, out, err) = org.run(&[
        "snapshot",
        "-o",
        "-",
        "--regions",
        "all",
        "--quiet",
        "--concurrency",
        "16",
    ]);
    assert_eq!(code, 0, "{err}");
    let snapshot = json(&out);
    let ids = estate_ids(&snapshot);
    // moto enables every Region it knows (38 in moto 5.2).
    assert!(ids.len() >= 17, "{ids:?}");
    assert!(ids.iter().all(|(a, _)| a == "123456789012"));
    assert!(ids.iter().any(|(_, r)| r == "eu-west-1"));
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
}

/// Starts a slow snapshot run, waits until it has written a partial file, and sends `signal`.
fn interrupt(org: &Org, file: &Path, signal: &str) -> (i32, String) {
    let file_arg = file.to_str().expect("utf-8 path");
    let mut args = vec!["snapshot".to_owned(), "-o".to_owned(), file_arg.to_owned()];
    args.extend(flags(&["--concurrency", "1"]));
    let mut child = org
        .command(&as_strs(&args))
        .stderr(Stdio::piped())
        .spawn()
        .expect("start efs-preflight");
    let deadline = Instant::now() + Duration::from_mins(2);
    loop {
        let partial = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .is_some_and(|s| s.get("incomplete").is_some());
        if partial {
            break;
        }
        assert!(Instant::now() < deadline, "no partial snapshot written");
        assert!(
            child.try_wait().expect("poll").is_none(),
            "the run ended before it was interrupted"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        stderr.read_to_string(&mut err).expect("stderr");
    }
    let code = child.wait().expect("wait").code().unwrap_or(-1);
    (code, err)
}

#[test]
fn an_interrupted_snapshot_resumes_to_the_uninterrupted_one() {
    // Every answer 50 ms late: 8 estates one at a time take seconds, long enough to interrupt.
    let org = Org::start(0.05);
    let full = org.path("full.json");
    let mut args = vec![
        "snapshot".to_owned(),
        "-o".to_owned(),
        full.display().to_string(),
    ];
    args.extend(flags(&["--quiet"]));
    let (code, _, err) = org.run(&as_strs(&args));
    assert_eq!(code, 0, "{err}");
    let full = json(&std::fs::read_to_string(&full).expect("full snapshot"));

    let file = org.path("partial.json");
    let (code, err) = interrupt(&org, &file, "-INT");
    assert_eq!(code, 130, "SIGINT: exit 130\n{err}");
    assert!(err.contains("snapshot --resume"), "{err}");
    let partial = json(&std::fs::read_to_string(&file).expect("partial snapshot"));
    let pending = partial["incomplete"]["pending"]
        .as_array()
        .expect("pending estates")
        .len();
    assert!(pending > 0, "{partial}");
    assert_eq!(estate_ids(&partial).len() + pending, 8, "{partial}");
    assert_eq!(partial["incomplete"]["role_name"], ROLE);
    // The partial file is a snapshot a check can read: the pending estates are not read.
    let offline = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--snapshot"])
        .arg(&file)
        .args(["--format", "json", "--quiet"])
        .output()
        .expect("run");
    assert!(matches!(offline.status.code(), Some(0 | 1)));
    assert!(
        String::from_utf8_lossy(&offline.stdout).contains("not read yet"),
        "{}",
        String::from_utf8_lossy(&offline.stdout)
    );

    let (code, _, err) = org.run(&[
        "snapshot",
        "--resume",
        file.to_str().expect("utf-8"),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let resumed = json(&std::fs::read_to_string(&file).expect("resumed snapshot"));
    assert!(resumed.get("incomplete").is_none());
    assert_eq!(timeless(resumed), timeless(full));

    // Resuming a complete file reads nothing.
    let (code, _, err) = org.run(&["snapshot", "--resume", file.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("nothing to resume"), "{err}");

    // SIGTERM: exit 143, the file resumable.
    let other = org.path("term.json");
    let (code, err) = interrupt(&org, &other, "-TERM");
    assert_eq!(code, 143, "SIGTERM: exit 143\n{err}");
    let partial = json(&std::fs::read_to_string(&other).expect("partial snapshot"));
    assert!(partial["incomplete"]["pending"].as_array().is_some());
}

#[test]
fn a_killed_run_leaves_the_earlier_file_intact() {
    let org = Org::start(0.05);
    let file = org.path("org.json");
    let earlier = "{\"efs_preflight_snapshot\": 1, \"region\": \"us-east-1\"}\n";
    std::fs::write(&file, earlier).expect("earlier file");
    let mut args = vec![
        "snapshot".to_owned(),
        "-o".to_owned(),
        file.display().to_string(),
    ];
    args.extend(flags(&["--quiet", "--concurrency", "1"]));
    let mut child = org.command(&as_strs(&args)).spawn().expect("start");
    // Killed (no handler can run) before the first estate is done: the earlier file is as it was.
    std::thread::sleep(Duration::from_millis(100));
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert_eq!(std::fs::read_to_string(&file).expect("file"), earlier);

    // Killed at any later moment: the file is whole, the earlier one or a resumable snapshot.
    for wait_ms in [700, 1500, 2500] {
        let mut child = org.command(&as_strs(&args)).spawn().expect("start");
        std::thread::sleep(Duration::from_millis(wait_ms));
        child.kill().expect("kill");
        child.wait().expect("wait");
        let text = std::fs::read_to_string(&file).expect("file");
        let value = json(&text);
        assert!(
            text == earlier || value.get("incomplete").is_some() || value.get("estates").is_some(),
            "{text}"
        );
    }
}

#[test]
fn readme_member_role_policy_grants_the_calls_of_an_estate() {
    use efs_preflight::collect::{AUDITOR_CALLS, CALLS, IMPLIED_PERMISSIONS};
    let doc = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let section = doc
        .find("### The role in each member account")
        .expect("README has the member role section");
    let start =
        section + doc[section..].find("```json").expect("a ```json block") + "```json".len();
    let end = start + doc[start..].find("```").expect("end of the block");
    let policy = json(&doc[start..end]);
    let mut granted: Vec<String> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .flat_map(|st| st["Action"].as_array().cloned().unwrap_or_default())
        .map(|a| a.as_str().map(str::to_owned).unwrap_or_default())
        .collect();
    granted.sort_unstable();
    let mut wanted: Vec<String> = CALLS
        .iter()
        .chain(IMPLIED_PERMISSIONS)
        .filter(|c| !AUDITOR_CALLS.contains(*c))
        .map(|c| (*c).to_owned())
        .collect();
    wanted.sort_unstable();
    assert_eq!(granted, wanted);
}

/// A Config row of an ECS service or task definition, shaped as AWS returns a selected row.
fn config_row(account: &str, region: &str, kind: &str, arn: &str, configuration: &Value) -> Value {
    serde_json::json!({
        "accountId": account,
        "awsRegion": region,
        "resourceType": kind,
        "resourceId": arn,
        "arn": arn,
        "configurationItemStatus": "OK",
        "configuration": configuration,
    })
}

#[test]
fn discover_reads_only_the_estates_an_aws_config_aggregator_points_at() {
    let org = Org::start_with(0.0, |ids| {
        let broken = ids["broken"].as_str().expect("broken");
        let healthy = ids["healthy"].as_str().expect("healthy");
        let td = |account: &str, region: &str| {
            format!("arn:aws:ecs:{region}:{account}:task-definition/efs-app:1")
        };
        Some(serde_json::json!({
            "aggregator": "org-aggregator",
            "rows": [
                // A service on a task definition with an EFS volume: read.
                config_row(broken, "us-east-1", "AWS::ECS::Service",
                    &format!("arn:aws:ecs:us-east-1:{broken}:service/app/web-az"),
                    &serde_json::json!({"TaskDefinition": td(broken, "us-east-1")})),
                config_row(broken, "us-east-1", "AWS::ECS::TaskDefinition", &td(broken, "us-east-1"),
                    &serde_json::json!({"TaskDefinitionArn": td(broken, "us-east-1")})),
                // A task definition with an EFS volume and no recorded service: undecided, read too.
                config_row(healthy, "us-west-2", "AWS::ECS::TaskDefinition", &td(healthy, "us-west-2"),
                    &serde_json::json!({"TaskDefinitionArn": td(healthy, "us-west-2")})),
                // A service whose task definition mounts nothing: not read.
                config_row(healthy, "us-east-1", "AWS::ECS::Service",
                    &format!("arn:aws:ecs:us-east-1:{healthy}:service/app/plain"),
                    &serde_json::json!({"TaskDefinition": format!("arn:aws:ecs:us-east-1:{healthy}:task-definition/plain:1")})),
            ],
        }))
    });
    let broken = org.id("broken");
    let healthy = org.id("healthy");
    let out = org.path("discovered.json");
    let out_arg = out.display().to_string();
    let (code, _, err) = org.run(&[
        "snapshot",
        "--discover",
        "config:org-aggregator",
        "--role-name",
        ROLE,
        "-o",
        &out_arg,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("AWS Config aggregator org-aggregator: 1 estate with ECS services on EFS task definitions, 1 Config cannot settle"),
        "{err}"
    );
    let snapshot = json(&std::fs::read_to_string(&out).expect("snapshot"));
    let mut wanted = vec![
        (broken.clone(), "us-east-1".to_owned()),
        (healthy.clone(), "us-west-2".to_owned()),
    ];
    wanted.sort();
    // The snapshot holds its estates by account, then Region.
    assert_eq!(estate_ids(&snapshot), wanted);

    // The check finds the broken estate's failure; --regions narrows Config's list.
    let (code, out, err) = org.run(&[
        "check",
        "--discover",
        "config:org-aggregator",
        "--role-name",
        ROLE,
        "--regions",
        "us-east-1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "NET001 fails in the broken estate\n{err}");
    let report = json(&out);
    let findings = report["findings"].as_array().expect("findings");
    assert!(findings
        .iter()
        .any(|f| f["rule"] == "NET001" && f["status"] == "fail"));
    assert!(
        findings
            .iter()
            .all(|f| f["target"]["account"] == broken.as_str()
                && f["target"]["region"] == "us-east-1")
    );

    // An aggregator that does not exist: the run does not know where to look (exit 3).
    let (code, _, err) = org.run(&["check", "--discover", "config:nope", "--role-name", ROLE]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("nope") && err.contains("does not exist"),
        "{err}"
    );
    // Not the flag's shape, or with a saved file: usage errors.
    let (code, _, err) = org.run(&["check", "--discover", "org-aggregator"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("config:AGGREGATOR"), "{err}");
}
