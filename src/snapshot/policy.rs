//! Policy documents as they appear in a snapshot.
//!
//! AWS and the AWS CLI print the same IAM and EFS policies three ways: as a JSON object (the CLI
//! decodes them), as a JSON string (`describe-file-system-policy`), or as a URL-encoded JSON string
//! (the raw IAM API, RFC 3986). The loader accepts all three and keeps the decoded JSON value;
//! what the statements mean is `crate::iam`'s business, not this module's.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A decoded policy document (the JSON value of the policy).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyDocument(pub Value);

impl PolicyDocument {
    /// The decoded JSON.
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// Decodes a policy given as text: plain JSON, or URL-encoded JSON.
    pub fn from_text(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("the policy document is an empty string".to_owned());
        }
        let first_error = match serde_json::from_str::<Value>(trimmed) {
            Ok(v) => return Self::from_value(v),
            Err(e) => e,
        };
        // URL-encoded JSON as the IAM API returns it.
        if trimmed.contains('%') {
            let decoded: Cow<'_, str> = percent_encoding::percent_decode_str(trimmed)
                .decode_utf8()
                .map_err(|e| format!("the URL-encoded policy is not UTF-8: {e}"))?;
            if let Ok(v) = serde_json::from_str::<Value>(&decoded) {
                return Self::from_value(v);
            }
            // Form encoding uses '+' for spaces.
            let plus = trimmed.replace('+', "%20");
            let decoded = percent_encoding::percent_decode_str(&plus).decode_utf8_lossy();
            if let Ok(v) = serde_json::from_str::<Value>(&decoded) {
                return Self::from_value(v);
            }
        }
        Err(format!(
            "expected a policy document (a JSON object, a JSON string or a URL-encoded JSON string), but the string is not JSON: {first_error}"
        ))
    }

    /// Accepts an already decoded JSON value; it must be an object.
    pub fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Object(_) => Ok(Self(value)),
            Value::String(s) => Self::from_text(&s),
            other => Err(format!(
                "expected a policy document (a JSON object, a JSON string or a URL-encoded JSON string), found {}",
                kind(&other)
            )),
        }
    }

    /// The document as compact JSON text.
    pub fn to_json_string(&self) -> String {
        self.0.to_string()
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

impl<'de> Deserialize<'de> for PolicyDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(value).map_err(serde::de::Error::custom)
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Serializes a policy as a JSON string, as `aws efs describe-file-system-policy` prints it.
pub fn serialize_as_json_string<S: Serializer>(
    doc: &PolicyDocument,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&doc.to_json_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_object_string_and_url_encoded() {
        let obj: PolicyDocument =
            serde_json::from_str(r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
        let s: PolicyDocument =
            serde_json::from_str(r#""{\"Version\":\"2012-10-17\",\"Statement\":[]}""#).unwrap();
        let u: PolicyDocument = serde_json::from_str(
            r#""%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D""#,
        )
        .unwrap();
        assert_eq!(obj, s);
        assert_eq!(obj, u);
    }

    #[test]
    fn form_encoded_spaces() {
        let u = PolicyDocument::from_text("%7B%22Version%22%3A+%222012-10-17%22%7D").unwrap();
        assert_eq!(u.0["Version"], "2012-10-17");
    }

    #[test]
    fn rejects_non_policies() {
        assert!(PolicyDocument::from_text("not json").is_err());
        assert!(PolicyDocument::from_text("").is_err());
        assert!(PolicyDocument::from_value(Value::from(3)).is_err());
        assert!(PolicyDocument::from_text("[1,2]").is_err());
    }
}
