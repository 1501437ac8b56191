//! EFS001: the volume's file system does not exist in the account and Region.
//!
//! In a shared VPC (AWS RAM) a task of a participant account can mount a file system that another
//! account owns (<https://docs.aws.amazon.com/efs/latest/ug/mount-fs-diff-account-same-vpc.html>),
//! and this account's `DescribeFileSystems` does not list it: when the task VPC is owned by
//! another account, a file system missing from the snapshot is `unknown`, not a failure.

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "EFS001",
    name: "file-system-not-found",
    severity: Severity::Error,
    summary: "The file system does not exist in this account and Region",
    doc: include_str!("../../rules/EFS001.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let snap = cx.graph.snapshot();
    let region = snap.region.as_deref().unwrap_or("this Region");
    volumes
        .iter()
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            if fs_id.is_empty() {
                return cx
                    .broken(&RULE)
                    .volume(v.name)
                    .message_with(|| format!("Volume '{}' has an empty fileSystemId.", v.name))
                    .fix(format!("Set fileSystemId of volume '{}' to an existing file system.", v.name));
            }
            match cx.graph.file_system(fs_id) {
                Ok(fs) => cx.pass(&RULE).volume(v.name).resource(fs_id).message_with(|| format!(
                    "File system {fs_id}{} exists.",
                    fs.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()
                )),
                Err(_) if cx.graph.file_system_known_absent(fs_id) => match shared_vpc_owner(cx) {
                    Some((vpc_id, owner)) => cx
                        .unknown(&RULE, &Missing::new(format!(
                            "file system {fs_id} is not among the file systems of account {}, but the task VPC {vpc_id} is owned by account {owner} and shared with it, so the file system may belong to {owner} or another account of the shared VPC, which this snapshot does not show (collect that account to check)",
                            snap.account_id.as_deref().unwrap_or("ACCOUNT_ID")
                        )))
                        .volume(v.name)
                        .resource(fs_id),
                    None => cx
                    .broken(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message_with(|| format!(
                        "File system {fs_id} does not exist in {region} (a typo, a deleted file system, or one in another Region or account); tasks fail with 'Failed to resolve \"{fs_id}.efs.{region}.amazonaws.com\"'."
                    ))
                    .fix(format!(
                        "Point fileSystemId of volume '{}' at an existing file system in {region} (list them with: aws efs describe-file-systems --region {region} --query 'FileSystems[].[FileSystemId,Name]').",
                        v.name
                    )),
                },
                Err(m) => cx.unknown(&RULE, &m).volume(v.name).resource(fs_id),
            }
        })
        .collect()
}

/// The task VPC and its owner, when another account owns it (a VPC shared through AWS RAM):
/// the `OwnerId` of the task's first subnet in the snapshot, else of its VPC, differs from the
/// snapshot's account.
fn shared_vpc_owner<'a>(cx: &Context<'a>) -> Option<(&'a str, &'a str)> {
    let account = cx.graph.snapshot().account_id.as_deref()?;
    let subnet = cx
        .task_subnets()
        .ok()?
        .into_iter()
        .find_map(|(_, lookup)| lookup.ok())?;
    let owner = subnet.owner_id.as_deref().or_else(|| {
        cx.graph
            .vpc(&subnet.vpc_id)
            .ok()
            .and_then(|vpc| vpc.owner_id.as_deref())
    })?;
    (owner != account).then_some((subnet.vpc_id.as_str(), owner))
}
