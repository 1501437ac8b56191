//! EFS005: the access point is not `available`.

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "EFS005",
    name: "access-point-not-available",
    severity: Severity::Error,
    summary: "The access point is not in the available state",
    doc: include_str!("../../rules/EFS005.md"),
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
            match ap.life_cycle_state.as_deref() {
                Some("available") => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(ap_id)
                    .message_with(|| format!("Access point {ap_id} is available.")),
                Some(state) => {
                    let fs_id = ap.file_system_id.as_str();
                    let transient = matches!(state, "creating" | "updating");
                    let fix = match state {
                        "creating" | "updating" => format!(
                            "Wait until access point {ap_id} is available (aws efs describe-access-points --access-point-id {ap_id} --query 'AccessPoints[0].LifeCycleState'), then start the tasks."
                        ),
                        _ => format!(
                            "Point authorizationConfig.accessPointId of volume '{}' at an available access point of {fs_id} (aws efs describe-access-points --file-system-id {fs_id}).",
                            v.name
                        ),
                    };
                    cx.broken(&RULE)
                        .volume(v.name)
                        .resource(ap_id)
                        .message_with(|| format!(
                            "Access point {ap_id} has LifeCycleState {state}, not available; mounts through it fail{}.",
                            if transient { " until it is available" } else { "" }
                        ))
                        .fix(fix)
                }
                None => cx
                    .unknown(&RULE, &Missing::new(format!("access point {ap_id} has no LifeCycleState in the collected state")))
                    .volume(v.name)
                    .resource(ap_id),
            }
        })
        .collect()
}
