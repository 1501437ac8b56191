//! EFS010: the process writing to a read-write mount has no POSIX write permission where the
//! mount lands.
//!
//! The identity is the access point's `PosixUser` when it has one (EFS enforces it on every
//! request), else the container's `user`. The directory is the access point's root directory
//! (owner and mode from its `CreationInfo`, which EFS applies when it creates the directory), or
//! the file-system root, which EFS creates owned by root with mode 755
//! (<https://docs.aws.amazon.com/efs/latest/ug/accessing-fs-nfs-permissions.html>).

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::snapshot::{AccessPoint, ContainerDefinition};

pub(crate) static RULE: Rule = Rule {
    id: "EFS010",
    name: "posix-permissions-deny-write",
    severity: Severity::Warning,
    summary: "The POSIX user of a read-write mount cannot write to the directory it mounts",
    doc: include_str!("../../rules/EFS010.md"),
    check,
};

/// A POSIX identity; `None` parts are not known from the task definition.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    uid: Option<i64>,
    gid: Option<i64>,
    secondary: Vec<i64>,
    /// Where it comes from, for messages.
    source: String,
}

/// The directory a mount lands in.
struct Directory {
    owner_uid: i64,
    owner_gid: i64,
    mode: u32,
    /// How it is described in messages.
    label: String,
}

/// The outcome for one container.
enum Verdict {
    Writable(String),
    Denied(String),
    Unknown(Missing),
}

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let Ok(td) = cx.task_definition() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for v in volumes {
        let fs_id = v.config.file_system_id.as_str();
        let writers: Vec<&ContainerDefinition> = td
            .container_definitions
            .iter()
            .filter(|c| {
                c.mount_points.iter().any(|m| {
                    m.source_volume.as_deref() == Some(v.name) && m.read_only != Some(true)
                })
            })
            .collect();
        // Only read-only mounts (or none) of this volume: nothing to write.
        if writers.is_empty() {
            continue;
        }
        let access_point = match v.config.access_point_id() {
            Some(ap_id) => match cx.graph.access_point(ap_id) {
                Ok(ap) => Some(ap),
                Err(m) => {
                    out.push(cx.unknown(&RULE, &m).volume(v.name).resource(ap_id));
                    continue;
                }
            },
            None => None,
        };
        let resource = v.config.access_point_id().unwrap_or(fs_id);
        let directory = directory(access_point, v.config.non_root_directory(), fs_id);
        let mut worst: Option<(u8, Finding)> = None;
        for c in writers {
            let verdict = match &directory {
                Err(m) => Verdict::Unknown(m.clone()),
                Ok(dir) => match identity(access_point, c) {
                    Err(m) => Verdict::Unknown(m),
                    Ok(id) => decide(&id, dir),
                },
            };
            let (rank, finding) = match verdict {
                Verdict::Denied(why) => (
                    0,
                    cx.broken(&RULE)
                        .volume(v.name)
                        .resource(resource)
                        .message_with(|| format!(
                            "Container '{}' mounts volume '{}' read-write, but {why}: that user may not write there, so writes fail with 'Permission denied'.",
                            c.name, v.name
                        ))
                        .fix(fix(access_point, c, v.name, fs_id)),
                ),
                Verdict::Unknown(m) => (
                    1,
                    cx.unknown(&RULE, &m).volume(v.name).resource(resource),
                ),
                Verdict::Writable(why) => (
                    2,
                    cx.pass(&RULE)
                        .volume(v.name)
                        .resource(resource)
                        .message_with(|| format!("Container '{}' can write to volume '{}': {why}.", c.name, v.name)),
                ),
            };
            if worst.as_ref().is_none_or(|(r, _)| rank < *r) {
                worst = Some((rank, finding));
            }
        }
        out.extend(worst.map(|(_, f)| f));
    }
    out
}

/// The directory the mount lands in, with its owner and mode.
fn directory(
    access_point: Option<&AccessPoint>,
    root_directory: Option<&str>,
    fs_id: &str,
) -> Result<Directory, Missing> {
    let fs_root = || Directory {
        owner_uid: 0,
        owner_gid: 0,
        mode: 0o755,
        label: format!(
            "the root directory of {fs_id}, which EFS creates owned by root (0:0) with mode 755"
        ),
    };
    match access_point {
        Some(ap) => {
            let path = ap
                .root_directory
                .as_ref()
                .and_then(|r| r.path.as_deref())
                .filter(|p| !p.is_empty() && *p != "/");
            let Some(path) = path else {
                return Ok(fs_root());
            };
            let info = ap
                .root_directory
                .as_ref()
                .and_then(|r| r.creation_info.as_ref());
            let Some(info) = info else {
                return Err(Missing::new(format!(
                    "access point {} has no CreationInfo, so the owner and mode of {path} are those of an existing directory, which no API shows",
                    ap.access_point_id
                )));
            };
            let mode = u32::from_str_radix(info.permissions.trim(), 8).map_err(|_| {
                Missing::new(format!(
                    "the CreationInfo Permissions `{}` of access point {} is not an octal mode",
                    info.permissions, ap.access_point_id
                ))
            })?;
            Ok(Directory {
                owner_uid: info.owner_uid,
                owner_gid: info.owner_gid,
                mode,
                label: format!(
                    "the root directory {path} of access point {} is created owned by {}:{} with mode {:o}",
                    ap.access_point_id, info.owner_uid, info.owner_gid, mode
                ),
            })
        }
        None => match root_directory {
            None => Ok(fs_root()),
            Some(dir) => Err(Missing::new(format!(
                "rootDirectory {dir} is an existing directory whose owner and mode no API shows"
            ))),
        },
    }
}

/// The identity of the container's process on the file system.
fn identity(
    access_point: Option<&AccessPoint>,
    c: &ContainerDefinition,
) -> Result<Identity, Missing> {
    if let Some(posix) = access_point.and_then(|ap| ap.posix_user.as_ref().map(|p| (ap, p))) {
        let (ap, p) = posix;
        return Ok(Identity {
            uid: Some(p.uid),
            gid: Some(p.gid),
            secondary: p.secondary_gids.clone(),
            source: format!(
                "access point {} enforces uid {} gid {}",
                ap.access_point_id, p.uid, p.gid
            ),
        });
    }
    let Some(user) = c.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) else {
        return Err(Missing::new(format!(
            "container '{}' sets no `user`, so the image's user writes, which the task definition does not show",
            c.name
        )));
    };
    let (u, g) = match user.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (user, None),
    };
    let uid = match u {
        "root" => Some(0),
        _ => u.parse::<i64>().ok(),
    };
    let Some(uid) = uid else {
        return Err(Missing::new(format!(
            "container '{}' runs as user `{u}`, a name the image resolves to a uid the task definition does not show",
            c.name
        )));
    };
    let gid = g.and_then(|g| match g {
        "root" => Some(0),
        _ => g.parse::<i64>().ok(),
    });
    Ok(Identity {
        uid: Some(uid),
        gid,
        secondary: Vec::new(),
        source: format!("container '{}' runs as user {user}", c.name),
    })
}

/// POSIX write permission on a directory (write and search bits of the class that applies).
fn decide(id: &Identity, dir: &Directory) -> Verdict {
    let Some(uid) = id.uid else {
        return Verdict::Unknown(Missing::new("the uid is not known".to_owned()));
    };
    let bits = |shift: u32| (dir.mode >> shift) & 0o3 == 0o3;
    let (user_w, group_w, other_w) = (bits(6), bits(3), bits(0));
    if uid == 0 {
        return Verdict::Writable(format!("{} (root)", id.source));
    }
    if uid == dir.owner_uid {
        return if user_w {
            Verdict::Writable(format!("{}, and {}", id.source, dir.label))
        } else {
            Verdict::Denied(format!(
                "{}, and {} (no owner write permission)",
                id.source, dir.label
            ))
        };
    }
    let in_group = match id.gid {
        Some(g) => Some(g == dir.owner_gid || id.secondary.contains(&dir.owner_gid)),
        None if id.secondary.contains(&dir.owner_gid) => Some(true),
        None => None,
    };
    // Whether the class that applies may write (`None`: the group is not known and only the
    // group class would allow it).
    let (may_write, class) = match in_group {
        Some(true) => (Some(group_w), "the group"),
        Some(false) => (Some(other_w), "others"),
        None if other_w => (Some(true), "others"),
        None if !group_w => (Some(false), "others"),
        None => (None, "the group"),
    };
    match may_write {
        Some(true) => Verdict::Writable(format!(
            "{}, and {} ({class} may write)",
            id.source, dir.label
        )),
        Some(false) => Verdict::Denied(format!(
            "{}, and {} (no write permission for {class})",
            id.source, dir.label
        )),
        None => Verdict::Unknown(Missing::new(format!(
            "{} without a group, and {}: whether the image's group of that user may write is not shown",
            id.source, dir.label
        ))),
    }
}

fn fix(
    access_point: Option<&AccessPoint>,
    c: &ContainerDefinition,
    volume: &str,
    fs_id: &str,
) -> String {
    let (uid, gid) = match access_point.and_then(|ap| ap.posix_user.as_ref()) {
        Some(p) => (p.uid, p.gid),
        None => {
            let user = c.user.as_deref().unwrap_or("1000");
            let (u, g) = user.split_once(':').unwrap_or((user, user));
            (
                u.parse().unwrap_or(1000),
                g.parse().or_else(|_| u.parse()).unwrap_or(1000),
            )
        }
    };
    format!(
        "aws efs create-access-point --file-system-id {fs_id} --posix-user Uid={uid},Gid={gid} --root-directory 'Path=/{volume},CreationInfo={{OwnerUid={uid},OwnerGid={gid},Permissions=755}}' (then set authorizationConfig.accessPointId of volume '{volume}' to it, with transitEncryption ENABLED)"
    )
}
