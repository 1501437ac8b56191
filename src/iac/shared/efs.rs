//! Amazon EFS resources: file systems, mount targets and access points.

use super::super::overlay::Builder;
use super::super::value::{Got, Val};
use crate::snapshot::{
    AccessPoint, CreationInfo, FileSystem, FileSystemProtection, MountTarget, PosixUser,
    RootDirectory,
};

/// A file system the input creates or changes.
#[derive(Debug)]
pub struct NewFileSystem {
    /// Its (synthetic) id.
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// The owning account.
    pub owner: Option<String>,
    /// The `Name` tag.
    pub name: Option<String>,
    /// One Zone: the AZ name.
    pub zone: Option<String>,
    /// One Zone: the AZ id.
    pub zone_id: Option<String>,
    /// Encrypted at rest.
    pub encrypted: Option<bool>,
    /// The KMS key (the AWS managed key for EFS when the input names none).
    pub kms_key_id: Option<String>,
    /// Replication overwrite protection, `ENABLED` when unset (a new file system is writeable).
    pub replication_overwrite: Option<String>,
}

/// Adds a file system. Both Terraform and CloudFormation finish the resource only when the
/// file system is `available`.
pub fn file_system(b: &mut Builder, f: NewFileSystem) {
    b.overlay.file_systems.push(FileSystem {
        file_system_id: f.id,
        file_system_arn: Some(f.arn),
        owner_id: f.owner,
        life_cycle_state: Some("available".into()),
        name: f.name,
        number_of_mount_targets: None,
        availability_zone_name: f.zone,
        availability_zone_id: f.zone_id,
        encrypted: f.encrypted,
        kms_key_id: f.kms_key_id,
        file_system_protection: Some(FileSystemProtection {
            replication_overwrite_protection: Some(
                f.replication_overwrite
                    .unwrap_or_else(|| "ENABLED".to_owned()),
            ),
        }),
    });
}

/// A mount target in `describe-mount-targets` shape (available once created).
pub fn mount_target(
    id: &str,
    file_system: String,
    subnet: String,
    ip_address: Option<String>,
    owner: Option<String>,
    security_groups: Option<Vec<String>>,
) -> MountTarget {
    MountTarget {
        mount_target_id: id.to_owned(),
        file_system_id: file_system,
        subnet_id: subnet,
        life_cycle_state: Some("available".into()),
        ip_address,
        owner_id: owner,
        security_groups,
        ..MountTarget::default()
    }
}

/// How an input spells the nested fields of an access point.
#[derive(Debug)]
pub struct AccessPointNames {
    /// POSIX user: uid, gid, secondary gids.
    pub posix: [&'static str; 3],
    /// Root directory: path, creation info.
    pub root: [&'static str; 2],
    /// Creation info: owner uid, owner gid, permissions.
    pub creation: [&'static str; 3],
}

/// The POSIX user and root directory of an access point from their input blocks. A block
/// that is absent (or an empty block list) gives `None`.
pub fn access_point_identity(
    posix: &Val,
    root: &Val,
    names: &AccessPointNames,
) -> (Option<PosixUser>, Option<RootDirectory>) {
    let [uid, gid, secondary] = names.posix;
    let posix_user = match (posix.field(uid).int(), posix.field(gid).int()) {
        (Got::Known(uid), Got::Known(gid)) => Some(PosixUser {
            uid,
            gid,
            secondary_gids: posix
                .field(secondary)
                .items()
                .known()
                .unwrap_or_default()
                .iter()
                .filter_map(|g| g.int().known())
                .collect(),
        }),
        _ => None,
    };
    let [path, creation_key] = names.root;
    let [uid_key, gid_key, mode_key] = names.creation;
    let creation = root.field(creation_key);
    let root_directory =
        if matches!(root, Val::Null) || root.items().known().is_some_and(|i| i.is_empty()) {
            None
        } else {
            Some(RootDirectory {
                path: root.field(path).str().known(),
                creation_info: match (
                    creation.field(uid_key).int(),
                    creation.field(gid_key).int(),
                    creation.field(mode_key).str(),
                ) {
                    (Got::Known(u), Got::Known(g), Got::Known(p)) => Some(CreationInfo {
                        owner_uid: u,
                        owner_gid: g,
                        permissions: p,
                    }),
                    _ => None,
                },
            })
        };
    (posix_user, root_directory)
}

/// An access point in `describe-access-points` shape (available once created).
pub fn access_point(
    id: &str,
    arn: String,
    file_system: String,
    name: Option<String>,
    identity: (Option<PosixUser>, Option<RootDirectory>),
    owner: Option<String>,
) -> AccessPoint {
    let (posix_user, root_directory) = identity;
    AccessPoint {
        access_point_id: id.to_owned(),
        access_point_arn: Some(arn),
        file_system_id: file_system,
        life_cycle_state: Some("available".into()),
        name,
        posix_user,
        root_directory,
        owner_id: owner,
    }
}
