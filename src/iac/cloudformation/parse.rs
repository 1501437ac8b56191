//! Reading a template (JSON, or YAML with short-form tags rewritten to the long JSON form)
//! and `--parameters` files and pairs.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value as Json;

use crate::iac::{locate, IacError};

/// Reads `--parameters` arguments: JSON files (`[{"ParameterKey": .., "ParameterValue": ..}]`,
/// `{"Key": "Value"}` or `{"Parameters": {...}}`) and `Key=Value` pairs, later ones winning.
pub fn read_parameters(args: &[String]) -> Result<HashMap<String, String>, IacError> {
    let mut out = HashMap::new();
    for arg in args {
        let path = Path::new(arg);
        if !path.exists() {
            if let Some((k, v)) = arg.split_once('=') {
                out.insert(k.trim().to_owned(), v.to_owned());
                continue;
            }
        }
        let name = path.display().to_string();
        let text = crate::snapshot::read_text(path).map_err(IacError::from)?;
        let doc: Json = crate::snapshot::parse_typed(&text, &name).map_err(IacError::from)?;
        let wrong = || {
            IacError::Invalid {
            path: name.clone(),
            line: 1,
            column: 1,
            message: "expected CloudFormation parameters: [{\"ParameterKey\": \"K\", \"ParameterValue\": \"V\"}] or {\"K\": \"V\"}".to_owned(),
        }
        };
        let doc = doc.get("Parameters").cloned().unwrap_or(doc);
        match doc {
            Json::Array(items) => {
                for item in items {
                    let key = item
                        .get("ParameterKey")
                        .and_then(Json::as_str)
                        .ok_or_else(wrong)?;
                    if let Some(v) = item.get("ParameterValue") {
                        out.insert(key.to_owned(), scalar_text(v));
                    }
                }
            }
            Json::Object(map) => {
                for (k, v) in map {
                    out.insert(k, scalar_text(&v));
                }
            }
            _ => return Err(wrong()),
        }
    }
    Ok(out)
}

pub(super) fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Parses a template (JSON, or YAML with short-form tags) into long-form JSON.
pub fn parse_template(text: &str, name: &str) -> Result<Json, IacError> {
    let first = text.trim_start().chars().next();
    let doc = if first == Some('{') {
        crate::snapshot::parse_typed::<Json>(text, name).map_err(IacError::from)?
    } else {
        let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            IacError::Invalid {
                path: name.to_owned(),
                line,
                column,
                message: format!("not valid YAML: {e}"),
            }
        })?;
        yaml_to_json(&yaml)
    };
    if !doc.is_object() {
        return Err(IacError::Invalid {
            path: name.to_owned(),
            line: 1,
            column: 1,
            message: "expected a CloudFormation template (a mapping with `Resources`)".to_owned(),
        });
    }
    if doc.get("Resources").and_then(Json::as_object).is_none() {
        let (line, column) = locate(text, "Resources");
        return Err(IacError::Invalid {
            path: name.to_owned(),
            line,
            column,
            message: "not a CloudFormation template: `Resources` is missing or not a mapping"
                .to_owned(),
        });
    }
    Ok(doc)
}

/// Rewrites YAML short-form tags into the long form: `!Ref X` -> `{"Ref": "X"}`,
/// `!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`, `!Condition C` -> `{"Condition": "C"}`,
/// `!Name v` -> `{"Fn::Name": v}`.
#[allow(clippy::many_single_char_names)] // v, t, s, a, b: a value, its tag, its text and halves
pub fn yaml_to_json(v: &yaml_serde::Value) -> Json {
    use yaml_serde::Value as Y;
    match v {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Json::Null, Json::Number)
            }
        }
        Y::String(s) => Json::String(s.clone()),
        Y::Sequence(items) => Json::Array(items.iter().map(yaml_to_json).collect()),
        Y::Mapping(m) => Json::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        other => match yaml_to_json(other) {
                            Json::String(s) => s,
                            j => j.to_string(),
                        },
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let inner = yaml_to_json(&t.value);
            let (key, value) = match tag {
                "Ref" => ("Ref".to_owned(), inner),
                "Condition" => ("Condition".to_owned(), inner),
                "GetAtt" => (
                    "Fn::GetAtt".to_owned(),
                    match inner {
                        Json::String(s) => match s.split_once('.') {
                            Some((a, b)) => Json::Array(vec![Json::from(a), Json::from(b)]),
                            None => Json::String(s),
                        },
                        other => other,
                    },
                ),
                other => (format!("Fn::{other}"), inner),
            };
            let mut m = serde_json::Map::new();
            m.insert(key, value);
            Json::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_short_tags_become_long_form() {
        let doc = parse_template(
            "Resources:\n  X:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      AvailabilityZone: !Select [0, !GetAZs '']\n      CidrBlock: !GetAtt Vpc.CidrBlock\n      Tags:\n        - Key: n\n          Value: !Sub '${AWS::StackName}-x'\n",
            "t.yaml",
        )
        .unwrap();
        let props = &doc["Resources"]["X"]["Properties"];
        assert_eq!(props["VpcId"], serde_json::json!({"Ref": "Vpc"}));
        assert_eq!(
            props["AvailabilityZone"],
            serde_json::json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(
            props["CidrBlock"],
            serde_json::json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]})
        );
        assert_eq!(
            props["Tags"][0]["Value"],
            serde_json::json!({"Fn::Sub": "${AWS::StackName}-x"})
        );
    }

    #[test]
    fn malformed_templates_are_located() {
        let e = parse_template("Resources:\n  X: [\n", "t.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.yaml:"), "{e}");
        assert!(e.contains("not valid YAML"), "{e}");
        let e = parse_template("Outputs: {}\n", "t.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`Resources` is missing"), "{e}");
        let e = parse_template("{\"Resources\": {\n  \"X\": }", "t.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.json:2:"), "{e}");
    }

    #[test]
    fn parameters_files_and_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        std::fs::write(&a, r#"[{"ParameterKey":"Env","ParameterValue":"dev"}]"#).unwrap();
        let b = dir.path().join("b.json");
        std::fs::write(&b, r#"{"Subnets":["subnet-1","subnet-2"]}"#).unwrap();
        let p = read_parameters(&[
            a.display().to_string(),
            b.display().to_string(),
            "Extra=x=y".to_owned(),
        ])
        .unwrap();
        assert_eq!(p.get("Env").map(String::as_str), Some("dev"));
        assert_eq!(
            p.get("Subnets").map(String::as_str),
            Some("subnet-1,subnet-2")
        );
        assert_eq!(p.get("Extra").map(String::as_str), Some("x=y"));
        assert!(read_parameters(&["missing-file.json".to_owned()]).is_err());
    }
}
