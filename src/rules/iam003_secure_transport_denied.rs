//! IAM003: the policies allow the mount only over TLS (or deny it without), and the volume has
//! transit encryption off.

use super::iam_mount::{resolve, unknown_reason, Unresolved};
use super::{Context, Finding, Rule, Severity};
use crate::iam::{capitalize, Decision, EfsAction};

pub(crate) static RULE: Rule = Rule {
    id: "IAM003",
    name: "secure-transport-denied",
    severity: Severity::Error,
    summary: "The mount is denied without TLS and transit encryption is off",
    doc: include_str!("../../rules/IAM003.md"),
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
            let fs_id = v.config.file_system_id.as_str();
            if v.config.tls() {
                return Some(cx.pass(&RULE).volume(v.name).resource(fs_id).message_with(|| format!(
                    "Volume '{}' uses transit encryption, so aws:SecureTransport is true when it mounts {fs_id}.",
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
            let plain = mount.evaluate_tls(cx, EfsAction::ClientMount, false);
            let over_tls = mount.evaluate_tls(cx, EfsAction::ClientMount, true);
            let who = mount.caller_text();
            let f = match (plain.decision, over_tls.decision) {
                (Decision::Unknown, _) => cx.unknown(&RULE, &unknown_reason(&plain)),
                (Decision::Allowed, _) => cx.pass(&RULE).message_with(|| format!(
                    "{} may mount {fs_id} without TLS: {}.",
                    capitalize(&who),
                    mount.allowed_text(&plain)
                )),
                (_, Decision::Unknown) => cx.unknown(&RULE, &unknown_reason(&over_tls)),
                (_, Decision::Allowed) => {
                    let why = if plain.decision == Decision::ExplicitDeny {
                        format!("{} denies the mount without TLS", plain.deciding_text())
                    } else if plain.unmet.is_empty() {
                        "the policies allow the mount only over TLS".to_owned()
                    } else {
                        format!("{} allows the mount only over TLS", plain.unmet_text())
                    };
                    cx.broken(&RULE)
                        .message_with(|| format!(
                            "Volume '{}' has transit encryption off, so aws:SecureTransport is false, and {why}; the mount of {fs_id} by {who} fails with 'access denied by server'.",
                            v.name
                        ))
                        .fix(format!(
                            "Set \"transitEncryption\": \"ENABLED\" in the efsVolumeConfiguration of volume '{}' and register a new task definition revision.",
                            v.name
                        ))
                }
                (_, _) => cx.pass(&RULE).message_with(|| format!(
                    "The mount of {fs_id} by {who} is denied with or without TLS, so aws:SecureTransport does not decide it."
                )),
            };
            Some(f.volume(v.name).resource(fs_id))
        })
        .collect()
}
