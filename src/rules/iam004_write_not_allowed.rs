//! IAM004: a container mounts the volume read-write, but the client may not write
//! (`elasticfilesystem:ClientWrite`): EFS grants read-only access and writes fail.

use super::iam_mount::{mount_denied, resolve, unknown_reason, writers, Unresolved};
use super::{Context, Finding, Rule, Severity};
use crate::iam::{Decision, EfsAction};

pub(crate) static RULE: Rule = Rule {
    id: "IAM004",
    name: "write-not-allowed",
    severity: Severity::Warning,
    summary: "A mount point is read-write but the client may not write",
    doc: include_str!("../../rules/IAM004.md"),
    check,
};

/// "Container app mounts" / "Containers app, sidecar mount".
fn containers_mount(names: &[String]) -> String {
    match names {
        [one] => format!("Container {one} mounts"),
        many => format!("Containers {} mount", many.join(", ")),
    }
}

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .filter_map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            let writers = writers(cx, v);
            if writers.is_empty() {
                return Some(cx.pass(&RULE).volume(v.name).resource(fs_id).message_with(|| format!(
                    "No container mounts volume '{}' read-write.",
                    v.name
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
            let e = mount.evaluate(cx, EfsAction::ClientWrite);
            let who = mount.caller_text();
            let f = match e.decision {
                Decision::Unknown => cx.unknown(&RULE, &unknown_reason(&e)),
                Decision::Allowed => cx.pass(&RULE).message_with(|| format!(
                    "{} volume '{}' read-write, and {who} may write to {fs_id}: {}.",
                    containers_mount(&writers),
                    v.name,
                    mount.allowed_text(&e)
                )),
                Decision::ExplicitDeny | Decision::ImplicitDeny => cx
                    .broken(&RULE)
                    .message_with(|| format!(
                        "{} volume '{}' read-write, but {who} may not write to {fs_id}: {}. EFS grants read-only access, so writes fail.{}",
                        containers_mount(&writers),
                        v.name,
                        mount.denial(&e, EfsAction::ClientWrite),
                        mount.remarks(&e)
                    ))
                    .fix(mount.grant_fix(&e, EfsAction::ClientWrite, v.name, false)),
            };
            Some(f.volume(v.name).resource(fs_id))
        })
        .collect()
}
