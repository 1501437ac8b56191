//! NET009: the task would reach the file system over IPv6, but the mount target in its AZ has
//! no IPv6 address.
//!
//! Two ways in: an IPv6-only task subnet (tasks get no IPv4 address at all), or a dual-stack
//! task subnet with DNS64 on, where the VPC resolver answers the file system's name with an
//! address synthesised from the mount target's IPv4 address in `64:ff9b::/96`
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html>), which a
//! task with an IPv6 address connects to first. Fargate tasks in a dual-stack subnet get an IPv6
//! address only when the ECS `dualStackIPv6` account setting is on
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html>).

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::snapshot::{MountTarget, Subnet};

pub(crate) static RULE: Rule = Rule {
    id: "NET009",
    name: "ipv6-path-unusable",
    severity: Severity::Error,
    summary: "The task reaches the file system over IPv6 but its mount target has no IPv6 address",
    doc: include_str!("../../rules/NET009.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let mut out = Vec::new();
    for v in volumes {
        let fs_id = v.config.file_system_id.as_str();
        let subnets = match cx.task_subnets() {
            Ok(s) => s,
            Err(m) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name));
                continue;
            }
        };
        let mut seen: Vec<&str> = Vec::new();
        for (subnet_id, subnet) in subnets {
            if seen.contains(&subnet_id) {
                continue;
            }
            seen.push(subnet_id);
            let unknown = |m: &Missing| cx.unknown(&RULE, m).volume(v.name).resource(subnet_id);
            let subnet = match subnet {
                Ok(s) => s,
                Err(m) => {
                    out.push(unknown(&m));
                    continue;
                }
            };
            // An IPv4-only subnet: tasks resolve and connect over IPv4.
            if !subnet.has_ipv6_cidr() && !subnet.is_ipv6_only() {
                out.push(
                    cx.pass(&RULE)
                        .volume(v.name)
                        .resource(subnet_id)
                        .message_with(|| format!(
                            "Subnet {subnet_id} has no IPv6 CIDR: tasks reach the mount target over IPv4."
                        )),
                );
                continue;
            }
            let Some(az_id) = subnet.availability_zone_id.as_deref() else {
                out.push(unknown(&Missing::new(format!(
                    "subnet {subnet_id} has no AvailabilityZoneId in the snapshot"
                ))));
                continue;
            };
            let mt = match cx.graph.mount_target_in_az(fs_id, &subnet.vpc_id, az_id) {
                Ok(Some(mt)) => mt,
                // No mount target in the AZ: NET001's finding.
                Ok(None) => continue,
                Err(m) => {
                    out.push(unknown(&m));
                    continue;
                }
            };
            out.push(path(cx, v.name, fs_id, subnet, mt));
        }
    }
    out
}

fn path(cx: &Context<'_>, volume: &str, fs_id: &str, subnet: &Subnet, mt: &MountTarget) -> Finding {
    let sid = subnet.subnet_id.as_str();
    let mid = mt.mount_target_id.as_str();
    if let Some(v6) = mt.ipv6_address.as_deref() {
        return cx
            .pass(&RULE)
            .volume(volume)
            .resource(sid)
            .message_with(|| {
                format!(
            "Mount target {mid} has the IPv6 address {v6}: tasks in {sid} can reach it over IPv6."
        )
            });
    }
    if mt.ip_address.is_none() {
        return cx
            .unknown(
                &RULE,
                &Missing::new(format!(
                    "mount target {mid} has neither IpAddress nor Ipv6Address in the snapshot"
                )),
            )
            .volume(volume)
            .resource(sid);
    }
    let recreate = format!(
        "aws efs delete-mount-target --mount-target-id {mid} && aws efs create-mount-target --file-system-id {fs_id} --subnet-id {} --ip-address-type DUAL_STACK{} (the mount target's subnet needs an IPv6 CIDR)",
        mt.subnet_id,
        mt.security_groups
            .as_ref()
            .filter(|g| !g.is_empty())
            .map(|g| format!(" --security-groups {}", g.join(" ")))
            .unwrap_or_default()
    );
    if subnet.is_ipv6_only() {
        return cx
            .broken(&RULE)
            .volume(volume)
            .resource(sid)
            .message_with(|| format!(
                "Subnet {sid} is IPv6-only, so tasks there have no IPv4 address, and mount target {mid} of {fs_id} in their AZ has only an IPv4 address: no address family is shared and the mount fails."
            ))
            .fix(recreate);
    }
    // Dual-stack task subnet, IPv4-only mount target: only DNS64 turns the name into an IPv6
    // address.
    match subnet.enable_dns64 {
        Some(false) => {
            return cx
                .pass(&RULE)
                .volume(volume)
                .resource(sid)
                .message_with(|| format!(
                    "Subnet {sid} is dual-stack with DNS64 off: the file system's name resolves to the IPv4 address of {mid}."
                ))
        }
        None => {
            return cx
                .unknown(
                    &RULE,
                    &Missing::new(format!(
                        "dual-stack subnet {sid} has no EnableDns64 in the snapshot"
                    )),
                )
                .volume(volume)
                .resource(sid)
        }
        Some(true) => {}
    }
    if subnet.assign_ipv6_address_on_creation == Some(false) {
        return cx
            .pass(&RULE)
            .volume(volume)
            .resource(sid)
            .message_with(|| format!(
                "Subnet {sid} has DNS64 on but does not assign IPv6 addresses (AssignIpv6AddressOnCreation off): tasks connect over IPv4."
            ));
    }
    let setting = match cx.graph.account_setting("dualStackIPv6") {
        Ok(s) => s,
        Err(m) => return cx.unknown(&RULE, &m).volume(volume).resource(sid),
    };
    match setting {
        Some(v) if v.eq_ignore_ascii_case("enabled") => cx
            .broken(&RULE)
            .volume(volume)
            .resource(sid)
            .message_with(|| format!(
                "Subnet {sid} is dual-stack with DNS64 on and the ECS dualStackIPv6 setting is enabled, so tasks get an IPv6 address and the resolver answers the name of {fs_id} with an IPv6 address synthesised from the IPv4 address of {mid}, which has no IPv6 address: the mount times out."
            ))
            .fix(format!(
                "aws ec2 modify-subnet-attribute --subnet-id {sid} --no-enable-dns64, or give the file system dual-stack mount targets: {recreate}"
            )),
        Some(v) => cx
            .pass(&RULE)
            .volume(volume)
            .resource(sid)
            .message_with(|| format!(
                "The ECS dualStackIPv6 setting is {v}: Fargate tasks in {sid} get no IPv6 address and ignore DNS64 answers."
            )),
        None => cx
            .unknown(
                &RULE,
                &Missing::new(
                    "ecs.accountSettings has no dualStackIPv6 setting, which decides whether tasks get an IPv6 address".to_owned(),
                ),
            )
            .volume(volume)
            .resource(sid),
    }
}
