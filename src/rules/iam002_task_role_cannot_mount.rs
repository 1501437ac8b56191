//! IAM002: with IAM authorization, nothing lets the task role mount the file system.

use super::iam_mount::{resolve, unknown_reason, writers, Unresolved};
use super::{Context, Finding, Rule, Severity};
use crate::iam::{Decision, EfsAction};

pub(crate) static RULE: Rule = Rule {
    id: "IAM002",
    name: "task-role-cannot-mount",
    severity: Severity::Error,
    summary: "IAM authorization is on and nothing allows the task role to mount the file system",
    doc: include_str!("../../rules/IAM002.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let mut out = Vec::new();
    for v in volumes.iter().filter(|v| v.config.iam()) {
        let mount = match resolve(cx, v) {
            Ok(m) => m,
            Err(Unresolved::NoTaskRole) => continue,
            Err(Unresolved::Missing(resource, m)) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(resource));
                continue;
            }
        };
        let Some(role) = mount.role() else { continue };
        let e = mount.evaluate(cx, EfsAction::ClientMount);
        let f = match e.decision {
            Decision::Unknown => cx.unknown(&RULE, &unknown_reason(&e)),
            Decision::Allowed => cx.pass(&RULE).message_with(|| {
                format!(
                    "Task role {} may mount {}: {}.",
                    role.role_name,
                    mount.fs_id(),
                    mount.allowed_text(&e)
                )
            }),
            Decision::ExplicitDeny | Decision::ImplicitDeny => {
                let exec = mount.execution_role_remark(
                    cx.task_definition()
                        .ok()
                        .and_then(|td| td.execution_role_arn.as_deref()),
                    EfsAction::ClientMount,
                );
                let writes = !writers(cx, v).is_empty();
                cx.broken(&RULE)
                    .message_with(|| format!(
                        "Volume '{}' mounts {} as task role {}, and {}; the mount fails with 'access denied by server'.{exec}{}",
                        v.name,
                        mount.fs_id(),
                        role.role_name,
                        mount.denial(&e, EfsAction::ClientMount),
                        mount.remarks(&e)
                    ))
                    .fix(mount.grant_fix(&e, EfsAction::ClientMount, v.name, writes))
            }
        };
        out.push(f.volume(v.name).resource(role.arn.clone()));
    }
    out
}
