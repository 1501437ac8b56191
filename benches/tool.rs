//! `efs-preflight-bench`: the two programs the end-to-end benchmark (`scripts/bench.sh`) needs
//! besides `efs-preflight` itself.
//!
//! - `generate N [--seed S] [-o FILE]` writes a synthetic snapshot in the SPEC §5 format with `N`
//!   ECS services: one VPC per 10 services (6 subnets in 3 AZs, a default and a custom network
//!   ACL, a main and a private route table, DNS attributes), one file system per VPC with 3
//!   mount targets (behind a security group), an access point and a file-system policy, per
//!   service a task security group, a task role (trust policy, inline policy, managed
//!   attachments) and a task definition with 2 EFS volumes. About 2% of the services are broken
//!   in one of three ways (a file system without a mount target in one AZ, a task security
//!   group the mount targets do not admit on 2049, platform version 1.3.0). The snapshot also
//!   records one collection gap per 10 services (a denied `iam:GetRole` on a role no service
//!   uses). The output depends only on `N` and the seed. Objects carry the extra keys the AWS
//!   CLI prints, so the loader skips as much as it would on a real snapshot.
//! - `floor FILE` reads the file and parses it into a `serde_json::Value`: the least any program
//!   must do with the snapshot, against which `check` is measured. Like `check`, it leaves its
//!   data for the OS to free at exit.
//!
//! Built only with the `bench-tools` feature; it uses serde_json and nothing of the library.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const AZS: [(&str, &str); 3] = [
    ("us-east-1a", "use1-az6"),
    ("us-east-1b", "use1-az1"),
    ("us-east-1c", "use1-az2"),
];
const SERVICES_PER_VPC: usize = 10;
const SERVICES_PER_CLUSTER: usize = 50;
/// One service in this many is broken.
const BROKEN_ONE_IN: u64 = 50;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate_cmd(&args[1..]),
        Some("floor") => floor_cmd(&args[1..]),
        _ => Err(
            "usage: efs-preflight-bench generate N [--seed S] [-o FILE] | floor FILE".to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("efs-preflight-bench: {e}");
            ExitCode::from(2)
        }
    }
}

/// Reads a file and parses it into a `serde_json::Value`, as `check` must at least do.
fn floor_cmd(args: &[String]) -> Result<(), String> {
    let [path] = args else {
        return Err("usage: efs-preflight-bench floor FILE".to_owned());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    // Left to the OS to free at exit, as `check` leaves its snapshot: freeing is no part of
    // the work being measured.
    std::mem::forget(std::hint::black_box(value));
    Ok(())
}

fn generate_cmd(args: &[String]) -> Result<(), String> {
    let mut services = None;
    let mut seed = 1u64;
    let mut output = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seed needs a number")?;
            }
            "-o" | "--output" => output = Some(it.next().ok_or("-o needs a file")?.clone()),
            n => {
                services = Some(
                    n.parse::<usize>()
                        .map_err(|_| format!("not a count: {n}"))?,
                );
            }
        }
    }
    let services = services.ok_or("generate needs a service count")?;
    let snapshot = Estate::new(services, seed).snapshot();
    let text = serde_json::to_string_pretty(&snapshot).map_err(|e| e.to_string())?;
    match output {
        Some(path) => std::fs::write(&path, text + "\n").map_err(|e| format!("{path}: {e}")),
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}").map_err(|e| e.to_string())
        }
    }
}

/// splitmix64: a small, fast, fully deterministic generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How a service is broken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// Its first volume's file system has no mount target in the third AZ.
    MissingAz,
    /// The mount-target security group does not admit its task security group on 2049.
    NoNfsIngress,
    /// It runs on platform version 1.3.0.
    OldPlatform,
}

struct Svc {
    index: usize,
    vpc: usize,
    fault: Fault,
    desired: u64,
    revision: u64,
    env_vars: u64,
}

struct Estate {
    services: Vec<Svc>,
    vpcs: usize,
}

fn hex(prefix: &str, tag: u64, n: usize) -> String {
    format!("{prefix}-{tag:02x}{n:015x}")
}

fn vpc_id(v: usize) -> String {
    hex("vpc", 0x0a, v)
}
fn subnet_id(v: usize, s: usize) -> String {
    hex("subnet", 0x10 + s as u64, v)
}
fn task_sg(i: usize) -> String {
    hex("sg", 0x21, i)
}
fn default_sg(v: usize) -> String {
    hex("sg", 0x22, v)
}
fn mount_target_sg(v: usize) -> String {
    hex("sg", 0x23, v)
}
fn fs_id(v: usize) -> String {
    hex("fs", 0x31, v)
}
/// The extra file system of a `MissingAz` service.
fn fs_partial_id(i: usize) -> String {
    hex("fs", 0x32, i)
}
fn fs_arn(id: &str) -> String {
    format!("arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/{id}")
}
fn access_point_id(v: usize) -> String {
    hex("fsap", 0x33, v)
}
fn service_name(i: usize) -> String {
    format!("svc-{i:05}")
}
fn cluster_name(i: usize) -> String {
    format!("cluster-{:03}", i / SERVICES_PER_CLUSTER)
}
fn role_name(i: usize) -> String {
    format!("{}-task", service_name(i))
}
fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}
fn managed_policy_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
}
fn vpc_cidr(v: usize) -> String {
    format!("10.{}.{}.0/20", v / 16, (v % 16) * 16)
}
fn subnet_cidr(v: usize, s: usize) -> String {
    format!("10.{}.{}.0/23", v / 16, (v % 16) * 16 + s * 2)
}

const MANAGED_POLICIES: [&str; 4] = [
    "efs-client-read",
    "app-logs-write",
    "app-secrets-read",
    "app-metrics-put",
];

impl Estate {
    fn new(count: usize, seed: u64) -> Self {
        let mut rng = Rng(seed);
        let services = (0..count)
            .map(|index| {
                let fault = if rng.below(BROKEN_ONE_IN) == 0 {
                    match rng.below(3) {
                        0 => Fault::MissingAz,
                        1 => Fault::NoNfsIngress,
                        _ => Fault::OldPlatform,
                    }
                } else {
                    Fault::None
                };
                Svc {
                    index,
                    vpc: index / SERVICES_PER_VPC,
                    fault,
                    desired: 1 + rng.below(4),
                    revision: 1 + rng.below(60),
                    env_vars: 2 + rng.below(6),
                }
            })
            .collect();
        Self {
            services,
            vpcs: count.div_ceil(SERVICES_PER_VPC),
        }
    }

    /// The services of VPC `v` (services are numbered VPC by VPC).
    fn in_vpc(&self, v: usize) -> &[Svc] {
        let start = v * SERVICES_PER_VPC;
        &self.services[start..(start + SERVICES_PER_VPC).min(self.services.len())]
    }

    fn snapshot(&self) -> Value {
        let mut ec2 = Ec2Lists::default();
        let mut efs = EfsLists::default();
        for v in 0..self.vpcs {
            self.vpc(v, &mut ec2, &mut efs);
        }
        let mut services = Vec::new();
        let mut task_definitions = Vec::new();
        let mut roles = vec![execution_role()];
        let mut tasks = Vec::new();
        for svc in &self.services {
            ec2.security_groups.push(task_security_group(svc));
            if svc.fault == Fault::MissingAz {
                partial_file_system(svc, &mut efs);
            }
            services.push(service(svc));
            task_definitions.push(task_definition(svc));
            roles.push(task_role(svc));
            if svc.fault != Fault::None {
                tasks.push(stopped_task(svc));
            }
        }
        let mut policies = vec![json!({
            "PolicyName": "AmazonECSTaskExecutionRolePolicy",
            "PolicyId": "ANPAJG4NAX3LSYXHKF4FO",
            "Arn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            "Path": "/service-role/",
            "DefaultVersionId": "v1",
            "AttachmentCount": 1,
            "IsAttachable": true,
            "PolicyVersionList": [{
                "Document": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                               "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                               "logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": "*"}]},
                "VersionId": "v1",
                "IsDefaultVersion": true
            }]
        })];
        policies.extend(MANAGED_POLICIES.iter().map(|name| managed_policy(name)));
        json!({
            "efs_preflight_snapshot": 1,
            "collected_at": "2026-11-23T10:00:00Z",
            "region": REGION,
            "account_id": ACCOUNT,
            "tool": "efs-preflight-bench generate",
            "gaps": self.gaps(),
            "ec2": {
                "Vpcs": ec2.vpcs,
                "VpcAttributes": ec2.vpc_attributes,
                "DhcpOptions": dhcp_options(),
                "Subnets": ec2.subnets,
                "SecurityGroups": ec2.security_groups,
                "NetworkAcls": ec2.network_acls,
                "RouteTables": ec2.route_tables,
                "ManagedPrefixLists": []
            },
            "efs": {
                "FileSystems": efs.file_systems,
                "MountTargets": efs.mount_targets,
                "AccessPoints": efs.access_points,
                "FileSystemPolicies": efs.policies
            },
            "ecs": {"services": services, "taskDefinitions": task_definitions, "tasks": tasks},
            "iam": {"RoleDetailList": roles, "Policies": policies}
        })
    }

    /// Calls denied during collection, one per 10 services: roles of other teams that the
    /// collector could not read (no service here uses them, so no finding changes).
    fn gaps(&self) -> Vec<Value> {
        (0..self.services.len() / SERVICES_PER_VPC)
            .map(|i| {
                json!({
                    "call": "iam:GetRole",
                    "resource": role_arn(&format!("other-team-{i:05}")),
                    "error": "AccessDenied"
                })
            })
            .collect()
    }

    fn vpc(&self, v: usize, ec2: &mut Ec2Lists, efs: &mut EfsLists) {
        let id = vpc_id(v);
        ec2.vpcs.push(json!({
            "VpcId": id,
            "CidrBlock": vpc_cidr(v),
            "DhcpOptionsId": "dopt-0a00000000000001",
            "State": "available",
            "IsDefault": false,
            "OwnerId": ACCOUNT,
            "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [{
                "AssociationId": format!("vpc-cidr-assoc-{v:017x}"),
                "CidrBlock": vpc_cidr(v),
                "CidrBlockState": {"State": "associated"}
            }],
            "Tags": [{"Key": "Name", "Value": format!("vpc-{v}")}]
        }));
        ec2.vpc_attributes.push(json!({
            "VpcId": id,
            "EnableDnsSupport": {"Value": true},
            "EnableDnsHostnames": {"Value": true}
        }));
        for s in 0..6 {
            let (az, az_id) = AZS[s % 3];
            ec2.subnets.push(json!({
                "SubnetId": subnet_id(v, s),
                "SubnetArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{}", subnet_id(v, s)),
                "VpcId": id,
                "AvailabilityZone": az,
                "AvailabilityZoneId": az_id,
                "CidrBlock": subnet_cidr(v, s),
                "AvailableIpAddressCount": 500,
                "State": "available",
                "OwnerId": ACCOUNT,
                "DefaultForAz": false,
                "MapPublicIpOnLaunch": s >= 3,
                "Ipv6CidrBlockAssociationSet": [],
                "EnableDns64": false,
                "Ipv6Native": false,
                "AssignIpv6AddressOnCreation": false,
                "Tags": [{"Key": "Name", "Value": format!("vpc-{v}-{}-{az}", if s < 3 { "private" } else { "public" })}]
            }));
        }
        ec2.security_groups.push(json!({
            "GroupId": default_sg(v),
            "GroupName": "default",
            "Description": "default VPC security group",
            "VpcId": id,
            "OwnerId": ACCOUNT,
            "IpPermissions": [{
                "IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                "UserIdGroupPairs": [{"GroupId": default_sg(v), "UserId": ACCOUNT}]
            }],
            "IpPermissionsEgress": [all_traffic_egress()]
        }));
        let admitted: Vec<Value> = self
            .in_vpc(v)
            .iter()
            .filter(|s| s.fault != Fault::NoNfsIngress)
            .map(|s| json!({"GroupId": task_sg(s.index), "UserId": ACCOUNT}))
            .collect();
        ec2.security_groups.push(json!({
            "GroupId": mount_target_sg(v),
            "GroupName": format!("efs-vpc-{v}"),
            "Description": "NFS from the task security groups",
            "VpcId": id,
            "OwnerId": ACCOUNT,
            "IpPermissions": [{
                "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
                "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                "UserIdGroupPairs": admitted
            }],
            "IpPermissionsEgress": []
        }));
        ec2.network_acls.push(default_acl(v));
        ec2.network_acls.push(private_acl(v));
        ec2.route_tables.push(route_table(v, true));
        ec2.route_tables.push(route_table(v, false));

        let fs = fs_id(v);
        efs.file_systems.push(file_system(&fs, 3));
        for s in 0..3 {
            efs.mount_targets
                .push(mount_target(&fs, v, s, &format!("0{v:07x}{s:x}"), 10));
        }
        efs.access_points.push(json!({
            "ClientToken": format!("ap-{v}"),
            "Name": format!("app-data-{v}"),
            "Tags": [{"Key": "Name", "Value": format!("app-data-{v}")}],
            "AccessPointId": access_point_id(v),
            "AccessPointArn": format!("arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:access-point/{}", access_point_id(v)),
            "FileSystemId": fs,
            "PosixUser": {"Uid": 1000, "Gid": 1000},
            "RootDirectory": {"Path": "/app", "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "0755"}},
            "OwnerId": ACCOUNT,
            "LifeCycleState": "available"
        }));
        let principals: Vec<String> = self
            .in_vpc(v)
            .iter()
            .map(|s| role_arn(&role_name(s.index)))
            .collect();
        let policy = json!({
            "Version": "2012-10-17",
            "Id": format!("fs-policy-{v}"),
            "Statement": [
                {"Sid": "TaskRolesMount", "Effect": "Allow", "Principal": {"AWS": principals},
                 "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                 "Resource": fs_arn(&fs),
                 "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}},
                {"Sid": "EnforceTls", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*",
                 "Resource": fs_arn(&fs),
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ]
        });
        efs.policies
            .push(json!({"FileSystemId": fs, "Policy": policy.to_string()}));
    }
}

#[derive(Default)]
struct Ec2Lists {
    vpcs: Vec<Value>,
    vpc_attributes: Vec<Value>,
    subnets: Vec<Value>,
    security_groups: Vec<Value>,
    network_acls: Vec<Value>,
    route_tables: Vec<Value>,
}

#[derive(Default)]
struct EfsLists {
    file_systems: Vec<Value>,
    mount_targets: Vec<Value>,
    access_points: Vec<Value>,
    policies: Vec<Value>,
}

fn all_traffic_egress() -> Value {
    json!({
        "IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
        "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []
    })
}

fn dhcp_options() -> Value {
    json!([
        {"DhcpOptionsId": "dopt-0a00000000000001", "OwnerId": ACCOUNT,
         "DhcpConfigurations": [
            {"Key": "domain-name", "Values": [{"Value": "ec2.internal"}]},
            {"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]}],
         "Tags": []},
        {"DhcpOptionsId": "dopt-0a00000000000002", "OwnerId": ACCOUNT,
         "DhcpConfigurations": [
            {"Key": "domain-name", "Values": [{"Value": "corp.example.com"}]},
            {"Key": "domain-name-servers", "Values": [{"Value": "10.0.0.2"}, {"Value": "10.0.0.3"}]}],
         "Tags": []}
    ])
}

fn acl_entry(number: u64, egress: bool, protocol: &str, action: &str, cidr: &str) -> Value {
    json!({
        "RuleNumber": number, "Protocol": protocol, "RuleAction": action,
        "Egress": egress, "CidrBlock": cidr
    })
}

fn acl_ports(mut entry: Value, from: u16, to: u16) -> Value {
    entry["PortRange"] = json!({"From": from, "To": to});
    entry
}

fn acl_associations(acl: &str, v: usize, subnets: std::ops::Range<usize>) -> Vec<Value> {
    subnets
        .map(|s| {
            json!({
                "NetworkAclAssociationId": format!("aclassoc-{v:015x}{s:02x}"),
                "NetworkAclId": acl,
                "SubnetId": subnet_id(v, s)
            })
        })
        .collect()
}

fn default_acl(v: usize) -> Value {
    let id = hex("acl", 0x41, v);
    json!({
        "NetworkAclId": id,
        "VpcId": vpc_id(v),
        "IsDefault": true,
        "OwnerId": ACCOUNT,
        "Entries": [
            acl_entry(100, false, "-1", "allow", "0.0.0.0/0"),
            acl_entry(32767, false, "-1", "deny", "0.0.0.0/0"),
            acl_entry(100, true, "-1", "allow", "0.0.0.0/0"),
            acl_entry(32767, true, "-1", "deny", "0.0.0.0/0")
        ],
        "Associations": acl_associations(&id, v, 3..6),
        "Tags": []
    })
}

/// The private subnets' ACL: NFS and return traffic within the VPC, HTTPS out.
fn private_acl(v: usize) -> Value {
    let id = hex("acl", 0x42, v);
    let cidr = vpc_cidr(v);
    json!({
        "NetworkAclId": id,
        "VpcId": vpc_id(v),
        "IsDefault": false,
        "OwnerId": ACCOUNT,
        "Entries": [
            acl_ports(acl_entry(100, false, "6", "allow", &cidr), 2049, 2049),
            acl_ports(acl_entry(110, false, "6", "allow", &cidr), 1024, 65535),
            acl_ports(acl_entry(120, false, "6", "allow", "0.0.0.0/0"), 1024, 65535),
            acl_ports(acl_entry(130, false, "6", "deny", "0.0.0.0/0"), 22, 22),
            acl_entry(32767, false, "-1", "deny", "0.0.0.0/0"),
            acl_ports(acl_entry(100, true, "6", "allow", &cidr), 2049, 2049),
            acl_ports(acl_entry(110, true, "6", "allow", &cidr), 1024, 65535),
            acl_ports(acl_entry(120, true, "6", "allow", "0.0.0.0/0"), 443, 443),
            acl_entry(32767, true, "-1", "deny", "0.0.0.0/0")
        ],
        "Associations": acl_associations(&id, v, 0..3),
        "Tags": [{"Key": "Name", "Value": format!("private-{v}")}]
    })
}

fn route_table(v: usize, main: bool) -> Value {
    let id = hex("rtb", if main { 0x51 } else { 0x52 }, v);
    let associations: Vec<Value> = if main {
        vec![json!({
            "Main": true, "RouteTableId": id,
            "RouteTableAssociationId": format!("rtbassoc-{v:017x}"),
            "AssociationState": {"State": "associated"}
        })]
    } else {
        (0..3)
            .map(|s| {
                json!({
                    "Main": false, "RouteTableId": id, "SubnetId": subnet_id(v, s),
                    "RouteTableAssociationId": format!("rtbassoc-{v:015x}{s:02x}"),
                    "AssociationState": {"State": "associated"}
                })
            })
            .collect()
    };
    let exit = if main {
        json!({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": hex("igw", 0x53, v),
               "Origin": "CreateRoute", "State": "active"})
    } else {
        json!({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": hex("nat", 0x54, v),
               "Origin": "CreateRoute", "State": "active"})
    };
    json!({
        "RouteTableId": id,
        "VpcId": vpc_id(v),
        "OwnerId": ACCOUNT,
        "Associations": associations,
        "PropagatingVgws": [],
        "Routes": [
            {"DestinationCidrBlock": vpc_cidr(v), "GatewayId": "local",
             "Origin": "CreateRouteTable", "State": "active"},
            exit
        ],
        "Tags": []
    })
}

fn file_system(id: &str, mount_targets: u64) -> Value {
    json!({
        "FileSystemId": id,
        "FileSystemArn": fs_arn(id),
        "OwnerId": ACCOUNT,
        "CreationToken": format!("token-{id}"),
        "Name": id,
        "LifeCycleState": "available",
        "NumberOfMountTargets": mount_targets,
        "PerformanceMode": "generalPurpose",
        "ThroughputMode": "elastic",
        "Encrypted": true,
        "KmsKeyId": format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        "CreationTime": "2025-03-14T09:26:53+00:00",
        "SizeInBytes": {"Value": 6144, "ValueInIA": 0, "ValueInStandard": 6144},
        "FileSystemProtection": {"ReplicationOverwriteProtection": "ENABLED"},
        "Tags": [{"Key": "Name", "Value": id}]
    })
}

fn mount_target(fs: &str, v: usize, s: usize, tag: &str, host: usize) -> Value {
    let (az, az_id) = AZS[s];
    json!({
        "MountTargetId": format!("fsmt-{tag}"),
        "FileSystemId": fs,
        "SubnetId": subnet_id(v, s),
        "LifeCycleState": "available",
        "IpAddress": format!("10.{}.{}.{}", v / 16, (v % 16) * 16 + s * 2, host),
        "NetworkInterfaceId": format!("eni-{tag}"),
        "AvailabilityZoneId": az_id,
        "AvailabilityZoneName": az,
        "VpcId": vpc_id(v),
        "OwnerId": ACCOUNT,
        "SecurityGroups": [mount_target_sg(v)]
    })
}

/// A `MissingAz` service's own file system: mount targets in the first two AZs only.
fn partial_file_system(svc: &Svc, efs: &mut EfsLists) {
    let fs = fs_partial_id(svc.index);
    efs.file_systems.push(file_system(&fs, 2));
    for s in 0..2 {
        efs.mount_targets.push(mount_target(
            &fs,
            svc.vpc,
            s,
            &format!("p{:07x}{s:x}", svc.index),
            20 + svc.index % 200,
        ));
    }
}

fn task_security_group(svc: &Svc) -> Value {
    json!({
        "GroupId": task_sg(svc.index),
        "GroupName": format!("{}-task", service_name(svc.index)),
        "Description": "task ENIs",
        "VpcId": vpc_id(svc.vpc),
        "OwnerId": ACCOUNT,
        "IpPermissions": [{
            "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
            "IpRanges": [{"CidrIp": vpc_cidr(svc.vpc), "Description": "load balancer"}],
            "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []
        }],
        "IpPermissionsEgress": [all_traffic_egress()],
        "Tags": [{"Key": "service", "Value": service_name(svc.index)}]
    })
}

fn task_definition_arn(svc: &Svc) -> String {
    format!(
        "arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{}:{}",
        service_name(svc.index),
        svc.revision
    )
}

fn service(svc: &Svc) -> Value {
    let name = service_name(svc.index);
    let cluster = cluster_name(svc.index);
    let network = json!({"awsvpcConfiguration": {
        "subnets": (0..3).map(|s| subnet_id(svc.vpc, s)).collect::<Vec<_>>(),
        "securityGroups": [task_sg(svc.index)],
        "assignPublicIp": "DISABLED"
    }});
    let (requested, resolved) = if svc.fault == Fault::OldPlatform {
        ("1.3.0", "1.3.0")
    } else {
        ("LATEST", "1.4.0")
    };
    json!({
        "serviceArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{cluster}/{name}"),
        "serviceName": name,
        "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{cluster}"),
        "loadBalancers": [],
        "serviceRegistries": [],
        "status": "ACTIVE",
        "desiredCount": svc.desired,
        "runningCount": svc.desired,
        "pendingCount": 0,
        "launchType": "FARGATE",
        "platformVersion": requested,
        "platformFamily": "Linux",
        "taskDefinition": task_definition_arn(svc),
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": true, "rollback": true},
            "maximumPercent": 200, "minimumHealthyPercent": 100
        },
        "deployments": [{
            "id": format!("ecs-svc/{:019}", svc.index * 7919),
            "status": "PRIMARY",
            "taskDefinition": task_definition_arn(svc),
            "desiredCount": svc.desired,
            "pendingCount": 0,
            "runningCount": svc.desired,
            "failedTasks": 0,
            "createdAt": "2026-11-20T08:12:00+00:00",
            "updatedAt": "2026-11-20T08:14:00+00:00",
            "launchType": "FARGATE",
            "platformVersion": resolved,
            "platformFamily": "Linux",
            "networkConfiguration": network,
            "rolloutState": "COMPLETED",
            "rolloutStateReason": "ECS deployment ecs-svc completed."
        }],
        "roleArn": format!("arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
        "events": [{
            "id": format!("ev-{:08x}", svc.index),
            "createdAt": "2026-11-23T09:50:00+00:00",
            "message": format!("(service {name}) has reached a steady state.")
        }],
        "createdAt": "2025-03-14T10:00:00+00:00",
        "placementConstraints": [],
        "placementStrategy": [],
        "networkConfiguration": network,
        "healthCheckGracePeriodSeconds": 0,
        "schedulingStrategy": "REPLICA",
        "deploymentController": {"type": "ECS"},
        "createdBy": format!("arn:aws:iam::{ACCOUNT}:role/deployer"),
        "enableECSManagedTags": true,
        "propagateTags": "SERVICE",
        "enableExecuteCommand": false
    })
}

fn task_definition(svc: &Svc) -> Value {
    let name = service_name(svc.index);
    let data_fs = if svc.fault == Fault::MissingAz {
        fs_partial_id(svc.index)
    } else {
        fs_id(svc.vpc)
    };
    let environment: Vec<Value> = (0..svc.env_vars)
        .map(|k| json!({"name": format!("SETTING_{k}"), "value": format!("value-{k}-{name}")}))
        .collect();
    let data_volume = if svc.fault == Fault::MissingAz {
        json!({"fileSystemId": data_fs, "rootDirectory": "/", "transitEncryption": "ENABLED",
               "authorizationConfig": {"iam": "ENABLED"}})
    } else {
        json!({"fileSystemId": data_fs, "rootDirectory": "/", "transitEncryption": "ENABLED",
               "authorizationConfig": {"accessPointId": access_point_id(svc.vpc), "iam": "ENABLED"}})
    };
    json!({
        "taskDefinitionArn": task_definition_arn(svc),
        "containerDefinitions": [{
            "name": "app",
            "image": format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}:1.{}.0", svc.revision),
            "cpu": 0,
            "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
            "essential": true,
            "environment": environment,
            "mountPoints": [
                {"sourceVolume": "data", "containerPath": "/data", "readOnly": false},
                {"sourceVolume": "shared", "containerPath": "/shared", "readOnly": true}
            ],
            "volumesFrom": [],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": format!("/ecs/{name}"), "awslogs-region": REGION,
                "awslogs-stream-prefix": "ecs"}}
        }],
        "family": name,
        "taskRoleArn": role_arn(&role_name(svc.index)),
        "executionRoleArn": role_arn("ecsTaskExecutionRole"),
        "networkMode": "awsvpc",
        "revision": svc.revision,
        "volumes": [
            {"name": "data", "efsVolumeConfiguration": data_volume},
            {"name": "shared", "efsVolumeConfiguration": {
                "fileSystemId": fs_id(svc.vpc), "rootDirectory": "/shared",
                "transitEncryption": "ENABLED", "authorizationConfig": {"iam": "ENABLED"}}}
        ],
        "status": "ACTIVE",
        "requiresAttributes": [
            {"name": "com.amazonaws.ecs.capability.ecr-auth"},
            {"name": "ecs.capability.efsAuth"},
            {"name": "ecs.capability.efs"},
            {"name": "com.amazonaws.ecs.capability.task-iam-role"},
            {"name": "ecs.capability.task-eni"}
        ],
        "placementConstraints": [],
        "compatibilities": ["EC2", "FARGATE"],
        "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "registeredAt": "2026-11-20T08:10:00+00:00",
        "registeredBy": format!("arn:aws:iam::{ACCOUNT}:role/deployer")
    })
}

fn trust_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    }]})
}

fn task_role(svc: &Svc) -> Value {
    let name = role_name(svc.index);
    let mut file_systems = vec![fs_arn(&fs_id(svc.vpc))];
    if svc.fault == Fault::MissingAz {
        file_systems.push(fs_arn(&fs_partial_id(svc.index)));
    }
    let attached: Vec<Value> = MANAGED_POLICIES
        .iter()
        .take(1 + svc.index % MANAGED_POLICIES.len())
        .map(|p| json!({"PolicyName": p, "PolicyArn": managed_policy_arn(p)}))
        .collect();
    json!({
        "Path": "/",
        "RoleName": name,
        "RoleId": format!("AROA{:016X}", svc.index),
        "Arn": role_arn(&name),
        "CreateDate": "2025-03-14T09:00:00+00:00",
        "AssumeRolePolicyDocument": trust_policy(),
        "InstanceProfileList": [],
        "RolePolicyList": [
            {"PolicyName": "efs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                "Resource": file_systems
            }]}},
            {"PolicyName": "s3", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": format!("arn:aws:s3:::bucket-{}/*", svc.index)
            }]}}
        ],
        "AttachedManagedPolicies": attached,
        "Tags": [{"Key": "service", "Value": service_name(svc.index)}],
        "RoleLastUsed": {"LastUsedDate": "2026-11-22T10:00:00+00:00", "Region": REGION}
    })
}

fn execution_role() -> Value {
    json!({
        "Path": "/",
        "RoleName": "ecsTaskExecutionRole",
        "RoleId": "AROAECSTASKEXECUXXXXX",
        "Arn": role_arn("ecsTaskExecutionRole"),
        "CreateDate": "2025-03-14T09:00:00+00:00",
        "AssumeRolePolicyDocument": trust_policy(),
        "InstanceProfileList": [],
        "RolePolicyList": [],
        "AttachedManagedPolicies": [{
            "PolicyName": "AmazonECSTaskExecutionRolePolicy",
            "PolicyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        }],
        "Tags": [],
        "RoleLastUsed": {}
    })
}

fn managed_policy(name: &str) -> Value {
    let statement = if name == "efs-client-read" {
        json!({"Effect": "Allow", "Action": "elasticfilesystem:ClientMount",
               "Resource": format!("arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/*"),
               "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}})
    } else {
        json!({"Effect": "Allow", "Action": [format!("{name}:Get*"), format!("{name}:Put*")],
               "Resource": "*"})
    };
    json!({
        "PolicyName": name,
        "PolicyId": format!("ANPA{:0>17}", name.len()),
        "Arn": managed_policy_arn(name),
        "Path": "/",
        "DefaultVersionId": "v2",
        "AttachmentCount": 1,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": true,
        "CreateDate": "2025-03-14T09:00:00+00:00",
        "UpdateDate": "2025-06-14T09:00:00+00:00",
        "PolicyVersionList": [
            {"Document": {"Version": "2012-10-17", "Statement": [statement]},
             "VersionId": "v2", "IsDefaultVersion": true,
             "CreateDate": "2025-06-14T09:00:00+00:00"},
            {"Document": {"Version": "2012-10-17", "Statement": []},
             "VersionId": "v1", "IsDefaultVersion": false,
             "CreateDate": "2025-03-14T09:00:00+00:00"}
        ]
    })
}

fn stopped_task(svc: &Svc) -> Value {
    let cluster = cluster_name(svc.index);
    json!({
        "taskArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/{cluster}/{:032x}", svc.index),
        "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{cluster}"),
        "taskDefinitionArn": task_definition_arn(svc),
        "group": format!("service:{}", service_name(svc.index)),
        "lastStatus": "STOPPED",
        "desiredStatus": "STOPPED",
        "launchType": "FARGATE",
        "platformVersion": if svc.fault == Fault::OldPlatform { "1.3.0" } else { "1.4.0" },
        "availabilityZone": "us-east-1c",
        "stopCode": "TaskFailedToStart",
        "stoppedAt": "2026-11-23T09:58:12+00:00",
        "stoppedReason": "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes"
    })
}
