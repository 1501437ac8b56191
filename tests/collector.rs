//! The live collector against moto in server mode: real HTTP, the real AWS SDK, estates built
//! through the AWS APIs by `tests/moto/estates.py` (boto3).
//!
//! Every test starts its own `moto_server` on 127.0.0.1 (a free port) from the repository's
//! `.venv`, which `bash scripts/test.sh` creates from `tests/requirements.txt`, and stops it when
//! done. moto 5.2.5 differs from AWS in places; where that shapes a test, a comment says so.
#![cfg(feature = "live")]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use efs_preflight::collect::{
    collect, describe_tasks, CallOutcome, CallRecord, CollectError, CollectOptions, Collected,
    Progress, Seeds, StaticCredentials, CALLS, FANOUT_CALLS, IMPLIED_PERMISSIONS,
};
use serde_json::Value;

// ---- moto harness -------------------------------------------------------------------------------

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn venv_bin(name: &str) -> PathBuf {
    repo().join(".venv").join("bin").join(name)
}

/// A moto server for one test; killed on drop.
struct Moto {
    child: Child,
    port: u16,
    tls: bool,
    dir: tempfile::TempDir,
}

impl Moto {
    fn start() -> Self {
        Self::launch(false)
    }

    /// A moto server speaking HTTPS with a certificate of a test authority, `dir()/ca.pem`
    /// (written by `tests/moto/tls.py`).
    fn start_tls() -> Self {
        Self::launch(true)
    }

    fn launch(tls: bool) -> Self {
        let server = venv_bin("moto_server");
        assert!(
            server.exists(),
            "{} is missing: run `bash scripts/test.sh` once (it creates .venv with moto[server] from tests/requirements.txt)",
            server.display()
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("moto.log")).expect("log file");
        let mut command = Command::new(&server);
        if tls {
            let out = Command::new(venv_bin("python"))
                .arg(repo().join("tests/moto/tls.py"))
                .arg(dir.path())
                .output()
                .expect("run tls.py");
            assert!(
                out.status.success(),
                "tls.py failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            command.args(["-c", "server.pem", "-k", "server.key"]);
        }
        let child = command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // Each server records to its own file (the recorder starts switched off).
            .env("MOTO_RECORDER_FILEPATH", dir.path().join("recording"))
            .current_dir(dir.path())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start moto_server");
        let moto = Self {
            child,
            port,
            tls,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let ready = || {
            if tls {
                // The control API speaks HTTPS now; a listening port is enough.
                TcpStream::connect(("127.0.0.1", port)).is_ok()
            } else {
                http(port, "GET", "/moto-api/", "").map(|(status, _)| status) == Some(200)
            }
        };
        while !ready() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not answer on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    fn endpoint(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The server's own temporary directory.
    fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Builds estates (see `tests/moto/estates.py`) and returns the ids it created.
    fn seed(&self, estates: &[&str], count: Option<usize>) -> Value {
        let mut cmd = Command::new(venv_bin("python"));
        cmd.arg(repo().join("tests/moto/estates.py"))
            .args(estates)
            .args(["--endpoint", &self.endpoint()]);
        if let Some(count) = count {
            cmd.args(["--count", &count.to_string()]);
        }
        let out = cmd.output().expect("run estates.py");
        assert!(
            out.status.success(),
            "estates.py {estates:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("estates.py prints JSON")
    }

    fn start_recording(&self) {
        let (status, body) = http(self.port, "POST", "/moto-api/recorder/reset-recording", "")
            .expect("reset recording");
        assert_eq!(status, 200, "{body}");
        let (status, body) = http(self.port, "POST", "/moto-api/recorder/start-recording", "")
            .expect("start recording");
        assert_eq!(status, 200, "{body}");
    }

    /// Every request moto received since `start_recording`, named `service:Action`.
    fn recorded_actions(&self) -> Vec<String> {
        http(self.port, "POST", "/moto-api/recorder/stop-recording", "").expect("stop recording");
        let out = Command::new(venv_bin("python"))
            .arg(repo().join("tests/moto/recording.py"))
            .args(["--endpoint", &self.endpoint()])
            .output()
            .expect("run recording.py");
        assert!(
            out.status.success(),
            "recording.py failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("recording.py prints JSON")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A minimal HTTP/1.1 request (the moto control API needs nothing more).
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

fn options(moto: &Moto, clusters: &[&str], services: &[&str]) -> CollectOptions {
    CollectOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(moto.endpoint()),
        clusters: clusters.iter().map(|s| (*s).to_owned()).collect(),
        services: services.iter().map(|s| (*s).to_owned()).collect(),
        progress: Progress::Quiet,
        credentials: Some(StaticCredentials {
            access_key_id: "testing".into(),
            secret_access_key: "testing".into(),
            session_token: None,
        }),
        ..CollectOptions::default()
    }
}

fn run(opts: &CollectOptions) -> Collected {
    match collect(opts) {
        Ok(collected) => collected,
        Err(e) => panic!("collect failed: {e}"),
    }
}

fn s(v: &Value) -> String {
    v.as_str().expect("a string id").to_owned()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("an array of ids")
        .iter()
        .map(s)
        .collect()
}

/// How many calls of each action were made.
fn counts(calls: &[CallRecord]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for c in calls {
        *counts.entry(c.call).or_default() += 1;
    }
    counts
}

fn is_read_action(action: &str) -> bool {
    let name = action.split_once(':').map_or(action, |(_, a)| a);
    // AWS Config's advanced queries (`Select...`) read recorded configuration only.
    ["Describe", "List", "Get", "Select"]
        .iter()
        .any(|p| name.starts_with(p))
}

// ---- estates ------------------------------------------------------------------------------------

#[test]
fn healthy_service_is_collected_in_full() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy"], None);
    let collected = run(&options(&moto, &["app"], &["web"]));
    let snap = &collected.snapshot;

    assert!(snap.gaps.is_empty(), "gaps: {:?}", snap.gaps);
    assert_eq!(snap.efs_preflight_snapshot, Some(1));
    assert_eq!(snap.account_id.as_deref(), Some("123456789012"));
    assert_eq!(snap.region.as_deref(), Some("us-east-1"));
    assert!(snap
        .tool
        .as_deref()
        .is_some_and(|t| t.starts_with("efs-preflight ")));
    assert!(snap
        .collected_at
        .as_deref()
        .is_some_and(|t| t.ends_with('Z')));

    // ECS: the service with its PRIMARY deployment, its task definition and a stopped task.
    let services = snap.ecs.services.as_ref().expect("services collected");
    assert_eq!(services.len(), 1);
    let web = &services[0];
    assert_eq!(
        web.service_arn.as_deref(),
        Some(&*s(&ids["services"]["web"]))
    );
    assert_eq!(web.launch_type.as_deref(), Some("FARGATE"));
    assert_eq!(web.platform_version.as_deref(), Some("1.4.0"));
    let primary = web
        .deployments
        .iter()
        .find(|d| d.status.as_deref() == Some("PRIMARY"))
        .expect("a PRIMARY deployment");
    assert_eq!(primary.platform_version.as_deref(), Some("1.4.0"));
    let awsvpc = web
        .network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .expect("awsvpcConfiguration");
    assert_eq!(awsvpc.subnets, strings(&ids["subnets"]));
    assert_eq!(awsvpc.security_groups, [s(&ids["task_sg"])]);
    let tds = snap
        .ecs
        .task_definitions
        .as_ref()
        .expect("task definitions");
    assert_eq!(tds.len(), 1);
    assert_eq!(
        tds[0].task_definition_arn.as_deref(),
        Some(&*s(&ids["task_definition"]))
    );
    assert_eq!(tds[0].task_role_arn.as_deref(), Some(&*s(&ids["role"])));
    let efs_volume = tds[0].volumes[0]
        .efs_volume_configuration
        .as_ref()
        .expect("EFS volume");
    assert_eq!(efs_volume.file_system_id, s(&ids["file_system"]));
    assert_eq!(
        efs_volume.access_point_id(),
        Some(&*s(&ids["access_point"]))
    );
    assert!(efs_volume.tls() && efs_volume.iam());
    // moto's services never start tasks; the estate runs one in group `service:web` and stops
    // it. moto also ignores ListTasks' serviceName filter (AWS applies it).
    let tasks = snap.ecs.tasks.as_ref().expect("tasks collected");
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(
        tasks[0].task_arn.as_deref(),
        Some(&*s(&ids["stopped_task"]))
    );
    assert!(tasks[0]
        .stopped_reason
        .as_deref()
        .is_some_and(|r| r.starts_with("ResourceInitializationError")));

    // EC2: subnets with AZ ids, the VPC, its DNS attributes and DHCP options.
    let subnets = snap.ec2.subnets.as_ref().expect("subnets");
    let mut az_ids: Vec<&str> = subnets
        .iter()
        .filter_map(|s| s.availability_zone_id.as_deref())
        .collect();
    az_ids.sort_unstable();
    assert_eq!(az_ids, ["use1-az1", "use1-az6"]);
    let vpcs = snap.ec2.vpcs.as_ref().expect("VPCs");
    assert_eq!(vpcs.len(), 1);
    assert_eq!(vpcs[0].vpc_id, s(&ids["vpc"]));
    assert_eq!(
        vpcs[0].dhcp_options_id.as_deref(),
        Some(&*s(&ids["dhcp_options"]))
    );
    let attributes = snap.ec2.vpc_attributes.as_ref().expect("VPC attributes");
    assert_eq!(attributes.len(), 1);
    assert_eq!(
        attributes[0].enable_dns_support.and_then(|a| a.value),
        Some(true)
    );
    assert_eq!(
        attributes[0].enable_dns_hostnames.and_then(|a| a.value),
        Some(true)
    );
    let dhcp = snap.ec2.dhcp_options.as_ref().expect("DHCP options");
    assert_eq!(dhcp.len(), 1);
    assert!(dhcp[0]
        .dhcp_configurations
        .iter()
        .any(|c| c.key == "domain-name-servers"
            && c.values
                .iter()
                .any(|v| v.value.as_deref() == Some("AmazonProvidedDNS"))));

    // Security groups: task, mount target, the VPC default, and the one the EFS group references
    // (ops); not the unrelated one.
    let groups = snap.ec2.security_groups.as_ref().expect("security groups");
    let group = |id: &Value| groups.iter().find(|g| g.group_id == s(id));
    for key in ["task_sg", "efs_sg", "ops_sg"] {
        assert!(group(&ids[key]).is_some(), "{key} missing: {groups:?}");
    }
    assert!(group(&ids["unrelated_sg"]).is_none());
    assert!(groups
        .iter()
        .any(|g| g.group_name.as_deref() == Some("default")
            && g.vpc_id.as_deref() == Some(&*s(&ids["vpc"]))));
    let nfs = group(&ids["efs_sg"])
        .expect("EFS group")
        .ip_permissions
        .iter()
        .find(|p| p.from_port == Some(2049))
        .expect("2049 ingress");
    assert_eq!(nfs.ip_protocol, "tcp");
    assert_eq!(
        nfs.user_id_group_pairs[0].group_id.as_deref(),
        Some(&*s(&ids["task_sg"]))
    );
    assert_eq!(
        nfs.prefix_list_ids[0].prefix_list_id,
        s(&ids["prefix_list"])
    );

    // Network ACLs, route tables, and the prefix list referenced by a rule and a route.
    let acls = snap.ec2.network_acls.as_ref().expect("network ACLs");
    assert!(acls
        .iter()
        .any(|a| a.is_default && a.entries.iter().any(|e| e.rule_number == 32767)));
    let tables = snap.ec2.route_tables.as_ref().expect("route tables");
    assert!(tables.iter().any(|t| t.associations.iter().any(|a| a.main)));
    assert!(tables
        .iter()
        .any(|t| t.route_table_id == s(&ids["route_table"])
            && t.routes.iter().any(
                |r| r.destination_prefix_list_id.as_deref() == Some(&*s(&ids["prefix_list"]))
            )));
    let lists = snap
        .ec2
        .managed_prefix_lists
        .as_ref()
        .expect("prefix lists");
    assert_eq!(lists.len(), 1, "only the referenced list: {lists:?}");
    assert_eq!(lists[0].prefix_list_id, s(&ids["prefix_list"]));
    let entries = lists[0].entries.as_ref().expect("entries");
    assert_eq!(entries[0].cidr, "192.168.0.0/24");

    // EFS: the file system, both mount targets with their groups and AZ ids, the access point
    // and the decoded policy.
    let file_systems = snap.efs.file_systems.as_ref().expect("file systems");
    assert_eq!(file_systems.len(), 1);
    assert_eq!(
        file_systems[0].life_cycle_state.as_deref(),
        Some("available")
    );
    let targets = snap.efs.mount_targets.as_ref().expect("mount targets");
    let mut target_azs: Vec<&str> = targets
        .iter()
        .filter_map(|t| t.availability_zone_id.as_deref())
        .collect();
    target_azs.sort_unstable();
    assert_eq!(target_azs, ["use1-az1", "use1-az6"]);
    for target in targets {
        assert_eq!(target.security_groups, Some(vec![s(&ids["efs_sg"])]));
        assert!(strings(&ids["subnets"]).contains(&target.subnet_id));
        assert!(target.ip_address.is_some());
    }
    let access_points = snap.efs.access_points.as_ref().expect("access points");
    assert_eq!(access_points.len(), 1);
    let ap = &access_points[0];
    assert_eq!(ap.file_system_id, s(&ids["file_system"]));
    assert_eq!(
        ap.posix_user.as_ref().map(|u| (u.uid, u.gid)),
        Some((1000, 1000))
    );
    let root = ap.root_directory.as_ref().expect("root directory");
    assert_eq!(root.path.as_deref(), Some("/data"));
    assert_eq!(
        root.creation_info.as_ref().map(|c| c.permissions.as_str()),
        Some("0750")
    );
    let policies = snap.efs.file_system_policies.as_ref().expect("policies");
    assert_eq!(policies.len(), 1);
    assert_eq!(
        policies[0].policy.value()["Statement"][0]["Action"][0],
        "elasticfilesystem:ClientMount"
    );

    // IAM: the role with trust, inline, attached and boundary policies, decoded.
    let roles = snap.iam.roles.as_ref().expect("roles");
    assert_eq!(roles.len(), 1);
    let role = &roles[0];
    assert_eq!(role.arn, s(&ids["role"]));
    assert_eq!(role.path.as_deref(), Some("/app/"));
    let trust = role
        .assume_role_policy_document
        .as_ref()
        .expect("trust policy");
    assert_eq!(
        trust.value()["Statement"][0]["Principal"]["Service"],
        "ecs-tasks.amazonaws.com"
    );
    assert_eq!(role.role_policy_list.len(), 1);
    assert_eq!(role.role_policy_list[0].policy_name, "efs-inline");
    assert_eq!(
        role.role_policy_list[0].policy_document.value()["Statement"][0]["Action"][1],
        "elasticfilesystem:ClientWrite"
    );
    assert_eq!(
        role.attached_managed_policies[0].policy_arn,
        s(&ids["managed_policy"])
    );
    assert_eq!(
        role.permissions_boundary
            .as_ref()
            .map(|b| b.permissions_boundary_arn.clone()),
        Some(s(&ids["boundary_policy"]))
    );
    let managed = snap.iam.policies.as_ref().expect("managed policies");
    assert_eq!(managed.len(), 2, "attached + boundary: {managed:?}");
    let attached = managed
        .iter()
        .find(|p| p.arn == s(&ids["managed_policy"]))
        .expect("attached policy");
    assert_eq!(attached.default_version_id.as_deref(), Some("v2"));
    let document = attached
        .default_document()
        .expect("default version document");
    assert_eq!(
        document.value()["Statement"][0]["Action"][1],
        "elasticfilesystem:ClientRootAccess"
    );

    // The calls one service costs, all successful. moto never paginates these lists, so on AWS
    // a large account can add pages to the list calls.
    assert!(collected.calls.iter().all(|c| c.outcome == CallOutcome::Ok));
    let expected: BTreeMap<&str, usize> = [
        ("sts:GetCallerIdentity", 1),
        ("ecs:DescribeServices", 1),
        ("ecs:DescribeTaskDefinition", 1),
        ("ecs:ListTasks", 1),
        ("ecs:DescribeTasks", 1),
        ("ec2:DescribeSubnets", 1),
        ("ec2:DescribeVpcs", 1),
        ("ec2:DescribeVpcAttribute", 2),
        ("ec2:DescribeDhcpOptions", 1),
        // task + mount-target groups, the VPC's default group, then the referenced `ops` group
        ("ec2:DescribeSecurityGroups", 3),
        ("ec2:DescribeNetworkAcls", 1),
        ("ec2:DescribeRouteTables", 1),
        ("ec2:DescribeManagedPrefixLists", 1),
        ("ec2:GetManagedPrefixListEntries", 1),
        ("elasticfilesystem:DescribeFileSystems", 1),
        ("elasticfilesystem:DescribeMountTargets", 1),
        ("elasticfilesystem:DescribeMountTargetSecurityGroups", 2),
        ("elasticfilesystem:DescribeAccessPoints", 1),
        ("elasticfilesystem:DescribeFileSystemPolicy", 1),
        ("iam:GetRole", 1),
        ("iam:ListRolePolicies", 1),
        ("iam:GetRolePolicy", 1),
        ("iam:ListAttachedRolePolicies", 1),
        ("iam:GetPolicy", 2),
        ("iam:GetPolicyVersion", 2),
        ("kms:DescribeKey", 1),
        ("route53:ListHostedZonesByVPC", 1),
        ("route53:GetHostedZone", 1),
        ("route53:ListResourceRecordSets", 1),
        ("route53resolver:ListResolverRuleAssociations", 1),
        ("route53resolver:GetResolverRule", 1),
        ("ecs:ListAccountSettings", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts(&collected.calls), expected);
}

#[test]
fn kms_keys_zones_resolver_rules_and_account_settings_are_collected() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy"], None);
    let snap = run(&options(&moto, &["app"], &["web"])).snapshot;
    assert!(snap.gaps.is_empty(), "gaps: {:?}", snap.gaps);
    let fs_id = s(&ids["file_system"]);

    // kms:DescribeKey for the key of the encrypted file system.
    let fs = &snap.efs.file_systems.as_ref().expect("file systems")[0];
    assert_eq!(fs.kms_key_id.as_deref(), Some(&*s(&ids["kms_key"])));
    let keys = snap.kms.keys.as_ref().expect("kms.Keys collected");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].arn.as_deref(), Some(&*s(&ids["kms_key"])));
    assert_eq!(keys[0].key_state.as_deref(), Some("Enabled"));

    // route53: ListHostedZonesByVPC, GetHostedZone (VPCs), ListResourceRecordSets (the zone is
    // the file system's own name). moto reports every zone as owned by the account: it has no
    // zones that services own.
    let zones = snap.route53.hosted_zones.as_ref().expect("zones collected");
    assert_eq!(zones.len(), 1);
    let zone = &zones[0];
    assert_eq!(
        zone.name.trim_end_matches('.'),
        format!("{fs_id}.efs.us-east-1.amazonaws.com")
    );
    assert!(s(&ids["hosted_zone"]).ends_with(zone.short_id()));
    assert_eq!(
        zone.vpcs
            .as_ref()
            .map(|v| v.iter().map(|v| v.vpc_id.clone()).collect::<Vec<_>>()),
        Some(vec![s(&ids["vpc"])])
    );
    assert!(zone.is_private());
    let records = zone.resource_record_sets.as_ref().expect("records listed");
    assert!(records
        .iter()
        .any(|r| r.record_type == "A" && r.name.starts_with(&fs_id)));
    // (ext) VpcsRead: the VPCs whose zones and rule associations were asked for.
    assert_eq!(snap.route53.vpcs_read, Some(vec![s(&ids["vpc"])]));
    assert_eq!(snap.route53resolver.vpcs_read, Some(vec![s(&ids["vpc"])]));

    // route53resolver: the association of the SYSTEM rule with the task VPC, and the rule.
    let associations = snap
        .route53resolver
        .resolver_rule_associations
        .as_ref()
        .expect("associations collected");
    assert_eq!(associations.len(), 1);
    assert_eq!(associations[0].vpc_id, s(&ids["vpc"]));
    assert_eq!(associations[0].resolver_rule_id, s(&ids["resolver_rule"]));
    let rules = snap
        .route53resolver
        .resolver_rules
        .as_ref()
        .expect("rules collected");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].rule_type.as_deref(), Some("SYSTEM"));
    assert_eq!(
        rules[0]
            .domain_name
            .as_deref()
            .map(|d| d.trim_end_matches('.')),
        Some("amazonaws.com")
    );

    // ecs:ListAccountSettings. moto ignores `effectiveSettings` and lists only what was put.
    let settings = snap
        .ecs
        .account_settings
        .as_ref()
        .expect("settings collected");
    assert!(settings
        .iter()
        .any(|x| x.name == "dualStackIPv6" && x.value.as_deref() == Some("disabled")));
}

#[test]
fn only_read_calls_reach_aws_and_each_is_recorded() {
    let moto = Moto::start();
    let ids = moto.seed(
        &[
            "healthy",
            "missing-az",
            "no-2049",
            "platform-130",
            "missing-fs",
        ],
        None,
    );
    moto.start_recording();
    // No scope: every cluster and every EFS service, which exercises every call the collector has.
    let collected = run(&options(&moto, &[], &[]));
    let recorded = moto.recorded_actions();

    let not_reads: Vec<&String> = recorded.iter().filter(|a| !is_read_action(a)).collect();
    assert!(
        not_reads.is_empty(),
        "non-read requests reached moto: {not_reads:?}"
    );
    let mut ours: Vec<String> = collected.calls.iter().map(|c| c.call.to_owned()).collect();
    let mut theirs = recorded.clone();
    ours.sort();
    theirs.sort();
    assert_eq!(
        ours, theirs,
        "every request moto saw is recorded once, and nothing else"
    );
    assert!(collected.calls.iter().all(|c| is_read_action(c.call)));

    // A named task adds the read of its network interface.
    let mut opts = options(&moto, &["app"], &[]);
    opts.tasks = vec![s(&ids["stopped_task"])];
    let by_task = run(&opts);
    let used: std::collections::BTreeSet<&str> = collected
        .calls
        .iter()
        .chain(&by_task.calls)
        .map(|c| c.call)
        .collect();
    // The fan-out's own calls (Organizations, AssumeRole, DescribeRegions) are tested in
    // tests/fanout.rs.
    let listed: std::collections::BTreeSet<&str> = CALLS
        .iter()
        .copied()
        .filter(|c| !FANOUT_CALLS.contains(c))
        .collect();
    assert_eq!(used, listed, "CALLS is exactly what the collector calls");
    assert!(
        collected.snapshot.gaps.is_empty(),
        "{:?}",
        collected.snapshot.gaps
    );
}

#[test]
fn cluster_alone_keeps_only_services_with_efs() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy"], None);
    let collected = run(&options(&moto, &["app"], &[]));
    let snap = &collected.snapshot;
    let names: Vec<&str> = snap
        .ecs
        .services
        .iter()
        .flatten()
        .map(|s| s.service_name.as_str())
        .collect();
    assert_eq!(names, ["web"], "`plain` has no EFS volume");
    let tds: Vec<Option<&str>> = snap
        .ecs
        .task_definitions
        .iter()
        .flatten()
        .map(|t| t.task_definition_arn.as_deref())
        .collect();
    assert_eq!(tds, [Some(&*s(&ids["task_definition"]))]);
    // `plain` was still listed, described, and its task definition read to decide.
    let plain_td = s(&ids["plain_task_definition"]);
    assert!(collected.calls.iter().any(
        |c| c.call == "ecs:DescribeTaskDefinition" && c.resource.as_deref() == Some(&*plain_td)
    ));
    assert_eq!(counts(&collected.calls)["ecs:ListServices"], 1);
}

#[test]
fn subnet_in_az_without_mount_target() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "missing-az"], None);
    let snap = run(&options(&moto, &["app"], &["web-az"])).snapshot;
    let lonely = s(&ids["subnet_no_mount_target"]);
    let subnet = snap
        .ec2
        .subnets
        .iter()
        .flatten()
        .find(|s| s.subnet_id == lonely)
        .expect("the task subnet without a mount target is collected");
    // us-east-1c is use1-az2 in moto's fixed mapping.
    assert_eq!(subnet.availability_zone_id.as_deref(), Some("use1-az2"));
    let target_azs: Vec<&str> = snap
        .efs
        .mount_targets
        .iter()
        .flatten()
        .filter_map(|t| t.availability_zone_id.as_deref())
        .collect();
    assert_eq!(target_azs.len(), 2);
    assert!(!target_azs.contains(&"use1-az2"));
}

#[test]
fn mount_target_group_without_nfs() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "no-2049"], None);
    let snap = run(&options(&moto, &["app"], &["web-no2049"])).snapshot;
    let ssh_only = s(&ids["no_2049_sg"]);
    let targets = snap.efs.mount_targets.as_ref().expect("mount targets");
    assert_eq!(targets.len(), 2);
    assert!(targets
        .iter()
        .all(|t| t.file_system_id == s(&ids["no_2049_file_system"])
            && t.security_groups == Some(vec![ssh_only.clone()])));
    let group = snap
        .ec2
        .security_groups
        .iter()
        .flatten()
        .find(|g| g.group_id == ssh_only)
        .expect("the mount-target group is collected");
    let ports: Vec<Option<i64>> = group.ip_permissions.iter().map(|p| p.from_port).collect();
    assert_eq!(ports, [Some(22)]);
}

#[test]
fn service_on_platform_1_3_0() {
    let moto = Moto::start();
    moto.seed(&["healthy", "platform-130"], None);
    let snap = run(&options(&moto, &["app"], &["web-130"])).snapshot;
    let services = snap.ecs.services.expect("services");
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].platform_version.as_deref(), Some("1.3.0"));
    assert_eq!(
        services[0].deployments[0].status.as_deref(),
        Some("PRIMARY")
    );
    assert_eq!(
        services[0].deployments[0].platform_version.as_deref(),
        Some("1.3.0")
    );
}

#[test]
fn missing_file_system_is_absent_from_a_collected_list() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "missing-fs"], None);
    let collected = run(&options(&moto, &["app"], &["web-nofs"]));
    let snap = &collected.snapshot;
    let missing = s(&ids["missing_file_system"]);
    assert!(
        snap.gaps.is_empty(),
        "not found is not a gap: {:?}",
        snap.gaps
    );
    assert_eq!(snap.efs.file_systems.as_ref().map(Vec::len), Some(0));
    assert_eq!(snap.efs.mount_targets.as_ref().map(Vec::len), Some(0));
    assert_eq!(
        snap.efs.file_system_policies.as_ref().map(Vec::len),
        Some(0)
    );
    let lookup = collected
        .calls
        .iter()
        .find(|c| c.call == "elasticfilesystem:DescribeFileSystems")
        .expect("looked up");
    assert_eq!(lookup.resource.as_deref(), Some(&*missing));
    assert_eq!(
        lookup.outcome,
        CallOutcome::Absent("FileSystemNotFound".into())
    );
    // Nothing more is asked about a file system that does not exist.
    assert!(!collected
        .calls
        .iter()
        .any(|c| c.call == "elasticfilesystem:DescribeMountTargets"));
}

#[test]
fn file_systems_are_paged_past_ten() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "many-fs"], Some(12));
    let collected = run(&options(&moto, &["app"], &["web-many"]));
    let wanted = strings(&ids["many_file_systems"]);
    let mut got: Vec<String> = collected
        .snapshot
        .efs
        .file_systems
        .iter()
        .flatten()
        .map(|f| f.file_system_id.clone())
        .collect();
    got.sort();
    let mut wanted_sorted = wanted.clone();
    wanted_sorted.sort();
    assert_eq!(got, wanted_sorted, "all 12, not the first page of 10");
    // 13 file systems in the account; moto pages them 10 at a time: two calls, NextMarker followed.
    assert_eq!(
        counts(&collected.calls)["elasticfilesystem:DescribeFileSystems"],
        2
    );
    assert_eq!(
        counts(&collected.calls)["elasticfilesystem:DescribeMountTargets"],
        12
    );
}

#[test]
fn denied_calls_become_gaps_and_collection_goes_on() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "denied"], None);
    let mut opts = options(&moto, &["app"], &["web"]);
    opts.credentials = Some(StaticCredentials {
        access_key_id: s(&ids["access_key_id"]),
        secret_access_key: s(&ids["secret_access_key"]),
        session_token: None,
    });
    let snap = run(&opts).snapshot;
    let gap = |call: &str| snap.gaps.iter().find(|g| g.call == call);

    let acl_gap = gap("ec2:DescribeNetworkAcls").expect("ACL gap");
    // moto denies EC2 calls in the IAM-style `<ErrorResponse>` shape, which the EC2 protocol
    // parser cannot read; the collector finds the code in the body. (AWS itself answers
    // `UnauthorizedOperation` in the EC2 shape.)
    assert_eq!(acl_gap.error, "AccessDenied");
    assert_eq!(acl_gap.resource.as_deref(), Some(&*s(&ids["vpc"])));
    let role_gap = gap("iam:GetRole").expect("role gap");
    assert_eq!(role_gap.error, "AccessDenied");
    assert_eq!(role_gap.resource.as_deref(), Some(&*s(&ids["role"])));
    assert!(snap.ec2.network_acls.is_none(), "not collected");
    assert!(snap.iam.roles.is_none(), "not collected");
    assert!(snap.iam.policies.is_none(), "unknown without the roles");

    // What was allowed is there.
    assert_eq!(snap.ecs.services.as_ref().map(Vec::len), Some(1));
    assert_eq!(snap.ec2.subnets.as_ref().map(Vec::len), Some(2));
    assert!(snap
        .ec2
        .security_groups
        .as_ref()
        .is_some_and(|g| !g.is_empty()));
    assert!(snap.ec2.route_tables.is_some());

    // moto fails every EFS GET with 403 SignatureDoesNotMatch once enforcement is on, whatever
    // the policy allows, so the EFS reads are gaps here too (on AWS they would succeed).
    let efs_gap = gap("elasticfilesystem:DescribeFileSystems").expect("EFS gap under moto");
    assert_eq!(efs_gap.error, "SignatureDoesNotMatch");
    assert!(snap.efs.file_systems.is_none());

    // Keys moto does not know are rejected by the first call: AWS cannot be read at all.
    opts.credentials = Some(StaticCredentials {
        access_key_id: "AKIAIOSFODNN7UNKNOWN".into(),
        secret_access_key: "wrong".into(),
        session_token: None,
    });
    let err = collect(&opts).expect_err("unknown keys");
    assert!(
        matches!(&err, CollectError::InvalidCredentials { code, .. } if code == "InvalidClientTokenId"),
        "{err:?}"
    );
    assert!(err.to_string().contains("sts:GetCallerIdentity"), "{err}");
}

/// The findings of `rules` for service `web` of cluster `app` in a collected snapshot.
fn findings_of(
    snap: &efs_preflight::snapshot::Snapshot,
    rules: &[&str],
) -> Vec<efs_preflight::rules::Finding> {
    use efs_preflight::graph::Graph;
    use efs_preflight::rules::Selection;
    use efs_preflight::target::{self, Scope};
    let graph = Graph::build(snap);
    let scope = Scope {
        clusters: vec!["app".to_owned()],
        services: vec!["web".to_owned()],
    };
    let targets = target::select_services(&graph, &scope).expect("service web");
    let only = Selection {
        only: rules
            .iter()
            .filter_map(|r| efs_preflight::rules::find(r))
            .collect(),
        skip: vec![],
    };
    efs_preflight::rules::run(&graph, &targets, &only)
}

#[test]
fn denied_route53_and_resolver_reads_are_gaps_and_the_dns_rules_unknown() {
    use efs_preflight::rules::Status;
    // moto's own IAM enforcement: the policy denies kms:DescribeKey,
    // route53:ListHostedZonesByVPC and route53resolver:ListResolverRuleAssociations.
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "denied-dns"], None);
    let mut opts = options(&moto, &["app"], &["web"]);
    opts.credentials = Some(StaticCredentials {
        access_key_id: s(&ids["access_key_id"]),
        secret_access_key: s(&ids["secret_access_key"]),
        session_token: None,
    });
    let snap = run(&opts).snapshot;
    let vpc = s(&ids["vpc"]);
    let gap = |call: &str| {
        snap.gaps
            .iter()
            .find(|g| g.call == call)
            .unwrap_or_else(|| panic!("{call} gap in {:?}", snap.gaps))
    };
    let associations = gap("route53resolver:ListResolverRuleAssociations");
    assert_eq!(associations.error, "AccessDenied");
    assert_eq!(associations.resource.as_deref(), Some(vpc.as_str()));
    // moto fails every Route 53 GET under enforcement with 403 SignatureDoesNotMatch, whatever
    // the policy allows (as for EFS): the read is a gap all the same.
    let zones = gap("route53:ListHostedZonesByVPC");
    assert_eq!(zones.error, "SignatureDoesNotMatch");
    assert_eq!(zones.resource.as_deref(), Some(vpc.as_str()));
    assert!(snap.route53.hosted_zones.is_none(), "not collected");
    // The queries were made: the VPC is listed as read, and the gaps keep it unknown.
    assert_eq!(snap.route53.vpcs_read, Some(vec![vpc.clone()]));
    assert_eq!(snap.route53resolver.vpcs_read, Some(vec![vpc.clone()]));
    assert!(
        snap.route53resolver.resolver_rule_associations.is_none(),
        "not collected"
    );
    // The rest of the run went on.
    assert_eq!(snap.ecs.services.as_ref().map(Vec::len), Some(1));
    assert_eq!(snap.ec2.subnets.as_ref().map(Vec::len), Some(2));
    assert!(snap.ec2.network_acls.is_some() && snap.iam.roles.is_some());
    let findings = findings_of(&snap, &["EFS009", "DNS004", "DNS005"]);
    assert_eq!(findings.len(), 3, "{findings:?}");
    for f in &findings {
        assert_eq!(f.status, Status::Unknown, "{f:?}");
    }
    for rule in ["DNS004", "DNS005"] {
        let f = findings
            .iter()
            .find(|f| f.rule.id == rule)
            .expect("finding");
        assert_eq!(
            f.message,
            "Cannot decide: route53.HostedZones was not collected (route53:ListHostedZonesByVPC: SignatureDoesNotMatch)."
        );
    }
}

/// The action of a request to moto, for the three actions a denying proxy may refuse.
fn proxied_action(head: &str) -> Option<&'static str> {
    let lower = head.to_ascii_lowercase();
    if lower.contains("x-amz-target: trentservice.describekey") {
        Some("kms:DescribeKey")
    } else if lower.contains("x-amz-target: route53resolver.listresolverruleassociations") {
        Some("route53resolver:ListResolverRuleAssociations")
    } else if lower.starts_with("get /2013-04-01/hostedzonesbyvpc") {
        Some("route53:ListHostedZonesByVPC")
    } else {
        None
    }
}

/// AWS's own denial of `action`: the JSON protocol's `AccessDeniedException` (KMS, Resolver)
/// or Route 53's XML `AccessDenied`.
fn denial(action: &str) -> (u16, &'static str, String) {
    let message = format!(
        "User: arn:aws:iam::123456789012:user/preflight is not authorized to perform: {action} because no identity-based policy allows the {action} action"
    );
    if action.starts_with("route53:") {
        (
            403,
            "text/xml",
            format!(
                "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{message}</Message></Error><RequestId>5d5a4a7c-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
            ),
        )
    } else {
        (
            400,
            "application/x-amz-json-1.1",
            format!(r#"{{"__type":"AccessDeniedException","message":"{message}"}}"#),
        )
    }
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body); `None` at end of stream.
fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some((head, body))
}

/// Forwards one request to moto over a fresh HTTP/1.0 connection and returns its reply as an
/// HTTP/1.1 response with a `Content-Length`, so the client's connection stays usable.
fn forward(moto_port: u16, head: &str, body: &[u8]) -> Vec<u8> {
    let mut lines = head.split("\r\n").filter(|l| !l.is_empty());
    let request_line = lines
        .next()
        .unwrap_or_default()
        .replacen("HTTP/1.1", "HTTP/1.0", 1);
    let mut out = format!("{request_line}\r\n");
    for l in lines {
        let name = l.split(':').next().unwrap_or_default().to_ascii_lowercase();
        if name != "connection" && name != "keep-alive" {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut upstream = TcpStream::connect(("127.0.0.1", moto_port)).expect("moto");
    upstream.write_all(out.as_bytes()).expect("forward");
    upstream.write_all(body).expect("forward body");
    let mut reply = Vec::new();
    upstream.read_to_end(&mut reply).expect("moto reply");
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("reply head");
    let reply_head = String::from_utf8_lossy(&reply[..split]).into_owned();
    let reply_body = &reply[split + 4..];
    let mut lines = reply_head.split("\r\n");
    let status = lines
        .next()
        .unwrap_or_default()
        .replacen("HTTP/1.0", "HTTP/1.1", 1);
    let mut response = format!("{status}\r\n");
    for l in lines {
        let name = l.split(':').next().unwrap_or_default().to_ascii_lowercase();
        if ![
            "connection",
            "keep-alive",
            "content-length",
            "transfer-encoding",
        ]
        .contains(&name.as_str())
        {
            response.push_str(l);
            response.push_str("\r\n");
        }
    }
    response.push_str("Content-Length: ");
    response.push_str(&reply_body.len().to_string());
    response.push_str("\r\n\r\n");
    let mut bytes = response.into_bytes();
    bytes.extend_from_slice(reply_body);
    bytes
}

/// A proxy on 127.0.0.1 in front of moto that answers `deny` with AWS's own denial and
/// forwards everything else; returns its port. moto's IAM enforcement cannot do this for Route 53
/// or KMS: under it every Route 53 and EFS GET fails, so the file system whose key KMS would be
/// asked about is not read either.
fn denying_proxy(moto_port: u16, deny: &'static str) -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind proxy");
    let port = listener.local_addr().expect("proxy address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                while let Some((head, body)) = read_request(&mut stream) {
                    let reply = match proxied_action(&head).filter(|a| *a == deny) {
                        Some(action) => {
                            let (status, content_type, text) = denial(action);
                            let mut r = format!(
                                "HTTP/1.1 {status} Denied\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
                                text.len()
                            );
                            if status == 400 {
                                r.push_str("x-amzn-ErrorType: AccessDeniedException\r\n");
                            }
                            r.push_str("\r\n");
                            r.push_str(&text);
                            r.into_bytes()
                        }
                        None => forward(moto_port, &head, &body),
                    };
                    if stream.write_all(&reply).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

#[test]
fn each_denied_kms_route53_or_resolver_read_is_a_gap_that_keeps_its_rules_unknown() {
    use efs_preflight::rules::Status;
    let moto = Moto::start();
    let ids = moto.seed(&["healthy"], None);
    let vpc = s(&ids["vpc"]);
    let key = s(&ids["kms_key"]);
    let cases: [(&str, &str, &str, &[&str]); 3] = [
        (
            "kms:DescribeKey",
            "AccessDeniedException",
            &key,
            &["EFS009"],
        ),
        (
            "route53:ListHostedZonesByVPC",
            "AccessDenied",
            &vpc,
            &["DNS004", "DNS005"],
        ),
        (
            "route53resolver:ListResolverRuleAssociations",
            "AccessDeniedException",
            &vpc,
            &["DNS004", "DNS005"],
        ),
    ];
    let all = [
        "EFS009", "DNS004", "DNS005", "EFS001", "NET001", "NET005", "IAM002",
    ];
    for (call, code, resource, unknown) in cases {
        let port = denying_proxy(moto.port, call);
        let mut opts = options(&moto, &["app"], &["web"]);
        opts.endpoint_url = Some(format!("http://127.0.0.1:{port}"));
        let snap = run(&opts).snapshot;
        assert_eq!(snap.gaps.len(), 1, "{call}: {:?}", snap.gaps);
        let gap = &snap.gaps[0];
        assert_eq!(gap.call, call);
        assert_eq!(gap.error, code, "{call}");
        assert_eq!(gap.resource.as_deref(), Some(resource), "{call}");
        // The rest of the run went on: everything else was collected.
        assert!(snap.efs.file_systems.as_ref().is_some_and(|f| f.len() == 1));
        assert!(snap.ec2.security_groups.is_some() && snap.iam.roles.is_some());
        for f in findings_of(&snap, &all) {
            if unknown.contains(&f.rule.id) {
                assert_eq!(f.status, Status::Unknown, "{call}: {f:?}");
                assert!(
                    f.message.contains(&format!("({call}: {code})")),
                    "{call}: {}",
                    f.message
                );
            } else {
                assert_eq!(f.status, Status::Pass, "{call}: {f:?}");
            }
        }
    }
}

#[test]
fn seeds_alone_read_no_ecs() {
    // A pre-deploy check of a task definition that is not registered: only what it names.
    let moto = Moto::start();
    let ids = moto.seed(&["healthy"], None);
    let mut opts = options(&moto, &[], &[]);
    opts.seeds = Seeds {
        subnets: strings(&ids["subnets"]),
        security_groups: Vec::new(), // none given: ECS would use the VPC's default group
        file_systems: vec![s(&ids["file_system"])],
        access_points: vec![s(&ids["access_point"])],
        roles: vec![s(&ids["role"])],
    };
    let collected = run(&opts);
    let snap = &collected.snapshot;
    // No ECS scope is read; the account's ECS settings are (they decide whether tasks get IPv6).
    assert!(!collected
        .calls
        .iter()
        .any(|c| c.call.starts_with("ecs:") && c.call != "ecs:ListAccountSettings"));
    assert!(snap.ecs.services.is_none() && snap.ecs.task_definitions.is_none());
    assert_eq!(snap.ec2.subnets.as_ref().map(Vec::len), Some(2));
    let groups = snap.ec2.security_groups.as_ref().expect("security groups");
    assert!(groups
        .iter()
        .any(|g| g.group_name.as_deref() == Some("default")));
    assert!(
        groups.iter().any(|g| g.group_id == s(&ids["efs_sg"])),
        "mount-target group"
    );
    assert_eq!(snap.efs.mount_targets.as_ref().map(Vec::len), Some(2));
    assert_eq!(snap.efs.access_points.as_ref().map(Vec::len), Some(1));
    assert_eq!(snap.iam.roles.as_ref().map(Vec::len), Some(1));
    // The seed subnets' VPC is the one whose hosted zones and Resolver rule associations are read.
    let vpc = s(&ids["vpc"]);
    assert_eq!(snap.route53.vpcs_read, Some(vec![vpc.clone()]));
    assert_eq!(snap.route53resolver.vpcs_read, Some(vec![vpc.clone()]));
    for call in [
        "route53:ListHostedZonesByVPC",
        "route53resolver:ListResolverRuleAssociations",
    ] {
        let resources: Vec<Option<&str>> = collected
            .calls
            .iter()
            .filter(|c| c.call == call)
            .map(|c| c.resource.as_deref())
            .collect();
        assert_eq!(resources, vec![Some(vpc.as_str())], "{call}");
    }
}

// ---- AWS cannot be read at all ---------------------------------------------------------------------

#[test]
fn unreachable_endpoint_is_a_collect_error() {
    let port = free_port(); // nothing listens there once the probe socket is closed
    let opts = CollectOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(format!("http://127.0.0.1:{port}")),
        progress: Progress::Quiet,
        credentials: Some(StaticCredentials {
            access_key_id: "testing".into(),
            secret_access_key: "testing".into(),
            session_token: None,
        }),
        ..CollectOptions::default()
    };
    match collect(&opts) {
        Err(CollectError::Unreachable { endpoint, detail }) => {
            assert_eq!(endpoint, format!("http://127.0.0.1:{port}"));
            assert!(!detail.is_empty());
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

#[test]
fn service_without_cluster_is_a_usage_error() {
    let opts = CollectOptions {
        services: vec!["web".into()],
        ..CollectOptions::default()
    };
    let err = collect(&opts).expect_err("usage error");
    assert!(matches!(err, CollectError::Usage(_)), "{err:?}");
    assert!(err.to_string().contains("--cluster"), "{err}");
}

#[test]
fn collect_inside_an_async_runtime_is_refused() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let err = runtime
        .block_on(async { collect(&CollectOptions::default()) })
        .expect_err("refused");
    assert!(matches!(err, CollectError::Usage(_)), "{err:?}");
}

/// Runs `child_collect_in_empty_environment` in a fresh process with an environment holding no
/// AWS configuration, so the credential and region chains find nothing (and never the
/// developer's or CI's own settings).
fn run_child(mode: &str, region: Option<&str>) -> String {
    let home = tempfile::tempdir().expect("empty home");
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args([
        "--exact",
        "child_collect_in_empty_environment",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env_clear()
    .env("PATH", std::env::var_os("PATH").unwrap_or_default())
    .env("HOME", home.path())
    .env("AWS_CONFIG_FILE", home.path().join("config"))
    .env(
        "AWS_SHARED_CREDENTIALS_FILE",
        home.path().join("credentials"),
    )
    // No instance metadata lookups (they would only time out off EC2).
    .env("AWS_EC2_METADATA_DISABLED", "true")
    .env("EFS_PREFLIGHT_TEST_CHILD", mode)
    .stdin(Stdio::null());
    if let Some(region) = region {
        cmd.env("EFS_PREFLIGHT_TEST_REGION", region);
    }
    let out = cmd.output().expect("run the child test");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let start = stdout
        .find("CHILD-RESULT: ")
        .expect("the child printed its result")
        + "CHILD-RESULT: ".len();
    stdout[start..]
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
#[ignore = "run by no_credentials_* and no_region_* in a clean environment"]
fn child_collect_in_empty_environment() {
    let Ok(mode) = std::env::var("EFS_PREFLIGHT_TEST_CHILD") else {
        return;
    };
    let opts = CollectOptions {
        region: std::env::var("EFS_PREFLIGHT_TEST_REGION").ok(),
        progress: Progress::Quiet,
        ..CollectOptions::default()
    };
    let result = match collect(&opts) {
        Err(CollectError::NoCredentials { .. }) => "NoCredentials",
        Err(CollectError::NoRegion) => "NoRegion",
        Err(other) => panic!("{mode}: unexpected error {other}"),
        Ok(_) => "Ok",
    };
    let message = collect(&opts)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    println!("CHILD-RESULT: {result} | {message}");
}

#[test]
fn no_credentials_is_a_collect_error() {
    let result = run_child("no-credentials", Some("us-east-1"));
    assert!(result.starts_with("NoCredentials | "), "{result}");
    assert!(
        result.contains("aws configure"),
        "the message says how to fix it: {result}"
    );
}

#[test]
fn no_region_is_a_collect_error() {
    let result = run_child("no-region", None);
    assert!(result.starts_with("NoRegion | "), "{result}");
    assert!(
        result.contains("--region"),
        "the message says how to fix it: {result}"
    );
}

// ---- the call list, the code and the docs agree -------------------------------------------------

/// The `service:Action` literals in the collector's source, outside the `CALLS` and
/// `IMPLIED_PERMISSIONS` lists themselves.
fn calls_in_source() -> std::collections::BTreeSet<String> {
    let pattern = regex::Regex::new(
        r#""((?:sts|ecs|ec2|elasticfilesystem|iam|kms|route53|route53resolver|organizations|config):[A-Z][A-Za-z]+)""#,
    )
    .expect("regex");
    let mut found = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(repo().join("src/collect")).expect("src/collect") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).expect("source");
        for list in ["pub const CALLS", "pub const IMPLIED_PERMISSIONS"] {
            if let Some(start) = text.find(list) {
                let end = start + text[start..].find("];").expect("end of list");
                text.replace_range(start..end, "");
            }
        }
        found.extend(pattern.captures_iter(&text).map(|c| c[1].to_owned()));
    }
    found
}

#[test]
fn calls_lists_exactly_the_calls_in_the_source() {
    let listed: std::collections::BTreeSet<String> =
        CALLS.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(listed.len(), CALLS.len(), "CALLS has duplicates");
    assert_eq!(calls_in_source(), listed);
    // sts:AssumeRole changes nothing: it hands out the credentials of a role to read with.
    assert!(
        CALLS
            .iter()
            .filter(|c| **c != "sts:AssumeRole")
            .all(|c| is_read_action(c)),
        "read actions only"
    );
}

#[test]
fn docs_policy_grants_exactly_the_calls() {
    let doc = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let section = doc
        .find("### Permissions for live collection")
        .expect("README has a `### Permissions for live collection` section");
    let start =
        section + doc[section..].find("```json").expect("a ```json block") + "```json".len();
    let end = start + doc[start..].find("```").expect("end of the block");
    let policy: Value = serde_json::from_str(&doc[start..end]).expect("the policy is JSON");
    let actions: Vec<String> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .filter(|st| st["Effect"] == "Allow")
        .flat_map(|st| strings(&st["Action"]))
        .collect();
    let mut granted = actions.clone();
    granted.sort();
    granted.dedup();
    assert_eq!(
        granted.len(),
        actions.len(),
        "duplicate actions in the policy"
    );
    let mut wanted: Vec<String> = CALLS
        .iter()
        .chain(IMPLIED_PERMISSIONS)
        .map(|c| (*c).to_owned())
        .collect();
    wanted.sort();
    assert_eq!(
        granted, wanted,
        "README.md policy vs CALLS + IMPLIED_PERMISSIONS"
    );
}

// ---- scale ------------------------------------------------------------------------------------------

#[test]
fn fifty_services_sharing_one_network_cost_no_more_network_calls() {
    let moto = Moto::start();
    moto.seed(&["healthy", "fleet"], Some(50));
    let started = Instant::now();
    let one = run(&options(&moto, &["app"], &["web"]));
    let one_time = started.elapsed();
    let started = Instant::now();
    let all = run(&options(&moto, &["app"], &[]));
    let all_time = started.elapsed();
    eprintln!(
        "collect against moto: 1 service {} calls in {:.2} s; 51 services {} calls in {:.2} s",
        one.calls.len(),
        one_time.as_secs_f64(),
        all.calls.len(),
        all_time.as_secs_f64()
    );
    assert_eq!(all.snapshot.ecs.services.as_ref().map(Vec::len), Some(51));
    let (one_counts, all_counts) = (counts(&one.calls), counts(&all.calls));
    // Shared VPC, file system and role: the same EC2, EFS and IAM calls as for one service.
    for (call, n) in &one_counts {
        if !call.starts_with("ecs:") {
            assert_eq!(all_counts.get(call), Some(n), "{call}");
        }
    }
    // 52 services (51 with EFS + `plain`) described 10 at a time; one shared task definition
    // plus `plain`'s; one ListTasks per kept service.
    assert_eq!(all_counts["ecs:DescribeServices"], 6);
    assert_eq!(all_counts["ecs:DescribeTaskDefinition"], 2);
    assert_eq!(all_counts["ecs:ListTasks"], 51);
}

// ---- the binary, live, end to end ---------------------------------------------------------------

/// Runs the binary against moto with test credentials; returns (exit code, stdout, stderr).
fn binary(moto: &Moto, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(args)
        .args([
            "--endpoint-url",
            &moto.endpoint(),
            "--region",
            "us-east-1",
            "--quiet",
        ])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run efs-preflight");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (rule, status, target name, resource) of every finding, sorted.
fn finding_keys(report: &Value) -> Vec<(String, String, String, String)> {
    let mut keys: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["status"].as_str().unwrap_or_default().to_owned(),
                f["target"]["name"].as_str().unwrap_or_default().to_owned(),
                f["resource"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn failing(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["target"]["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn live_check_passes_the_healthy_estate_and_its_snapshot_checks_the_same() {
    let moto = Moto::start();
    moto.seed(&["healthy"], None);
    let (code, stdout, stderr) = binary(
        &moto,
        &[
            "check",
            "--cluster",
            "app",
            "--service",
            "web",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "healthy estate must pass:\n{stdout}\n{stderr}");
    let live: Value = serde_json::from_str(&stdout).expect("JSON report");
    assert_eq!(live["source"]["kind"], "live");
    assert_eq!(live["summary"]["fail"], 0, "{stdout}");
    assert!(
        live["summary"]["pass"].as_u64().unwrap_or(0) > 20,
        "{stdout}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("snap.json");
    let path = file.to_str().expect("utf-8 path");
    let (code, _, stderr) = binary(
        &moto,
        &[
            "snapshot",
            "--cluster",
            "app",
            "--service",
            "web",
            "-o",
            path,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let offline = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--snapshot", path, "--format", "json"])
        .output()
        .expect("run check --snapshot");
    assert_eq!(offline.status.code(), Some(0));
    let offline: Value = serde_json::from_slice(&offline.stdout).expect("JSON report");
    assert_eq!(finding_keys(&live), finding_keys(&offline));
    // The written snapshot redacts environment values (the estate sets one).
    let text = std::fs::read_to_string(&file).expect("snapshot written");
    assert!(
        !text.contains("hunter2"),
        "environment values must be redacted"
    );
    assert!(text.contains("DB_PASSWORD"), "environment names are kept");
}

#[test]
fn live_check_finds_the_seeded_faults() {
    let moto = Moto::start();
    moto.seed(&["healthy", "missing-az", "no-2049", "platform-130"], None);
    let (code, stdout, stderr) = binary(&moto, &["check", "--cluster", "app", "--format", "json"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    let fails = failing(&report);
    for expected in [
        ("NET001", "web-az"),
        ("NET005", "web-no2049"),
        ("ECS001", "web-130"),
    ] {
        assert!(
            fails
                .iter()
                .any(|(r, t)| (r.as_str(), t.as_str()) == expected),
            "{expected:?} not among {fails:?}"
        );
    }
    assert!(
        !fails.iter().any(|(_, t)| t == "web"),
        "the healthy service must not fail: {fails:?}"
    );
}

#[test]
fn live_pre_deploy_reads_what_the_task_definition_names() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "missing-az"], None);
    let fs = s(&ids["file_system"]);
    let ap = s(&ids["access_point"]);
    let role = s(&ids["role"]);
    let task_definition = serde_json::json!({
        "family": "web-next",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "taskRoleArn": role,
        "containerDefinitions": [{
            "name": "app",
            "image": "public.ecr.aws/docker/library/busybox:latest",
            "mountPoints": [{"sourceVolume": "shared-data", "containerPath": "/mnt/shared-data"}]
        }],
        "volumes": [{"name": "shared-data", "efsVolumeConfiguration": {
            "fileSystemId": fs,
            "transitEncryption": "ENABLED",
            "authorizationConfig": {"accessPointId": ap, "iam": "ENABLED"}
        }}]
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("taskdef.json");
    std::fs::write(&file, task_definition.to_string()).expect("write task definition");
    let td = file.to_str().expect("utf-8 path");
    let subnets = strings(&ids["subnets"]).join(",");
    let task_sg = s(&ids["task_sg"]);

    let (code, stdout, stderr) = binary(
        &moto,
        &[
            "check",
            "--task-definition",
            td,
            "--subnets",
            &subnets,
            "--security-groups",
            &task_sg,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    assert_eq!(report["findings"][0]["target"]["kind"], "task-definition");
    assert!(
        report["summary"]["pass"].as_u64().unwrap_or(0) > 20,
        "{stdout}"
    );

    // The same task definition placed in a subnet of an AZ without a mount target.
    let uncovered = s(&ids["subnet_no_mount_target"]);
    let placement = format!("{},{uncovered}", strings(&ids["subnets"])[0]);
    let (code, stdout, _) = binary(
        &moto,
        &[
            "check",
            "--task-definition",
            td,
            "--subnets",
            &placement,
            "--security-groups",
            &task_sg,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    assert!(
        failing(&report).iter().any(|(rule, _)| rule == "NET001"),
        "{:?}",
        failing(&report)
    );
}

// ---- how AWS is reached: profile, endpoint URL, proxy, trusted authorities ----------------------

/// Runs the binary in an environment holding only what `env` sets (plus PATH, an empty HOME and
/// test credentials), so that no proxy, profile or CA bundle of the machine leaks in.
fn isolated_binary(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let home = tempfile::tempdir().expect("empty home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_efs-preflight"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null());
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().expect("run efs-preflight");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_profile_that_does_not_exist_is_named_and_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config");
    std::fs::write(&config, "[profile real]\nregion = us-east-1\n").expect("config");
    let config = config.to_str().expect("utf-8 path");
    for (args, env) in [
        (
            vec![
                "snapshot",
                "--profile",
                "nosuch",
                "--cluster",
                "app",
                "-o",
                "-",
            ],
            vec![("AWS_CONFIG_FILE", config)],
        ),
        (
            vec!["check", "--cluster", "app"],
            vec![("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "nosuch")],
        ),
    ] {
        let (code, stdout, stderr) = isolated_binary(&args, &env);
        assert_eq!(code, 2, "{args:?}: {stdout}\n{stderr}");
        assert!(
            stderr.contains("profile `nosuch`") && stderr.contains("does not exist"),
            "{stderr}"
        );
        assert!(stderr.contains("profiles there: real"), "{stderr}");
        assert!(!stderr.contains("Region"), "{stderr}");
    }
}

#[test]
fn an_endpoint_url_that_is_not_a_url_is_exit_2_with_its_cause() {
    for (url, cause) in [
        ("not-a-url", "no scheme"),
        ("http://127.0.0.1:99999", "not a number from 1 to 65535"),
        ("ftp://example.com", "neither http nor https"),
    ] {
        let (code, _, stderr) = isolated_binary(
            &[
                "check",
                "--cluster",
                "app",
                "--region",
                "us-east-1",
                "--endpoint-url",
                url,
            ],
            &[],
        );
        assert_eq!(code, 2, "{url}: {stderr}");
        assert!(
            stderr.contains(&format!("--endpoint-url `{url}` is not a usable URL")),
            "{stderr}"
        );
        assert!(stderr.contains(cause), "{stderr}");
        assert!(
            !stderr.contains("Request {") && !stderr.contains("SdkBody"),
            "no internal structure: {stderr}"
        );
    }
}

#[test]
fn a_named_service_without_efs_has_its_task_role_read() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy"], None);
    let collected = run(&options(&moto, &["app"], &["plain"]));
    let roles = collected.snapshot.iam.roles.as_ref().expect("roles read");
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!(roles[0].arn, s(&ids["role"]));

    let (_, stdout, stderr) = binary(
        &moto,
        &[
            "check",
            "--cluster",
            "app",
            "--service",
            "plain",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&stdout).expect(&stderr);
    let iam007: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "IAM007")
        .collect();
    assert!(!iam007.is_empty(), "{stdout}");
    assert!(iam007.iter().all(|f| f["status"] == "pass"), "{iam007:?}");
}

/// A forward proxy on 127.0.0.1 for one test: it records the first request line of every
/// connection, relays plain-HTTP requests to moto's port whatever host they name, and refuses
/// `CONNECT` (after recording it).
struct Relay {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Relay {
    fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("relay port");
        let port = listener.local_addr().expect("relay address").port();
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                std::thread::spawn(move || relay_one(client, upstream, &log));
            }
        });
        Self { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("relay log").clone()
    }
}

fn relay_one(mut client: TcpStream, upstream: u16, log: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let line = String::from_utf8_lossy(&head)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    log.lock().expect("relay log").push(line.clone());
    if line.starts_with("CONNECT ") {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    if server.write_all(&head).is_err() {
        return;
    }
    let (Ok(mut from_client), Ok(mut to_server)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
        let _ = to_server.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(std::net::Shutdown::Write);
    let _ = up.join();
}

#[test]
fn requests_go_through_the_proxy_the_environment_names() {
    let moto = Moto::start();
    moto.seed(&["healthy"], None);
    let relay = Relay::start(moto.port);

    // A host that cannot resolve: only the proxy can carry these requests to moto.
    let unresolvable = format!("http://moto.invalid:{}", moto.port);
    let scope = [
        "--cluster",
        "app",
        "--service",
        "web",
        "--region",
        "us-east-1",
        "--quiet",
    ];
    let mut args = vec!["snapshot", "--endpoint-url", &unresolvable, "-o", "-"];
    args.extend(scope);
    let (code, stdout, stderr) = isolated_binary(&args, &[("HTTP_PROXY", &relay.url())]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"efs_preflight_snapshot\""), "{stdout}");
    let seen = relay.seen();
    assert!(!seen.is_empty());
    let target = format!(" {unresolvable}/");
    assert!(
        seen.iter()
            .all(|l| (l.starts_with("POST ") || l.starts_with("GET ")) && l.contains(&target)),
        "{seen:?}"
    );

    // NO_PROXY: moto's own address is reached directly.
    let direct = moto.endpoint();
    let before = relay.seen().len();
    let mut args = vec!["snapshot", "--endpoint-url", &direct, "-o", "-"];
    args.extend(scope);
    let (code, _, stderr) = isolated_binary(
        &args,
        &[("http_proxy", &relay.url()), ("NO_PROXY", "127.0.0.1")],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(relay.seen().len(), before, "NO_PROXY bypasses the proxy");

    // HTTPS endpoints are reached through a CONNECT tunnel of the https_proxy.
    let mut args = vec![
        "snapshot",
        "--endpoint-url",
        "https://sts.example.invalid",
        "-o",
        "-",
    ];
    args.extend(scope);
    let (code, _, stderr) = isolated_binary(&args, &[("https_proxy", &relay.url())]);
    assert_eq!(code, 3, "the proxy refuses the tunnel: {stderr}");
    assert!(
        relay
            .seen()
            .iter()
            .any(|l| l.starts_with("CONNECT sts.example.invalid:443 ")),
        "{:?}",
        relay.seen()
    );
}

#[test]
fn the_ca_bundle_of_the_environment_or_profile_is_trusted() {
    let moto = Moto::start_tls();
    let ca = moto.dir().join("ca.pem");
    let ca = ca.to_str().expect("utf-8 path");
    let endpoint = moto.endpoint();
    let args = [
        "snapshot",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
        "--quiet",
        "-o",
        "-",
    ];

    let (code, stdout, stderr) = isolated_binary(&args, &[("AWS_CA_BUNDLE", ca)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"efs_preflight_snapshot\""), "{stdout}");

    // The profile's ca_bundle does the same.
    let config = moto.dir().join("config");
    std::fs::write(&config, format!("[default]\nca_bundle = {ca}\n")).expect("config");
    let config = config.to_str().expect("utf-8 path");
    let (code, _, stderr) = isolated_binary(&args, &[("AWS_CONFIG_FILE", config)]);
    assert_eq!(code, 0, "{stderr}");

    // Without it, the test authority is unknown and AWS cannot be read.
    let (code, _, stderr) = isolated_binary(&args, &[]);
    assert_eq!(code, 3, "{stderr}");

    // A bundle that cannot be used is the user's to fix.
    let not_pem = moto.dir().join("server.key");
    let not_pem = not_pem.to_str().expect("utf-8 path");
    for (bundle, why) in [
        ("/nonexistent/ca.pem", "cannot be read"),
        (not_pem, "holds no certificate"),
    ] {
        let (code, _, stderr) = isolated_binary(&args, &[("AWS_CA_BUNDLE", bundle)]);
        assert_eq!(code, 2, "{bundle}: {stderr}");
        assert!(
            stderr.contains(&format!("AWS_CA_BUNDLE names `{bundle}`")) && stderr.contains(why),
            "{stderr}"
        );
    }
}

// ---- observed failures and --task ------------------------------------------------------------
// moto keeps `stoppedReason` verbatim but sets no `stopCode` or `stoppedAt`, so the failed task
// is recognised by its reason; its ENI attachment carries the subnet it was given.

fn observed_of<'v>(report: &'v Value, name: &str) -> &'v Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| &f["target"])
        .find(|t| t["name"] == name)
        .and_then(|t| t.get("observed"))
        .unwrap_or_else(|| panic!("no observed failures on {name}"))
}

#[test]
fn stopped_task_is_observed_and_explained_live_and_from_the_snapshot() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "missing-az", "stopped-tasks"], None);
    let failed = s(&ids["failed_task"]);
    let scope = ["--cluster", "app", "--service", "web-az"];

    let (code, stdout, stderr) = binary(
        &moto,
        &[&["check"][..], &scope, &["--format", "json"]].concat(),
    );
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let live: Value = serde_json::from_str(&stdout).expect("JSON report");
    let observed = observed_of(&live, "web-az");
    // The scaled-in task is not a failure to start; only the mount failure is observed.
    assert_eq!(observed.as_array().map(Vec::len), Some(1), "{observed}");
    assert_eq!(observed[0]["task"], failed.as_str());
    assert!(observed[0]["stopped_reason"].as_str().is_some_and(|r| r
        .starts_with("ResourceInitializationError")
        && r.contains("Failed to resolve")));
    assert_eq!(
        observed[0]["stopped_at"],
        Value::Null,
        "moto sets no stoppedAt"
    );
    assert_eq!(observed[0]["explained_by"][0], "NET001", "{observed}");

    // The snapshot of the same scope replays to the same observed failure and findings.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("snap.json");
    let path = file.to_str().expect("utf-8 path");
    let (code, _, stderr) = binary(&moto, &[&["snapshot"][..], &scope, &["-o", path]].concat());
    assert_eq!(code, 0, "{stderr}");
    let offline = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--snapshot", path, "--format", "json"])
        .output()
        .expect("run check --snapshot");
    assert_eq!(offline.status.code(), Some(1));
    let offline: Value = serde_json::from_slice(&offline.stdout).expect("JSON report");
    assert_eq!(observed_of(&offline, "web-az"), observed);
    assert_eq!(finding_keys(&live), finding_keys(&offline));

    // --task, from the snapshot: placed in the subnet it ran in, nothing else.
    let id = failed.rsplit('/').next().expect("task id");
    let by_task = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args([
            "check",
            "--snapshot",
            path,
            "--cluster",
            "app",
            "--task",
            id,
            "--format",
            "json",
        ])
        .output()
        .expect("run check --task");
    assert_eq!(
        by_task.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&by_task.stderr)
    );
    let by_task: Value = serde_json::from_slice(&by_task.stdout).expect("JSON report");
    let net001: Vec<&Value> = by_task["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NET001")
        .collect();
    assert_eq!(net001.len(), 1, "{net001:?}");
    assert_eq!(net001[0]["status"], "fail");
    assert_eq!(net001[0]["resource"], ids["subnet_no_mount_target"]);
    assert_eq!(net001[0]["target"]["kind"], "task");
    assert_eq!(net001[0]["target"]["service"], "web-az");
    assert_eq!(observed_of(&by_task, id)[0]["explained_by"][0], "NET001");
}

#[test]
fn task_is_checked_and_explained_live() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "missing-az", "stopped-tasks"], None);
    let failed = s(&ids["failed_task"]);
    let (code, stdout, stderr) = binary(
        &moto,
        &[
            "check",
            "--cluster",
            "app",
            "--task",
            &failed,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    let fails = failing(&report);
    let id = failed.rsplit('/').next().expect("task id");
    assert!(
        fails.contains(&("NET001".to_owned(), id.to_owned())),
        "{fails:?}"
    );

    // An unknown task live is a gap in the coverage, not an error.
    let (code, stdout, stderr) = binary(
        &moto,
        &[
            "check",
            "--cluster",
            "app",
            "--task",
            "0123456789abcdef0123456789abcdef",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("task 0123456789abcdef0123456789abcdef (not found"),
        "{stdout}"
    );

    // explain reads the reason of the task itself, with one DescribeTasks and nothing else.
    let out = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args([
            "explain",
            "--cluster",
            "app",
            "--task",
            id,
            "--format",
            "json",
        ])
        .args(["--endpoint-url", &moto.endpoint(), "--region", "us-east-1"])
        .arg("--verbose")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run explain --task");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let explained: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(explained["candidates"][0]["rule"], "NET001", "{stdout}");
    assert_eq!(explained["task"]["arn"], failed.as_str());
    assert!(explained["task"]["stopped_reason"]
        .as_str()
        .is_some_and(|r| r.contains("Failed to resolve")));
    assert_eq!(
        explained["task"]["stop_code"],
        Value::Null,
        "moto sets no stopCode"
    );
    assert_eq!(
        explained["candidates"][0]["check"],
        format!("efs-preflight check --cluster app --task {id} --rule NET001").as_str()
    );
    let calls: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("efs-preflight:   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(calls, ["ecs:DescribeTasks"], "{stderr}");

    // The library call: the task, nothing for an unknown id, an error for an unknown cluster.
    let mut opts = options(&moto, &["app"], &[]);
    opts.tasks = vec![id.to_owned()];
    let tasks = describe_tasks(&opts).expect("DescribeTasks");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].task_arn.as_deref(), Some(failed.as_str()));
    opts.tasks = vec!["0123456789abcdef0123456789abcdef".to_owned()];
    assert!(describe_tasks(&opts).expect("DescribeTasks").is_empty());
    let mut opts = options(&moto, &["nope"], &[]);
    opts.tasks = vec![id.to_owned()];
    let err = describe_tasks(&opts).expect_err("unknown cluster");
    assert!(
        matches!(&err, CollectError::CallFailed { call, .. } if call == "ecs:DescribeTasks"),
        "{err:?}"
    );
    let (code, _, stderr) = binary(&moto, &["explain", "--cluster", "nope", "--task", id]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("ecs:DescribeTasks"), "{stderr}");
}

// A task is checked with the security groups it actually had: its network interface's while EC2
// still has it (moto keeps a stopped task's interface), else those of the service deployment
// that started it (`startedBy`).
#[test]
fn task_is_checked_with_the_security_groups_it_had() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy", "task-own-sg"], None);
    let own = s(&ids["own_sg_task"]);
    let gone = s(&ids["eni_gone_task"]);
    let own_id = own.rsplit('/').next().expect("task id");
    let gone_id = gone.rsplit('/').next().expect("task id");

    let mut opts = options(&moto, &["app"], &[]);
    opts.tasks = vec![own.clone(), gone.clone()];
    let collected = run(&opts);
    assert_eq!(counts(&collected.calls)["ec2:DescribeNetworkInterfaces"], 1);
    let tasks = collected.snapshot.ecs.tasks.as_ref().expect("tasks");
    let of = |arn: &str| {
        tasks
            .iter()
            .find(|t| t.task_arn.as_deref() == Some(arn))
            .expect("task read")
    };
    assert_eq!(
        of(&own).security_groups,
        Some(vec![s(&ids["unrelated_sg"])])
    );
    assert_eq!(of(&gone).security_groups, None, "its interface is deleted");
    assert_eq!(
        of(&gone).started_by.as_deref(),
        ids["web_deployment"].as_str()
    );
    // The task's own group is read with its rules, though no service names it.
    let groups = collected
        .snapshot
        .ec2
        .security_groups
        .as_ref()
        .expect("groups");
    assert!(groups.iter().any(|g| g.group_id == s(&ids["unrelated_sg"])));

    let scope = ["--cluster", "app", "--task", &own, "--task", &gone];
    let (code, stdout, stderr) = binary(
        &moto,
        &[&["check"][..], &scope, &["--format", "json"]].concat(),
    );
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let live: Value = serde_json::from_str(&stdout).expect("JSON report");
    let net005 = |report: &Value, task: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == "NET005" && f["target"]["name"] == task)
            .map(|f| f["status"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(net005(&live, own_id), ["fail"], "{stdout}");
    assert!(
        !net005(&live, gone_id).is_empty() && net005(&live, gone_id).iter().all(|s| s == "pass"),
        "{stdout}"
    );
    assert_eq!(observed_of(&live, own_id)[0]["explained_by"][0], "NET005");

    // The snapshot keeps the groups, and replays to the same findings.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("snap.json");
    let path = file.to_str().expect("utf-8 path");
    let (code, _, stderr) = binary(&moto, &[&["snapshot"][..], &scope, &["-o", path]].concat());
    assert_eq!(code, 0, "{stderr}");
    let offline = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--snapshot", path, "--format", "json"])
        .args(scope)
        .output()
        .expect("run check --snapshot --task");
    assert_eq!(offline.status.code(), Some(1));
    let offline: Value = serde_json::from_slice(&offline.stdout).expect("JSON report");
    assert_eq!(finding_keys(&live), finding_keys(&offline));
}

#[test]
fn baseline_fingerprints_match_between_live_and_snapshot() {
    let moto = Moto::start();
    moto.seed(&["healthy", "missing-az", "no-2049"], None);
    let dir = tempfile::tempdir().expect("temp dir");
    let live_baseline = dir.path().join("live-baseline.json");
    let snap = dir.path().join("snap.json");
    // Live: the baseline of the problems moto's estate has.
    let (code, _, err) = binary(
        &moto,
        &[
            "check",
            "--cluster",
            "app",
            "--write-baseline",
            live_baseline.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&live_baseline).unwrap()).unwrap();
    let entries = written["findings"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["rule"] == "NET001"), "{written}");
    assert!(entries.iter().any(|e| e["rule"] == "NET005"), "{written}");
    // The same estate saved as a snapshot, then checked offline with the live baseline: every
    // finding is accepted and no entry is stale.
    let (code, _, err) = binary(
        &moto,
        &["snapshot", "--cluster", "app", "-o", snap.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--format", "json", "--snapshot"])
        .arg(&snap)
        .arg("--baseline")
        .arg(&live_baseline)
        .output()
        .expect("run efs-preflight");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("stale"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["fail"], 0, "{report}");
    assert!(report["summary"]["suppressed"].as_u64().unwrap() >= 2);
    // And the snapshot's own baseline is the live one, byte for byte.
    let snap_baseline = dir.path().join("snap-baseline.json");
    let status = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .args(["check", "--quiet", "--snapshot"])
        .arg(&snap)
        .arg("--write-baseline")
        .arg(&snap_baseline)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&live_baseline).unwrap(),
        std::fs::read_to_string(&snap_baseline).unwrap()
    );
}

/// A subnet or security group typed on the command line that the account does not hold stops
/// the gate (exit 2) instead of leaving every network rule `unknown` and exit 0.
#[test]
fn a_typed_subnet_or_group_the_account_does_not_hold_is_exit_2() {
    let moto = Moto::start();
    let ids = moto.seed(&["healthy"], None);
    let fs = s(&ids["file_system"]);
    let task_definition = serde_json::json!({
        "family": "web-next",
        "containerDefinitions": [{"name": "app", "image": "busybox"}],
        "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": fs}}]
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("taskdef.json");
    std::fs::write(&file, task_definition.to_string()).expect("write task definition");
    let td = file.to_str().expect("utf-8 path");
    let subnet = strings(&ids["subnets"])[0].clone();
    let task_sg = s(&ids["task_sg"]);
    let typo = format!("{}x", &subnet[..subnet.len() - 1]);
    let (code, _, stderr) = binary(
        &moto,
        &[
            "check",
            "--task-definition",
            td,
            "--subnets",
            &typo,
            "--security-groups",
            &task_sg,
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "--subnets names {typo}, which is not in account 123456789012 in us-east-1"
        )),
        "names the id, the account and the Region: {stderr}"
    );
    let (code, _, stderr) = binary(
        &moto,
        &[
            "check",
            "--task-definition",
            td,
            "--subnets",
            &subnet,
            "--security-groups",
            "sg-0nosuch000000000",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--security-groups names sg-0nosuch000000000"),
        "{stderr}"
    );
    // The right ids pass the gate.
    let (code, stdout, stderr) = binary(
        &moto,
        &[
            "check",
            "--task-definition",
            td,
            "--subnets",
            &subnet,
            "--security-groups",
            &task_sg,
        ],
    );
    assert_ne!(code, 2, "{stdout}\n{stderr}");
}

/// A cluster or service typed on the command line that the account does not hold is a usage
/// error live too, never an empty pass.
#[test]
fn a_typed_cluster_or_service_the_account_does_not_hold_is_exit_2() {
    let moto = Moto::start();
    moto.seed(&["healthy"], None);
    for args in [
        vec!["check", "--cluster", "app", "--service", "nosuch-service"],
        vec!["check", "--cluster", "nosuch-cluster"],
    ] {
        let (code, stdout, stderr) = binary(&moto, &args);
        assert_eq!(code, 2, "{args:?}: {stdout}\n{stderr}");
        assert!(
            stderr.contains("nosuch-service") || stderr.contains("nosuch-cluster"),
            "{stderr}"
        );
    }
}
