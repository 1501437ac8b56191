//! EFS006: an access point root path without `CreationInfo` is never created by EFS.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "EFS006",
    name: "access-point-path-must-exist",
    severity: Severity::Warning,
    summary: "The access point's root path must already exist (no CreationInfo)",
    doc: include_str!("../../rules/EFS006.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .filter_map(|v| v.config.access_point_id().map(|ap| (v, ap)))
        .map(|(v, ap_id)| {
            let ap = match cx.graph.access_point(ap_id) {
                Ok(ap) => ap,
                Err(m) => return cx.unknown(&RULE, &m).volume(v.name).resource(ap_id),
            };
            let root = ap.root_directory.as_ref();
            let path = root
                .and_then(|r| r.path.as_deref())
                .filter(|p| !p.is_empty())
                .unwrap_or("/");
            let creation = root.and_then(|r| r.creation_info.as_ref());
            if path == "/" {
                return cx.pass(&RULE).volume(v.name).resource(ap_id).message_with(|| format!(
                    "Access point {ap_id} exposes the file system root, which always exists."
                ));
            }
            if let Some(c) = creation {
                return cx.pass(&RULE).volume(v.name).resource(ap_id).message_with(|| format!(
                    "Access point {ap_id} has CreationInfo (owner {}:{}, mode {}), so EFS creates {path} if it is missing.",
                    c.owner_uid, c.owner_gid, c.permissions
                ));
            }
            // Access points cannot be modified, so the fix is a new one that copies the
            // enforced POSIX user and adds CreationInfo owned by it (1000:1000 when the
            // access point enforces no user).
            // https://docs.aws.amazon.com/efs/latest/ug/create-access-point.html
            let posix = ap.posix_user.as_ref();
            let (uid, gid) = posix.map_or((1000, 1000), |u| (u.uid, u.gid));
            let posix_arg = posix
                .map(|u| format!(" --posix-user Uid={},Gid={}", u.uid, u.gid))
                .unwrap_or_default();
            cx.broken(&RULE)
                .volume(v.name)
                .resource(ap_id)
                .message_with(|| format!(
                    "Access point {ap_id} roots at {path} without CreationInfo; EFS does not create the directory, so the mount fails with 'No such file or directory' unless {path} already exists on {}.",
                    ap.file_system_id
                ))
                .fix(format!(
                    "Create {path} on {} once, or replace {ap_id} (access points cannot be changed) with one that creates it and point volume '{}' at the new one: aws efs create-access-point --file-system-id {} --root-directory 'Path={path},CreationInfo={{OwnerUid={uid},OwnerGid={gid},Permissions=755}}'{posix_arg}",
                    ap.file_system_id, v.name, ap.file_system_id
                ))
        })
        .collect()
}
