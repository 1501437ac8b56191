//! The request context: the condition keys of one request and their values, as far as they can
//! be known before the request is made.
//!
//! A key is present with values, present but known only up to a prefix (an ECS task ARN before
//! the task id exists), absent (conditions on it behave as AWS documents for missing keys), or
//! unknown (it exists in the real request, but its value cannot be known offline). Unlisted
//! global keys (`aws:*`) are unknown: AWS adds many of them to every request (time, source IP,
//! tags). Unlisted service keys are absent: a service only adds its own keys
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>).

use std::borrow::Cow;

/// The value of one key in a request context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    /// Present, with these values (one for single-valued keys).
    Values(Vec<String>),
    /// Present, one value that starts with this prefix; the rest is not known yet.
    Prefix(String),
    /// Not in the request.
    Absent,
    /// In the request, value not knowable offline; the text says why.
    Unknown(String),
}

/// The keys of one request.
///
/// A request has a dozen keys or so: a list searched with a case-insensitive comparison costs
/// less than lowercased copies of every key set and looked up.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    keys: Vec<(String, KeyValue)>,
    prefixes: Vec<(String, KeyValue)>,
}

impl RequestContext {
    /// An empty context: every global key unknown, every service key absent.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key (case-insensitive).
    pub fn set(&mut self, key: &str, value: KeyValue) -> &mut Self {
        match self
            .keys
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some((_, v)) => *v = value,
            None => self.keys.push((key.to_ascii_lowercase(), value)),
        }
        self
    }

    /// Sets a key to one string value.
    pub fn set_value(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.set(key, KeyValue::Values(vec![value.into()]))
    }

    /// Sets every key that starts with `prefix` (`aws:PrincipalTag/`), unless set by name.
    pub fn set_prefix(&mut self, prefix: &str, value: KeyValue) -> &mut Self {
        self.prefixes.push((prefix.to_ascii_lowercase(), value));
        self
    }

    /// The value of a key as this request has it.
    pub fn lookup(&self, key: &str) -> KeyValue {
        self.get(key).into_owned()
    }

    /// [`RequestContext::lookup`], borrowing the values this context holds.
    pub(crate) fn get(&self, key: &str) -> Cow<'_, KeyValue> {
        if let Some((_, v)) = self.keys.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            return Cow::Borrowed(v);
        }
        if let Some((_, v)) = self
            .prefixes
            .iter()
            .find(|(p, _)| starts_with_ignore_ascii_case(key, p))
        {
            return Cow::Borrowed(v);
        }
        if starts_with_ignore_ascii_case(key, "aws:") {
            Cow::Owned(KeyValue::Unknown(format!(
                "{key} is not known before the request is made"
            )))
        } else {
            Cow::Owned(KeyValue::Absent)
        }
    }
}

/// `text.to_ascii_lowercase().starts_with(prefix)` for a lowercase `prefix`, without the copy.
fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_unlisted_keys_follow_their_namespace() {
        let mut cx = RequestContext::new();
        cx.set_value("aws:SecureTransport", "true")
            .set_prefix("aws:PrincipalTag/", KeyValue::Absent);
        assert_eq!(
            cx.lookup("AWS:securetransport"),
            KeyValue::Values(vec!["true".into()])
        );
        assert_eq!(cx.lookup("aws:PrincipalTag/team"), KeyValue::Absent);
        assert!(matches!(cx.lookup("aws:SourceVpc"), KeyValue::Unknown(_)));
        assert_eq!(cx.lookup("s3:prefix"), KeyValue::Absent);
    }
}
