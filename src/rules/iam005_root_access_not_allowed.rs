//! IAM005: the access point acts as root (uid or gid 0), but the client may not
//! (`elasticfilesystem:ClientRootAccess`): EFS squashes root to an unprivileged user.

use super::iam_mount::{mount_denied, resolve, unknown_reason, Unresolved};
use super::{Context, Finding, Rule, Severity};
use crate::iam::{Decision, EfsAction};

pub(crate) static RULE: Rule = Rule {
    id: "IAM005",
    name: "root-access-not-allowed",
    severity: Severity::Warning,
    summary: "The access point's POSIX user is root but root access is not allowed",
    doc: include_str!("../../rules/IAM005.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .filter_map(|v| {
            let ap_id = v.config.access_point_id()?;
            let ap = match cx.graph.access_point(ap_id) {
                Ok(ap) => ap,
                Err(m) => return Some(cx.unknown(&RULE, &m).volume(v.name).resource(ap_id)),
            };
            // Without a POSIX user the access point enforces no identity: nothing to check.
            let user = ap.posix_user.as_ref()?;
            let identity = format!("uid {} gid {}", user.uid, user.gid);
            if user.uid != 0 && user.gid != 0 {
                return Some(cx.pass(&RULE).volume(v.name).resource(ap_id).message_with(|| format!(
                    "Access point {ap_id} enforces {identity}, so root access is not needed."
                )));
            }
            let mount = match resolve(cx, v) {
                Ok(m) => m,
                Err(Unresolved::NoTaskRole) => return None,
                Err(Unresolved::Missing(resource, m)) => {
                    return Some(cx.unknown(&RULE, &m).volume(v.name).resource(resource))
                }
            };
            // The mount itself is refused (IAM001-IAM003): no degraded mount to report.
            if mount_denied(cx, &mount) {
                return None;
            }
            let e = mount.evaluate(cx, EfsAction::ClientRootAccess);
            let who = mount.caller_text();
            let fs_id = mount.fs_id();
            let f = match e.decision {
                Decision::Unknown => cx.unknown(&RULE, &unknown_reason(&e)),
                Decision::Allowed => cx.pass(&RULE).message_with(|| format!(
                    "Access point {ap_id} enforces {identity}, and {who} may act as root on {fs_id}: {}.",
                    mount.allowed_text(&e)
                )),
                Decision::ExplicitDeny | Decision::ImplicitDeny => cx
                    .broken(&RULE)
                    .message_with(|| format!(
                        "Access point {ap_id} enforces {identity}, but {who} may not act as root on {fs_id}: {}. EFS squashes uid 0 and gid 0 to 65534 (root squashing), so files owned by root cannot be changed.{}",
                        mount.denial(&e, EfsAction::ClientRootAccess),
                        mount.remarks(&e)
                    ))
                    .fix(mount.grant_fix(&e, EfsAction::ClientRootAccess, v.name, false)),
            };
            Some(f.volume(v.name).resource(ap_id))
        })
        .collect()
}
