//! IAM001: without IAM authorization the client is anonymous, and the file-system policy does not
//! let anonymous clients mount.

use super::iam_mount::{denied_only_without_tls, resolve, unknown_reason, Unresolved};
use super::{Context, Finding, Rule, Severity};
use crate::iam::{Decision, EfsAction, Mount};

pub(crate) static RULE: Rule = Rule {
    id: "IAM001",
    name: "anonymous-mount-denied",
    severity: Severity::Error,
    summary: "The file-system policy does not let anonymous clients mount",
    doc: include_str!("../../rules/IAM001.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .filter(|v| !v.config.iam())
        .filter_map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            let mount = match resolve(cx, v) {
                Ok(m) => m,
                Err(Unresolved::Missing(resource, m)) => {
                    return Some(cx.unknown(&RULE, &m).volume(v.name).resource(resource))
                }
                // Only with `iam` ENABLED, which this rule skips.
                Err(Unresolved::NoTaskRole) => return None,
            };
            let e = mount.evaluate(cx, EfsAction::ClientMount);
            let f = match e.decision {
                Decision::Unknown => cx.unknown(&RULE, &unknown_reason(&e)),
                Decision::Allowed => cx.pass(&RULE).message_with(|| format!(
                    "The anonymous NFS client may mount {fs_id}: {}.",
                    mount.allowed_text(&e)
                )),
                // Denied only for want of TLS: IAM003 reports it, with the fix that works.
                Decision::ExplicitDeny | Decision::ImplicitDeny
                    if denied_only_without_tls(cx, &mount, EfsAction::ClientMount) =>
                {
                    let over_tls = mount.evaluate_tls(cx, EfsAction::ClientMount, true);
                    cx.pass(&RULE).message_with(|| format!(
                        "The anonymous NFS client may mount {fs_id} over TLS: {}. Volume '{}' has transit encryption off, and without TLS {}; IAM003 reports that, with the fix.",
                        mount.allowed_text(&over_tls),
                        v.name,
                        mount.denial(&e, EfsAction::ClientMount)
                    ))
                }
                Decision::ExplicitDeny | Decision::ImplicitDeny => {
                    let exec = mount.execution_role_remark(
                    cx.task_definition().ok().and_then(|td| td.execution_role_arn.as_deref()),
                    EfsAction::ClientMount,
                );
                    // CDK's and the console's "prevent anonymous access" policies allow write
                    // and root access but no ClientMount, which every mount needs.
                    let others: Vec<&str> = [EfsAction::ClientWrite, EfsAction::ClientRootAccess]
                        .into_iter()
                        .filter(|a| mount.evaluate(cx, *a).decision == Decision::Allowed)
                        .map(EfsAction::iam_name)
                        .collect();
                    let others = if others.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " It allows anonymous clients {}, but every mount needs elasticfilesystem:ClientMount first.",
                            others.join(" and ")
                        )
                    };
                    cx.broken(&RULE)
                        .message_with(|| format!(
                            "Volume '{}' mounts {fs_id} without IAM authorization, so EFS sees an anonymous client, and {}; the mount fails with 'access denied by server'.{others}{exec}{}",
                            v.name,
                            mount.denial(&e, EfsAction::ClientMount),
                            mount.remarks(&e)
                        ))
                        .fix(
                            // A deny to narrow, or transit encryption alone, comes first.
                            (e.decision == Decision::ImplicitDeny
                                && mount.evaluate_tls(cx, EfsAction::ClientMount, true).decision
                                    != Decision::Allowed)
                                .then(|| role_fix(cx, &mount, v.name))
                                .flatten()
                                .unwrap_or_else(|| {
                                    mount.grant_fix(&e, EfsAction::ClientMount, v.name, false)
                                }),
                        )
                }
            };
            Some(f.volume(v.name).resource(fs_id))
        })
        .collect()
}

/// When the file-system policy grants `ClientMount` to IAM roles only (by role ARN or
/// `aws:PrincipalArn`), it means "only these roles": the fix is to mount as one of them with IAM
/// authorization (which needs transit encryption), not to open the file system to every
/// anonymous client.
fn role_fix(cx: &Context<'_>, mount: &Mount<'_>, volume: &str) -> Option<String> {
    let td = cx.task_definition().ok();
    // A grant to the execution role is a mistake of its own: that role never mounts.
    let execution_role = td.and_then(|td| td.execution_role_arn.as_deref());
    let roles: Vec<String> = mount
        .roles_granted(EfsAction::ClientMount)
        .into_iter()
        .filter(|r| Some(r.as_str()) != execution_role)
        .collect();
    if roles.is_empty() {
        return None;
    }
    let task_role = td
        .and_then(|td| td.task_role_arn.as_deref())
        .filter(|r| !r.is_empty());
    let enable = format!(
        "Enable IAM authorization on volume '{volume}' (\"transitEncryption\": \"ENABLED\" and \"authorizationConfig\": {{\"iam\": \"ENABLED\"}})"
    );
    Some(match task_role {
        Some(arn) if roles.iter().any(|r| r == arn) => format!(
            "{enable} and register a new task definition revision: the file-system policy of {} grants the task role {arn}, not anonymous clients.",
            mount.fs_id()
        ),
        _ => {
            // A pattern (`ArnLike` on aws:PrincipalArn) names no role to point at.
            let role = roles.iter().find(|r| !r.contains(['*', '?'])).map_or_else(
                || format!("a role that matches {}", roles[0]),
                Clone::clone,
            );
            format!(
                "{enable}, set taskRoleArn to {role} and register a new task definition revision: the file-system policy of {} grants {}, not anonymous clients.",
                mount.fs_id(),
                roles.join(", ")
            )
        }
    })
}
