//! ECS004: an EFS access point needs transit encryption.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "ECS004",
    name: "access-point-without-transit-encryption",
    severity: Severity::Error,
    summary: "An access point is used without transit encryption",
    doc: include_str!("../../rules/ECS004.md"),
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
        .map(|(v, ap)| {
            if v.config.tls() {
                cx.pass(&RULE).volume(v.name).resource(ap).message_with(|| format!(
                    "Volume '{}' uses access point {ap} with transit encryption enabled.",
                    v.name
                ))
            } else {
                cx.broken(&RULE)
                    .volume(v.name)
                    .resource(ap)
                    .message_with(|| format!(
                        "Volume '{}' uses access point {ap} but transitEncryption is {}; EFS access points require TLS (the mount helper refuses \"accesspoint\" without \"tls\").",
                        v.name,
                        v.config.transit_encryption.as_deref().unwrap_or("not set")
                    ))
                    .fix(format!(
                        "Set \"transitEncryption\": \"ENABLED\" in the efsVolumeConfiguration of volume '{}' and register a new revision.",
                        v.name
                    ))
            }
        })
        .collect()
}
