//! Amazon EFS collection: the referenced file systems with their mount targets (and the
//! mount targets' security groups), access points and file-system policies.
//!
//! "Not found" is an answer here, not a gap: a file system or access point that does not exist
//! is simply absent from a collected list, which is how the rules learn that a task definition
//! names something that is not there. `PolicyNotFound` means the file system has no policy (the
//! EFS default policy applies), so it is absent from `FileSystemPolicies`.
//!
//! Runs in three phases, each with bounded concurrency: file systems and access points; then
//! mount targets and policies per file system; then security groups per mount target.

use std::collections::BTreeSet;

use aws_sdk_efs::operation::describe_access_points::DescribeAccessPointsOutput;
use aws_sdk_efs::operation::describe_file_systems::DescribeFileSystemsOutput;
use aws_sdk_efs::operation::describe_mount_targets::DescribeMountTargetsOutput;
use futures::stream::{self, StreamExt};

use super::record::{Answer, ListBuilder};
use super::{owned, Ctx};
use crate::snapshot::{self as model, PolicyDocument};

/// Above this many referenced file systems, one paginated `DescribeFileSystems` over the account
/// costs fewer calls than one call per id (AWS returns up to 100 per page).
/// <https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html>
const LIST_ALL_ABOVE: usize = 10;

const FS_NOT_FOUND: &[&str] = &["FileSystemNotFound"];

/// Reads everything EFS holds for these file systems and access points.
pub(crate) async fn collect(
    cx: &Ctx,
    fs_ids: &BTreeSet<String>,
    ap_ids: &BTreeSet<String>,
) -> model::EfsState {
    cx.rec.phase("reading EFS file systems and access points");
    let (file_systems, access_points) =
        futures::join!(file_systems(cx, fs_ids), access_points(cx, ap_ids));
    let (file_systems, follow) = file_systems;

    // Mount targets and policies of every file system that exists, or whose lookup failed (it
    // may exist: reading its mount targets may still work).
    let per_fs: Vec<(
        Answer<Vec<model::MountTarget>>,
        Answer<model::FileSystemPolicy>,
    )> = stream::iter(&follow)
        .map(|id| async move { futures::join!(mount_targets(cx, id), file_system_policy(cx, id)) })
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut mount_targets = ListBuilder::default();
    let mut policies = ListBuilder::default();
    for (targets, policy) in per_fs {
        mount_targets.take(targets);
        policies.take(policy.map(|p| [p]));
    }
    let (mut targets, targets_failed) = mount_targets.into_parts();
    let groups: Vec<Option<Vec<String>>> = stream::iter(&targets)
        .map(|mt| mount_target_security_groups(cx, &mt.mount_target_id))
        .buffered(cx.concurrency)
        .collect()
        .await;
    for (mt, groups) in targets.iter_mut().zip(groups) {
        mt.security_groups = groups;
    }
    let mut mount_targets = ListBuilder::default();
    if targets_failed {
        mount_targets.fail();
    }
    mount_targets.extend(targets);

    model::EfsState {
        file_systems,
        mount_targets: mount_targets.finish(),
        access_points,
        file_system_policies: policies.finish(),
    }
}

/// The file systems that exist among `ids`, and the ids worth following (found, or unknown
/// because the lookup failed).
async fn file_systems(
    cx: &Ctx,
    ids: &BTreeSet<String>,
) -> (Option<Vec<model::FileSystem>>, Vec<String>) {
    if ids.len() > LIST_ALL_ABOVE {
        let request = cx.efs.describe_file_systems().into_paginator().send();
        let answer = cx
            .rec
            .items(
                "elasticfilesystem:DescribeFileSystems",
                None,
                &[],
                request,
                DescribeFileSystemsOutput::file_systems,
                |fs| ids.contains(fs.file_system_id()).then(|| file_system(fs)),
            )
            .await;
        return match answer {
            Answer::Found(found) => {
                let follow = found.iter().map(|fs| fs.file_system_id.clone()).collect();
                (Some(found), follow)
            }
            Answer::Absent | Answer::Failed => (None, ids.iter().cloned().collect()),
        };
    }
    let answers: Vec<(String, Answer<Vec<model::FileSystem>>)> = stream::iter(ids)
        .map(|id| async move {
            let request = cx
                .efs
                .describe_file_systems()
                .file_system_id(id)
                .into_paginator()
                .send();
            let answer = cx
                .rec
                .items(
                    "elasticfilesystem:DescribeFileSystems",
                    Some(id.clone()),
                    FS_NOT_FOUND,
                    request,
                    DescribeFileSystemsOutput::file_systems,
                    |fs| Some(file_system(fs)),
                )
                .await;
            (id.clone(), answer)
        })
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut list = ListBuilder::default();
    let mut follow = Vec::new();
    for (id, answer) in answers {
        match answer {
            Answer::Found(found) => {
                if !found.is_empty() {
                    follow.push(id);
                }
                list.extend(found);
            }
            Answer::Absent => {}
            Answer::Failed => {
                follow.push(id);
                list.fail();
            }
        }
    }
    (list.finish(), follow)
}

/// `DescribeMountTargets` of one file system, following `NextMarker`.
async fn mount_targets(cx: &Ctx, fs_id: &str) -> Answer<Vec<model::MountTarget>> {
    let request = cx
        .efs
        .describe_mount_targets()
        .file_system_id(fs_id)
        .into_paginator()
        .send();
    cx.rec
        .items(
            "elasticfilesystem:DescribeMountTargets",
            Some(fs_id.to_owned()),
            FS_NOT_FOUND,
            request,
            DescribeMountTargetsOutput::mount_targets,
            |mt| Some(mount_target(mt)),
        )
        .await
}

/// `DescribeMountTargetSecurityGroups` (the (ext) `SecurityGroups`; absent when it fails).
async fn mount_target_security_groups(cx: &Ctx, mt_id: &str) -> Option<Vec<String>> {
    let request = cx
        .efs
        .describe_mount_target_security_groups()
        .mount_target_id(mt_id)
        .send();
    cx.rec
        .call(
            "elasticfilesystem:DescribeMountTargetSecurityGroups",
            Some(mt_id.to_owned()),
            &[],
            request,
        )
        .await
        .found()
        .map(|out| out.security_groups().to_vec())
}

/// `DescribeFileSystemPolicy`: `PolicyNotFound` means no policy (the EFS default applies).
/// <https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystemPolicy.html>
async fn file_system_policy(cx: &Ctx, fs_id: &str) -> Answer<model::FileSystemPolicy> {
    const CALL: &str = "elasticfilesystem:DescribeFileSystemPolicy";
    let request = cx
        .efs
        .describe_file_system_policy()
        .file_system_id(fs_id)
        .send();
    let answer = cx
        .rec
        .call(CALL, Some(fs_id.to_owned()), &["PolicyNotFound"], request)
        .await;
    let out = match answer {
        Answer::Found(out) => out,
        Answer::Absent => return Answer::Absent,
        Answer::Failed => return Answer::Failed,
    };
    let Some(text) = out.policy() else {
        return Answer::Absent;
    };
    match PolicyDocument::from_text(text) {
        Ok(policy) => Answer::Found(model::FileSystemPolicy {
            file_system_id: fs_id.to_owned(),
            policy,
        }),
        Err(why) => {
            cx.rec.gap(CALL, Some(fs_id.to_owned()), &why);
            Answer::Failed
        }
    }
}

/// `DescribeAccessPoints` per id; `AccessPointNotFound` leaves it out of the list.
async fn access_points(cx: &Ctx, ids: &BTreeSet<String>) -> Option<Vec<model::AccessPoint>> {
    let answers: Vec<Answer<Vec<model::AccessPoint>>> = stream::iter(ids)
        .map(|id| async move {
            let request = cx
                .efs
                .describe_access_points()
                .access_point_id(id)
                .into_paginator()
                .send();
            cx.rec
                .items(
                    "elasticfilesystem:DescribeAccessPoints",
                    Some(id.clone()),
                    &["AccessPointNotFound"],
                    request,
                    DescribeAccessPointsOutput::access_points,
                    access_point,
                )
                .await
        })
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut list = ListBuilder::default();
    for answer in answers {
        list.take(answer);
    }
    list.finish()
}

// ---- SDK -> snapshot model -------------------------------------------------------------------

fn file_system(fs: &aws_sdk_efs::types::FileSystemDescription) -> model::FileSystem {
    model::FileSystem {
        file_system_id: fs.file_system_id().to_owned(),
        file_system_arn: owned(fs.file_system_arn()),
        owner_id: Some(fs.owner_id().to_owned()).filter(|s| !s.is_empty()),
        life_cycle_state: Some(fs.life_cycle_state().as_str().to_owned()),
        name: owned(fs.name()),
        number_of_mount_targets: Some(i64::from(fs.number_of_mount_targets())),
        availability_zone_name: owned(fs.availability_zone_name()),
        availability_zone_id: owned(fs.availability_zone_id()),
        encrypted: fs.encrypted(),
        file_system_protection: fs
            .file_system_protection()
            .map(|p| model::FileSystemProtection {
                replication_overwrite_protection: p
                    .replication_overwrite_protection()
                    .map(|v| v.as_str().to_owned()),
            }),
        kms_key_id: owned(fs.kms_key_id()),
    }
}

fn mount_target(mt: &aws_sdk_efs::types::MountTargetDescription) -> model::MountTarget {
    model::MountTarget {
        mount_target_id: mt.mount_target_id().to_owned(),
        file_system_id: mt.file_system_id().to_owned(),
        subnet_id: mt.subnet_id().to_owned(),
        life_cycle_state: Some(mt.life_cycle_state().as_str().to_owned()),
        ip_address: owned(mt.ip_address()),
        ipv6_address: owned(mt.ipv6_address()),
        network_interface_id: owned(mt.network_interface_id()),
        availability_zone_id: owned(mt.availability_zone_id()),
        availability_zone_name: owned(mt.availability_zone_name()),
        vpc_id: owned(mt.vpc_id()),
        owner_id: owned(mt.owner_id()),
        security_groups: None,
    }
}

fn access_point(ap: &aws_sdk_efs::types::AccessPointDescription) -> Option<model::AccessPoint> {
    Some(model::AccessPoint {
        access_point_id: ap.access_point_id()?.to_owned(),
        access_point_arn: owned(ap.access_point_arn()),
        file_system_id: ap.file_system_id()?.to_owned(),
        life_cycle_state: ap.life_cycle_state().map(|s| s.as_str().to_owned()),
        name: owned(ap.name()),
        posix_user: ap.posix_user().map(|u| model::PosixUser {
            uid: u.uid(),
            gid: u.gid(),
            secondary_gids: u.secondary_gids().to_vec(),
        }),
        root_directory: ap.root_directory().map(|r| model::RootDirectory {
            path: owned(r.path()),
            creation_info: r.creation_info().map(|c| model::CreationInfo {
                owner_uid: c.owner_uid(),
                owner_gid: c.owner_gid(),
                permissions: c.permissions().to_owned(),
            }),
        }),
        owner_id: owned(ap.owner_id()),
    })
}
