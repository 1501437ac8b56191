//! EFS003: the volume's access point does not exist.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "EFS003",
    name: "access-point-not-found",
    severity: Severity::Error,
    summary: "The access point does not exist",
    doc: include_str!("../../rules/EFS003.md"),
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
        .map(|(v, ap)| match cx.graph.access_point(ap) {
            Ok(_) => cx
                .pass(&RULE)
                .volume(v.name)
                .resource(ap)
                .message_with(|| format!("Access point {ap} exists.")),
            Err(_) if cx.graph.access_point_known_absent(ap) => cx
                .broken(&RULE)
                .volume(v.name)
                .resource(ap)
                .message_with(|| format!(
                    "Access point {ap} does not exist (deleted, mistyped, or in another Region or account); the mount is refused."
                ))
                .fix(format!(
                    "Point authorizationConfig.accessPointId of volume '{}' at an existing access point of {} (aws efs describe-access-points --file-system-id {}).",
                    v.name, v.config.file_system_id, v.config.file_system_id
                )),
            Err(m) => cx.unknown(&RULE, &m).volume(v.name).resource(ap),
        })
        .collect()
}
