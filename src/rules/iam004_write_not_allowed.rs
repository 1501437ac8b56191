//! IAM004: a container mounts the volume read-write, but the client may not write
//! (`elasticfilesystem:ClientWrite`): EFS grants read-only access and writes fail.

use super::iam_mount::{denied_only_without_tls, resolve, unknown_reason, writers, Unresolved};
use super::{Context, Finding, Rule, Severity};
use crate::iam::{capitalize, Decision, EfsAction};

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
                return Some(cx.pass(&RULE).volume(v.name).resource(fs_id).message(format!(
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
            let e = mount.evaluate(EfsAction::ClientWrite);
            let who = mount.caller_text();
            let f = match e.decision {
                Decision::Unknown => cx.unknown(&RULE, &unknown_reason(&e)),
                Decision::Allowed => cx.pass(&RULE).message(format!(
                    "{} volume '{}' read-write, and {who} may write to {fs_id}: {}.",
                    containers_mount(&writers),
                    v.name,
                    mount.allowed_text(&e)
                )),
                // Refused only for want of TLS, as the mount itself: IAM003 reports it once.
                Decision::ExplicitDeny | Decision::ImplicitDeny
                    if denied_only_without_tls(&mount, EfsAction::ClientWrite) =>
                {
                    cx.pass(&RULE).message(format!(
                        "{} may write to {fs_id} over TLS. Volume '{}' has transit encryption off, and without TLS {}; IAM003 reports that, with the fix.",
                        capitalize(&mount.caller_text()),
                        v.name,
                        mount.denial(&e, EfsAction::ClientWrite)
                    ))
                }
                Decision::ExplicitDeny | Decision::ImplicitDeny => cx
                    .broken(&RULE)
                    .message(format!(
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
