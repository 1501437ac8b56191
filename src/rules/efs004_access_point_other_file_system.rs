//! EFS004: the access point belongs to another file system than the volume's.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "EFS004",
    name: "access-point-other-file-system",
    severity: Severity::Error,
    summary: "The access point belongs to a different file system",
    doc: include_str!("../../rules/EFS004.md"),
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
            let fs_id = v.config.file_system_id.as_str();
            // A file system id that cannot be resolved (an IaC value known only at deployment)
            // cannot be compared: equal expressions are equal, anything else is open.
            let unresolved = [ap.file_system_id.as_str(), fs_id].into_iter().find_map(|id| {
                match cx.graph.file_system(id) {
                    Err(m) if !cx.graph.file_system_known_absent(id) => Some(m),
                    _ => None,
                }
            });
            if ap.file_system_id == fs_id {
                cx.pass(&RULE).volume(v.name).resource(ap_id).message_with(|| format!(
                    "Access point {ap_id} belongs to file system {fs_id}."
                ))
            } else if let Some(m) = unresolved {
                cx.unknown(&RULE, &m).volume(v.name).resource(ap_id)
            } else {
                cx.broken(&RULE)
                    .volume(v.name)
                    .resource(ap_id)
                    .message_with(|| format!(
                        "Access point {ap_id} belongs to file system {}, not to {fs_id} named by volume '{}'; EFS refuses the mount.",
                        ap.file_system_id, v.name
                    ))
                    .fix(format!(
                        "Set fileSystemId of volume '{}' to {} (the access point's file system), or use an access point of {fs_id}.",
                        v.name, ap.file_system_id
                    ))
            }
        })
        .collect()
}
