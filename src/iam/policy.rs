//! Typed IAM policies, parsed from the JSON value of a policy document.
//!
//! The grammar is AWS's (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>):
//! `Statement` is an object or an array of them; `Action`/`NotAction`, `Resource`/`NotResource`
//! are a string or an array of strings; `Principal`/`NotPrincipal` is `"*"` or an object mapping
//! `AWS`, `Service`, `Federated`, `CanonicalUser` to a string or an array; `Condition` maps an
//! operator to keys to one value or an array of values. Condition values may be written as JSON
//! strings, booleans or numbers; they are kept as strings, which is how AWS compares them.
//!
//! A document that does not follow the grammar gives a [`PolicyError`] naming the statement and
//! the element, never a panic; callers report it as "cannot decide".

use std::fmt;

use serde_json::{Map, Value};

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `Version` (`2012-10-17`, `2008-10-17`), when present.
    pub version: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Grants the actions.
    Allow,
    /// Denies the actions; an applicable explicit deny wins over every allow.
    Deny,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in the document, from 0.
    pub index: usize,
    /// `Sid`, when present.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` / `NotPrincipal`; absent in identity policies.
    pub principal: Option<PrincipalElement>,
    /// `Action` / `NotAction`.
    pub action: Selector,
    /// `Resource` / `NotResource`; absent in trust policies (the role itself is the resource).
    pub resource: Option<Selector>,
    /// `Condition`, flattened to one entry per operator and key; all must hold.
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// The statement's name for messages: its `Sid`, else its position (`#1` for the first).
    pub fn label(&self) -> String {
        match self.sid.as_deref().filter(|s| !s.is_empty()) {
            Some(sid) => format!("\"{sid}\""),
            None => format!("#{}", self.index + 1),
        }
    }
}

/// `Action` or `NotAction`, `Resource` or `NotResource`: patterns, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// `NotAction` / `NotResource`: the statement applies to everything the patterns do not match.
    pub negated: bool,
    /// The patterns (IAM wildcards).
    pub patterns: Vec<String>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalElement {
    /// `NotPrincipal`.
    pub negated: bool,
    /// Who is named.
    pub principals: Principals,
}

/// The principals a `Principal` element names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// `"Principal": "*"`: everyone, anonymous included.
    Everyone,
    /// `{"AWS": [...], "Service": [...], ...}`.
    Listed(Vec<PrincipalId>),
}

/// One entry of a `Principal` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalId {
    /// The key (`AWS`, `Service`, `Federated`, `CanonicalUser`).
    pub kind: PrincipalKind,
    /// The value: an ARN, an account id, a unique id, a service name, or `*`.
    pub value: String,
}

/// The key of a `Principal` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `AWS`: accounts, users, roles, role sessions, or `*`.
    Aws,
    /// `Service`: an AWS service (`ecs-tasks.amazonaws.com`).
    Service,
    /// `Federated`: an identity provider.
    Federated,
    /// `CanonicalUser`: an S3 canonical user id.
    CanonicalUser,
    /// Any other key, kept as written.
    Other(String),
}

/// One condition: an operator on one key with one or more values (any of them may match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub operator: String,
    /// The context key as written (`aws:SecureTransport`); keys compare case-insensitively.
    pub key: String,
    /// The values, as strings.
    pub values: Vec<String>,
}

/// Why a document is not a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(String);

impl PolicyError {
    fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PolicyError {}

impl Policy {
    /// Parses the JSON value of a policy document.
    pub fn parse(value: &Value) -> Result<Policy, PolicyError> {
        let obj = value.as_object().ok_or_else(|| {
            PolicyError::new(format!("the policy is {}, not an object", kind(value)))
        })?;
        let version = match obj.get("Version") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(other) => {
                return Err(PolicyError::new(format!(
                    "Version is {}, not a string",
                    kind(other)
                )))
            }
        };
        let raw = match obj.get("Statement") {
            None => return Err(PolicyError::new("the policy has no Statement")),
            Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
            Some(v @ Value::Object(_)) => vec![v],
            Some(other) => {
                return Err(PolicyError::new(format!(
                    "Statement is {}, not an object or an array",
                    kind(other)
                )))
            }
        };
        let statements = raw
            .into_iter()
            .enumerate()
            .map(|(index, v)| parse_statement(index, v))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Policy {
            version,
            statements,
        })
    }
}

fn parse_statement(index: usize, value: &Value) -> Result<Statement, PolicyError> {
    let at = |msg: String| PolicyError::new(format!("statement #{}: {msg}", index + 1));
    let obj = value
        .as_object()
        .ok_or_else(|| at(format!("is {}, not an object", kind(value))))?;
    let sid = match obj.get("Sid") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(at(format!("Sid is {}, not a string", kind(other)))),
    };
    let effect = match obj.get("Effect") {
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(Value::String(s)) => return Err(at(format!("Effect is \"{s}\", not Allow or Deny"))),
        Some(other) => return Err(at(format!("Effect is {}, not a string", kind(other)))),
        None => return Err(at("has no Effect".into())),
    };
    let action = selector(obj, "Action", "NotAction")
        .map_err(at)?
        .ok_or_else(|| at("has neither Action nor NotAction".into()))?;
    let resource = selector(obj, "Resource", "NotResource").map_err(at)?;
    let principal = principal_element(obj).map_err(at)?;
    let conditions = match obj.get("Condition") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => conditions(v).map_err(at)?,
    };
    Ok(Statement {
        index,
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

fn selector(obj: &Map<String, Value>, plain: &str, not: &str) -> Result<Option<Selector>, String> {
    match (obj.get(plain), obj.get(not)) {
        (Some(_), Some(_)) => Err(format!("has both {plain} and {not}")),
        (Some(v), None) => Ok(Some(Selector {
            negated: false,
            patterns: strings(v).map_err(|e| format!("{plain} {e}"))?,
        })),
        (None, Some(v)) => Ok(Some(Selector {
            negated: true,
            patterns: strings(v).map_err(|e| format!("{not} {e}"))?,
        })),
        (None, None) => Ok(None),
    }
}

fn principal_element(obj: &Map<String, Value>) -> Result<Option<PrincipalElement>, String> {
    let (negated, value, name) = match (obj.get("Principal"), obj.get("NotPrincipal")) {
        (Some(_), Some(_)) => return Err("has both Principal and NotPrincipal".into()),
        (Some(v), None) => (false, v, "Principal"),
        (None, Some(v)) => (true, v, "NotPrincipal"),
        (None, None) => return Ok(None),
    };
    let principals = match value {
        Value::String(s) if s == "*" => Principals::Everyone,
        Value::Object(map) => {
            let mut ids = Vec::new();
            for (key, v) in map {
                let kind = match key.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    other => PrincipalKind::Other(other.to_owned()),
                };
                for value in strings(v).map_err(|e| format!("{name}.{key} {e}"))? {
                    ids.push(PrincipalId {
                        kind: kind.clone(),
                        value,
                    });
                }
            }
            Principals::Listed(ids)
        }
        Value::String(s) => {
            return Err(format!(
                "{name} is the string \"{s}\"; only \"*\" may be written without an object"
            ))
        }
        other => return Err(format!("{name} is {}, not \"*\" or an object", kind(other))),
    };
    Ok(Some(PrincipalElement {
        negated,
        principals,
    }))
}

fn conditions(value: &Value) -> Result<Vec<Condition>, String> {
    let ops = value
        .as_object()
        .ok_or_else(|| format!("Condition is {}, not an object", kind(value)))?;
    let mut out = Vec::new();
    for (operator, keys) in ops {
        let keys = keys
            .as_object()
            .ok_or_else(|| format!("Condition.{operator} is {}, not an object", kind(keys)))?;
        for (key, values) in keys {
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values: scalars(values).map_err(|e| format!("Condition.{operator}.{key} {e}"))?,
            });
        }
    }
    Ok(out)
}

/// A string or an array of strings.
fn strings(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!("holds {}, not a string", kind(other))),
            })
            .collect(),
        other => Err(format!(
            "is {}, not a string or an array of strings",
            kind(other)
        )),
    }
}

/// A condition value: a string, boolean or number, or an array of them, as strings.
fn scalars(value: &Value) -> Result<Vec<String>, String> {
    fn one(v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(format!(
                "holds {}, not a string, boolean or number",
                kind(other)
            )),
        }
    }
    match value {
        Value::Array(items) => items.iter().map(one).collect(),
        v => one(v).map(|s| vec![s]),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn single_statement_object_and_string_elements() {
        let p = Policy::parse(&json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "elasticfilesystem:ClientMount", "Resource": "*"}
        }))
        .unwrap();
        assert_eq!(p.version.as_deref(), Some("2012-10-17"));
        assert_eq!(p.statements.len(), 1);
        let s = &p.statements[0];
        assert_eq!(s.effect, Effect::Allow);
        assert!(!s.action.negated);
        assert_eq!(s.action.patterns, vec!["elasticfilesystem:ClientMount"]);
        assert_eq!(s.resource.as_ref().unwrap().patterns, vec!["*"]);
        assert!(s.principal.is_none());
        assert_eq!(s.label(), "#1");
    }

    #[test]
    fn principals_conditions_and_negations() {
        let p = Policy::parse(&json!({
            "Statement": [
                {"Sid": "a", "Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::1:root", "arn:aws:iam::1:role/r"], "Service": "ecs-tasks.amazonaws.com"},
                 "NotAction": ["s3:*"], "NotResource": "arn:aws:s3:::b",
                 "Condition": {"Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"x:n": [1, 2.5]}}},
                {"Effect": "Allow", "Principal": "*", "Action": "*"}
            ]
        }))
        .unwrap();
        let s = &p.statements[0];
        assert_eq!(s.label(), "\"a\"");
        let pr = s.principal.as_ref().unwrap();
        assert!(pr.negated);
        let Principals::Listed(ids) = &pr.principals else {
            panic!("listed")
        };
        assert_eq!(ids.len(), 3);
        assert_eq!(ids[2].kind, PrincipalKind::Service);
        assert!(s.action.negated);
        assert!(s.resource.as_ref().unwrap().negated);
        assert_eq!(s.conditions.len(), 2);
        assert_eq!(s.conditions[0].values, vec!["false"]);
        assert_eq!(s.conditions[1].values, vec!["1", "2.5"]);
        assert_eq!(
            p.statements[1].principal.as_ref().unwrap().principals,
            Principals::Everyone
        );
        assert_eq!(p.statements[1].resource, None);
    }

    #[test]
    fn malformed_documents_are_errors_naming_the_place() {
        let cases = [
            (json!([]), "the policy is an array, not an object"),
            (json!({"Version": "2012-10-17"}), "the policy has no Statement"),
            (json!({"Statement": "x"}), "Statement is a string, not an object or an array"),
            (json!({"Statement": [{"Action": "*"}]}), "statement #1: has no Effect"),
            (json!({"Statement": [{"Effect": "allow", "Action": "*"}]}), "statement #1: Effect is \"allow\", not Allow or Deny"),
            (json!({"Statement": [{"Effect": "Allow"}]}), "statement #1: has neither Action nor NotAction"),
            (json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*"}]}), "statement #1: has both Action and NotAction"),
            (json!({"Statement": [{"Effect": "Allow", "Action": [1]}]}), "statement #1: Action holds a number, not a string"),
            (json!({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": "arn:aws:iam::1:root"}]}), "statement #1: Principal is the string \"arn:aws:iam::1:root\"; only \"*\" may be written without an object"),
            (json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"Bool": "x"}}]}), "statement #1: Condition.Bool is a string, not an object"),
            (json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"Bool": {"k": {"a": 1}}}}]}), "statement #1: Condition.Bool.k holds an object, not a string, boolean or number"),
            (json!({"Statement": [{}, 3]}), "statement #1: has no Effect"),
        ];
        for (doc, want) in cases {
            assert_eq!(Policy::parse(&doc).unwrap_err().to_string(), want, "{doc}");
        }
    }
}
