//! AWS KMS collection: `DescribeKey` for the key of every encrypted file system read, so that
//! EFS009 can tell whether the key is usable.
//!
//! A key that does not exist (`NotFoundException`) is absent from the list; a key of another
//! account whose key policy does not let the caller describe it is a gap.

use std::collections::BTreeSet;

use futures::stream::{self, StreamExt};

use super::record::{Answer, ListBuilder};
use super::{owned, Ctx};
use crate::snapshot as model;

const KEY_NOT_FOUND: &[&str] = &["NotFoundException"];

/// Describes these keys (ids or ARNs, as the file systems name them).
pub(crate) async fn collect(cx: &Ctx, key_ids: &BTreeSet<String>) -> model::KmsState {
    if key_ids.is_empty() {
        return model::KmsState {
            keys: Some(Vec::new()),
        };
    }
    cx.rec
        .phase("reading the KMS keys of encrypted file systems");
    let answers: Vec<Answer<model::KeyMetadata>> = stream::iter(key_ids)
        .map(|id| describe_key(cx, id))
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut keys = ListBuilder::default();
    for answer in answers {
        keys.take(answer.map(|k| [k]));
    }
    model::KmsState {
        keys: keys.finish(),
    }
}

async fn describe_key(cx: &Ctx, id: &str) -> Answer<model::KeyMetadata> {
    let request = cx.kms.describe_key().key_id(id).send();
    match cx
        .rec
        .call(
            "kms:DescribeKey",
            Some(id.to_owned()),
            KEY_NOT_FOUND,
            request,
        )
        .await
    {
        Answer::Found(out) => match out.key_metadata() {
            Some(k) => Answer::Found(key(k)),
            None => Answer::Absent,
        },
        Answer::Absent => Answer::Absent,
        Answer::Failed => Answer::Failed,
    }
}

fn key(k: &aws_sdk_kms::types::KeyMetadata) -> model::KeyMetadata {
    model::KeyMetadata {
        key_id: k.key_id().to_owned(),
        arn: owned(k.arn()),
        key_state: k.key_state().map(|s| s.as_str().to_owned()),
        enabled: Some(k.enabled()),
        key_manager: k.key_manager().map(|m| m.as_str().to_owned()),
        deletion_date: k.deletion_date().and_then(|d| {
            d.fmt(aws_smithy_types::date_time::Format::DateTime)
                .ok()
                .map(serde_json::Value::String)
        }),
        aws_account_id: owned(k.aws_account_id()),
    }
}
