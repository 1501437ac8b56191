//! EFS007: a `rootDirectory` without an access point must already exist; ECS never creates it.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "EFS007",
    name: "root-directory-must-exist",
    severity: Severity::Warning,
    summary: "The rootDirectory must already exist on the file system",
    doc: include_str!("../../rules/EFS007.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .filter(|v| v.config.access_point_id().is_none())
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            match v.config.non_root_directory() {
                None => cx.pass(&RULE).volume(v.name).resource(fs_id).message_with(|| format!(
                    "Volume '{}' mounts the root of {fs_id}, which always exists.",
                    v.name
                )),
                Some(dir) => cx
                    .broken(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message_with(|| format!(
                        "Volume '{}' mounts {dir} of {fs_id}; ECS does not create it, so tasks fail with 'No such file or directory' unless it already exists (this cannot be checked without mounting).",
                        v.name
                    ))
                    .fix(format!(
                        "Create {dir} on {fs_id} once (from a task that mounts its root), or mount it through an access point that creates it (with accessPointId set, rootDirectory unset and transitEncryption ENABLED): aws efs create-access-point --file-system-id {fs_id} --root-directory 'Path={dir},CreationInfo={{OwnerUid=1000,OwnerGid=1000,Permissions=755}}'"
                    )),
            }
        })
        .collect()
}
