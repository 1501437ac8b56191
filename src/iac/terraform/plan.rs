//! Reading a plan: the resource instances of `planned_values` (root and child modules), with
//! `resource_changes[].change.after_unknown` marking what is known only after apply.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value as Json;

use super::Instance;
use crate::iac::value::Val;

/// `resource_changes` by address (current objects only; deposed ones are being destroyed).
pub(super) fn index_changes(doc: &Json) -> HashMap<String, Json> {
    let mut out = HashMap::new();
    for c in doc
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if c.get("deposed").is_some() {
            continue;
        }
        if let Some(addr) = c.get("address").and_then(Json::as_str) {
            out.insert(addr.to_owned(), c.clone());
        }
    }
    out
}

pub(super) fn collect_module(
    module: &Json,
    prefix: &str,
    config_path: &[String],
    changes: &HashMap<String, Json>,
    out: &mut Vec<Instance>,
) {
    for r in module
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(address), Some(rtype), Some(name)) = (
            r.get("address").and_then(Json::as_str),
            r.get("type").and_then(Json::as_str),
            r.get("name").and_then(Json::as_str),
        ) else {
            continue;
        };
        let change = changes.get(address).and_then(|c| c.get("change"));
        let after = change
            .and_then(|c| c.get("after"))
            .filter(|a| !a.is_null())
            .or_else(|| r.get("values"))
            .unwrap_or(&Json::Null);
        let unknown = change
            .and_then(|c| c.get("after_unknown"))
            .unwrap_or(&Json::Null);
        out.push(Instance {
            address: address.to_owned(),
            module_prefix: prefix.to_owned(),
            config_path: config_path.to_vec(),
            managed: r.get("mode").and_then(Json::as_str) != Some("data"),
            rtype: rtype.to_owned(),
            name: name.to_owned(),
            index: r.get("index").cloned(),
            values: merge_unknown(after, unknown),
        });
    }
    for child in module
        .get("child_modules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let Some(addr) = child.get("address").and_then(Json::as_str) else {
            continue;
        };
        // module.a[0].module.b -> ["a", "b"]
        let path: Vec<String> = addr
            .split("module.")
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s = s.trim_end_matches('.');
                s.split('[').next().unwrap_or(s).to_owned()
            })
            .collect();
        collect_module(child, &format!("{addr}."), &path, changes, out);
    }
}

/// Combines `after` with `after_unknown` (same shape, `true` at unknown leaves).
pub(super) fn merge_unknown(after: &Json, unknown: &Json) -> Val {
    if unknown == &Json::Bool(true) {
        return Val::Unknown(String::new());
    }
    match (after, unknown) {
        (Json::Object(a), _) => {
            let mut m: BTreeMap<String, Val> = a
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        merge_unknown(v, unknown.get(k).unwrap_or(&Json::Null)),
                    )
                })
                .collect();
            if let Json::Object(u) = unknown {
                for (k, v) in u {
                    if !m.contains_key(k) {
                        m.insert(k.clone(), merge_unknown(&Json::Null, v));
                    }
                }
            }
            Val::Map(m)
        }
        (Json::Array(a), _) => {
            let u = unknown.as_array();
            let len = a.len().max(u.map_or(0, Vec::len));
            Val::List(
                (0..len)
                    .map(|i| {
                        merge_unknown(
                            a.get(i).unwrap_or(&Json::Null),
                            u.and_then(|u| u.get(i)).unwrap_or(&Json::Null),
                        )
                    })
                    .collect(),
            )
        }
        (Json::Null, Json::Object(u)) => Val::Map(
            u.iter()
                .map(|(k, v)| (k.clone(), merge_unknown(&Json::Null, v)))
                .collect(),
        ),
        (Json::Null, Json::Array(u)) => {
            Val::List(u.iter().map(|v| merge_unknown(&Json::Null, v)).collect())
        }
        (other, _) => Val::from_json(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_leaves_merge_into_the_value() {
        let v = merge_unknown(
            &serde_json::json!({"subnets": [null, "subnet-1"], "name": "x"}),
            &serde_json::json!({"subnets": [true], "id": true}),
        );
        assert_eq!(
            v.field("subnets"),
            Val::List(vec![
                Val::Unknown(String::new()),
                Val::Str("subnet-1".into())
            ])
        );
        assert_eq!(v.field("id"), Val::Unknown(String::new()));
        assert_eq!(v.field("name"), Val::Str("x".into()));
    }
}
