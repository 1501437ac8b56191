//! Amazon EFS resources of a plan: file systems, mount targets, access points and file-system
//! policies.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{bad_value, Convert, Plan, Res};
use crate::iac::overlay::Builder;
use crate::iac::shared::efs::{self, AccessPointNames, NewFileSystem};
use crate::iac::shared::Targets;
use crate::iac::value::Got;
use crate::iac::IacError;
use crate::snapshot::{FileSystemPolicy, PolicyDocument};

/// The EFS resource types a plan may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("aws_efs_file_system", file_system),
    ("aws_efs_mount_target", mount_target),
    ("aws_efs_access_point", access_point),
    ("aws_efs_file_system_policy", file_system_policy),
];

const ACCESS_POINT: AccessPointNames = AccessPointNames {
    posix: ["uid", "gid", "secondary_gids"],
    root: ["path", "creation_info"],
    creation: ["owner_uid", "owner_gid", "permissions"],
};

fn file_system(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let v = r.values();
    let non_empty = |key: &str| v.field(key).str().known().filter(|z| !z.is_empty());
    let zone = non_empty("availability_zone_name");
    let zone_id = non_empty("availability_zone_id")
        .or_else(|| zone.as_ref().and_then(|z| plan.az_ids.get(z).cloned()));
    if zone.is_some() && zone_id.is_none() {
        b.gap(&r.s.id, "availability_zone_id", r.address(), "");
    }
    // Unset, `kms_key_id` is computed: EFS uses the AWS managed key for EFS. A
    // reference to a planned key holds that key's id or ARN by now; any other value
    // known only after apply leaves the key unknown.
    let kms_key_id = match v.field("kms_key_id").str() {
        Got::Known(k) if !k.is_empty() => Some(k),
        Got::Unknown(cause) if plan.has_config(r.inst, "kms_key_id") => {
            b.id(Got::Unknown(cause), "kms_key_id", r.address())
        }
        _ => Some(crate::iac::common::AWS_MANAGED_EFS_KEY.to_owned()),
    };
    efs::file_system(
        b,
        NewFileSystem {
            id: r.s.id.clone(),
            arn: r.s.arn.clone(),
            owner: plan.owner(),
            name: v.at(&["tags", "Name"]).str().known(),
            zone,
            zone_id,
            encrypted: v.field("encrypted").bool().known(),
            kms_key_id,
            replication_overwrite: v.at(&["protection", "replication_overwrite"]).str().known(),
        },
    );
    // Its id is known only after apply: the plan creates it (or replaces it), so no mount target
    // or policy made outside the plan can exist for it.
    if r.s.id == r.address() {
        b.overlay.created_file_systems.push(r.s.id.clone());
    }
    Ok(())
}

fn mount_target(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let fs = b
        .id(v.field("file_system_id").str(), "file_system_id", addr)
        .unwrap_or_default();
    let subnet = b
        .id(v.field("subnet_id").str(), "subnet_id", addr)
        .unwrap_or_default();
    let groups = match v.field("security_groups").strs() {
        Got::Known(items) if !items.is_empty() => {
            Some(b.ids(Got::Known(items), "security_groups", addr))
        }
        _ if plan.has_config(r.inst, "security_groups") => {
            Some(b.ids(v.field("security_groups").strs(), "security_groups", addr))
        }
        _ => {
            b.overlay.default_sg_mount_targets.push(r.s.id.clone());
            None
        }
    };
    b.overlay.mount_targets.push(efs::mount_target(
        &r.s.id,
        fs,
        subnet,
        v.field("ip_address")
            .str()
            .known()
            .filter(|i| !i.is_empty()),
        plan.owner(),
        groups,
    ));
    Ok(())
}

fn access_point(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let fs = b
        .id(v.field("file_system_id").str(), "file_system_id", addr)
        .unwrap_or_default();
    let identity = efs::access_point_identity(
        &v.field("posix_user"),
        &v.field("root_directory"),
        &ACCESS_POINT,
    );
    b.overlay.access_points.push(efs::access_point(
        &r.s.id,
        r.s.arn.clone(),
        fs,
        v.at(&["tags", "Name"]).str().known(),
        identity,
        plan.owner(),
    ));
    Ok(())
}

fn file_system_policy(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let Some(fs) = b.id(v.field("file_system_id").str(), "file_system_id", addr) else {
        return Ok(());
    };
    match super::iam::policy_text(&v.field("policy")) {
        Got::Known(p) => match PolicyDocument::from_text(&p).ok() {
            Some(policy) => b.overlay.file_system_policies.push(FileSystemPolicy {
                file_system_id: fs,
                policy,
            }),
            None => return Err(bad_value(r, "policy", "is not a JSON policy document")),
        },
        Got::Unknown(c) => {
            b.gap(&format!("policy:{fs}"), "policy", addr, &c);
            b.overlay.removed.push(format!("policy:{fs}"));
        }
        Got::Absent => {}
    }
    Ok(())
}
