//! `efs-preflight mcp` driven by a Model Context Protocol client over stdio: newline-delimited
//! JSON-RPC 2.0 as the MCP stdio transport defines it (initialize, the initialized notification,
//! tools/list, tools/call).

#![cfg(feature = "mcp")]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    next_id: u64,
}

impl Session {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
            .arg("mcp")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout: ChildStdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            stdin,
            lines,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let mut text = serde_json::to_string(message).unwrap();
        assert!(!text.contains('\n'));
        text.push('\n');
        self.stdin.write_all(text.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request and returns its response (every line on stdout must be JSON-RPC).
    fn request(&mut self, method: &str, params: &Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_mins(1))
                .expect("a response within 60 s");
            let message: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("stdout holds only JSON-RPC ({e}): {line}"));
            assert_eq!(message["jsonrpc"], "2.0", "{message}");
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    fn call(&mut self, tool: &str, arguments: &Value) -> Value {
        self.request("tools/call", &json!({"name": tool, "arguments": arguments}))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn demo() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios/demo.json")
        .display()
        .to_string()
}

#[test]
fn an_mcp_client_lists_and_calls_the_tools() {
    let mut s = Session::start();
    let init = s.request(
        "initialize",
        &json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "efs-preflight-tests", "version": "1.0.0"}
        }),
    );
    assert_eq!(init["protocolVersion"], "2025-06-18", "{init}");
    assert_eq!(init["serverInfo"]["name"], "efs-preflight");
    assert!(init["capabilities"]["tools"].is_object(), "{init}");
    s.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));

    let list = s.request("tools/list", &json!({}));
    let tools = list["tools"].as_array().unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["check", "explain", "rules"]);
    for t in tools {
        assert_eq!(t["annotations"]["readOnlyHint"], true, "{t}");
        assert_eq!(t["inputSchema"]["type"], "object", "{t}");
    }
    let check = tools.iter().find(|t| t["name"] == "check").unwrap();
    for key in [
        "snapshot",
        "clusters",
        "services",
        "task_definition",
        "terraform_plan",
        "cloudformation",
        "baseline",
    ] {
        assert!(
            check["inputSchema"]["properties"].get(key).is_some(),
            "check lacks {key}: {check}"
        );
    }

    // check on the demo snapshot: the JSON report, exit code 1 (mounts fail).
    let result = s.call("check", &json!({"snapshot": demo()}));
    assert_eq!(result["isError"], false, "{result}");
    let report = &result["structuredContent"];
    assert_eq!(report["schema"], 1);
    assert_eq!(report["exit_code"], 1);
    assert_eq!(report["summary"]["targets"], 7);
    assert_eq!(report["summary"]["fail"], 11);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "NET001"
            && f["status"] == "fail"
            && f["fix"]
                .as_str()
                .unwrap()
                .starts_with("aws efs create-mount-target")));
    let text: Value = serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(&text, report);

    // Scoped, with a rule selection.
    let result = s.call(
        "check",
        &json!({"snapshot": demo(), "clusters": ["prod"], "services": ["worker"], "rules": ["NET001"]}),
    );
    let findings = result["structuredContent"]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| f["rule"] == "NET001" && f["target"]["name"] == "worker"));

    // Bad input is a tool error with the exit code, not a protocol error.
    let result = s.call("check", &json!({"snapshot": "fixtures/none.json"}));
    assert_eq!(result["isError"], true, "{result}");
    assert_eq!(result["structuredContent"]["exit_code"], 2);
    assert!(result["structuredContent"]["error"]
        .as_str()
        .unwrap()
        .contains("fixtures/none.json"));

    // explain a stoppedReason.
    let result = s.call(
        "explain",
        &json!({"text": "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-0abc.efs.us-east-1.amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID.", "cluster": "prod", "service": "worker"}),
    );
    assert_eq!(result["isError"], false, "{result}");
    let candidates = result["structuredContent"]["candidates"]
        .as_array()
        .unwrap();
    let rules: Vec<&str> = candidates
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"NET001"), "{rules:?}");
    assert!(candidates[0]["check"]
        .as_str()
        .unwrap()
        .starts_with("efs-preflight check --cluster prod --service worker --rule "));

    // rules: the list and one page.
    let result = s.call("rules", &json!({}));
    assert!(
        result["structuredContent"]["rules"]
            .as_array()
            .unwrap()
            .len()
            > 30
    );
    let result = s.call("rules", &json!({"id": "NET001"}));
    assert!(result["structuredContent"]["page"]
        .as_str()
        .unwrap()
        .starts_with("# NET001"));
}
