//! Live collection glue: turns command-line options into a collection request. The AWS calls
//! themselves live in `collect` (the only module that links the AWS SDK).

use anyhow::Result;

use crate::app::AwsUnreadable;
use crate::cli::{CheckArgs, SnapshotArgs};
use crate::predeploy::PreDeploy;
use crate::snapshot::Snapshot;

/// Collects what a live `check` needs.
pub fn collect_for_check(_args: &CheckArgs, _pre: Option<&PreDeploy>) -> Result<Snapshot> {
    Err(AwsUnreadable(
        "live collection is not available in this build; pass --snapshot FILE to check a saved snapshot".to_owned(),
    )
    .into())
}

/// Collects a snapshot for `efs-preflight snapshot`.
pub fn collect_for_snapshot(_args: &SnapshotArgs) -> Result<Snapshot> {
    Err(AwsUnreadable("live collection is not available in this build".to_owned()).into())
}
