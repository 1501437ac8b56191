//! Amazon EFS resources of a template: file systems (with their policy), mount targets and
//! access points.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{bad_value, policy, Convert, Res, Template};
use crate::iac::overlay::Builder;
use crate::iac::shared::efs::{self, AccessPointNames, NewFileSystem};
use crate::iac::shared::Targets;
use crate::iac::value::Got;
use crate::iac::IacError;
use crate::snapshot::FileSystemPolicy;

/// The EFS resource types a template may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("AWS::EFS::FileSystem", file_system),
    ("AWS::EFS::MountTarget", mount_target),
    ("AWS::EFS::AccessPoint", access_point),
];

const ACCESS_POINT: AccessPointNames = AccessPointNames {
    posix: ["Uid", "Gid", "SecondaryGids"],
    root: ["Path", "CreationInfo"],
    creation: ["OwnerUid", "OwnerGid", "Permissions"],
};

fn file_system(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    let zone = r.p("AvailabilityZoneName").str().known();
    let zone_id = zone.as_ref().and_then(|z| t.az_ids.get(z).cloned());
    if zone.is_some() && zone_id.is_none() {
        b.gap(
            lid,
            "AvailabilityZoneName",
            lid,
            "the AZ name has no subnet in the base state to map it to an AZ id",
        );
    }
    let name = r
        .p("FileSystemTags")
        .items()
        .known()
        .unwrap_or_default()
        .iter()
        .find(|tag| tag.field("Key").str().known().as_deref() == Some("Name"))
        .and_then(|tag| tag.field("Value").str().known());
    efs::file_system(
        b,
        NewFileSystem {
            id: lid.to_owned(),
            arn: t
                .account
                .arn("elasticfilesystem", &format!("file-system/{lid}")),
            owner: t.owner(),
            name,
            zone,
            zone_id,
            // CreateFileSystem encrypts only when asked to.
            encrypted: match r.p("Encrypted").bool() {
                Got::Known(b) => Some(b),
                Got::Absent => Some(false),
                Got::Unknown(_) => None,
            },
            // Without `KmsKeyId`, EFS uses the AWS managed key for EFS.
            kms_key_id: match r.p("KmsKeyId").str() {
                Got::Known(k) => Some(k),
                Got::Absent => Some(crate::iac::common::AWS_MANAGED_EFS_KEY.to_owned()),
                Got::Unknown(_) => None,
            },
            replication_overwrite: r
                .p("FileSystemProtection")
                .field("ReplicationOverwriteProtection")
                .str()
                .known(),
        },
    );
    // A stack creates the file systems of its template; mount targets and a policy set outside
    // the stack cannot exist before it does.
    b.overlay.created_file_systems.push(lid.to_owned());
    match policy(&r.p("FileSystemPolicy")) {
        Got::Known(Some(doc)) => {
            b.overlay.file_system_policies.push(FileSystemPolicy {
                file_system_id: lid.to_owned(),
                policy: doc,
            });
        }
        Got::Known(None) => {
            return Err(bad_value(r, "FileSystemPolicy", "is not a policy document"))
        }
        Got::Unknown(c) => b.gap(&format!("policy:{lid}"), "FileSystemPolicy", lid, &c),
        Got::Absent => {}
    }
    Ok(())
}

fn mount_target(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    let fs = b
        .id(r.p("FileSystemId").str(), "FileSystemId", lid)
        .unwrap_or_default();
    let subnet = b
        .id(r.p("SubnetId").str(), "SubnetId", lid)
        .unwrap_or_default();
    let groups = b.ids(r.p("SecurityGroups").strs(), "SecurityGroups", lid);
    b.overlay.mount_targets.push(efs::mount_target(
        lid,
        fs,
        subnet,
        r.p("IpAddress").str().known(),
        t.owner(),
        Some(groups),
    ));
    Ok(())
}

fn access_point(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    let fs = b
        .id(r.p("FileSystemId").str(), "FileSystemId", lid)
        .unwrap_or_default();
    let identity =
        efs::access_point_identity(&r.p("PosixUser"), &r.p("RootDirectory"), &ACCESS_POINT);
    b.overlay.access_points.push(efs::access_point(
        lid,
        t.account
            .arn("elasticfilesystem", &format!("access-point/{lid}")),
        fs,
        None,
        identity,
        t.owner(),
    ));
    Ok(())
}
