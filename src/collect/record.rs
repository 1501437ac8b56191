//! The collector's ledger: every AWS call it makes, timed, with its outcome, and the gaps that
//! failed calls leave in the snapshot.
//!
//! Each call goes through [`Recorder::call`] (one request) or [`Recorder::pages`] (a paginated
//! list, one record per page). Both classify SDK errors once, here: an answer that means "this
//! resource does not exist" (the `absent` codes the caller names) is an ordinary outcome, and any
//! other error becomes a [`Gap`] so the rules can say `unknown`. Progress lines go to stderr.
//!
//! Depends on the AWS SDK's error types only; knows nothing of the individual services.

use std::error::Error as StdError;
use std::future::Future;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use super::Progress;
use crate::snapshot::Gap;

/// One AWS API call the collector made (one page of a paginated list counts as one call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// The call as its IAM action, `service:Action` (`ec2:DescribeSubnets`).
    pub call: &'static str,
    /// What the call was about (ids, a filter), when it was about something.
    pub resource: Option<String>,
    /// How it ended.
    pub outcome: CallOutcome,
    /// Wall time of the request, SDK retries included.
    pub duration: Duration,
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    /// AWS answered.
    Ok,
    /// AWS answered that the resource does not exist (`FileSystemNotFound`, `NoSuchEntity`,
    /// `PolicyNotFound` ...): a fact about the account, not a gap.
    Absent(String),
    /// The call failed (denied, throttled after retries, server error ...); a gap was recorded.
    Failed(String),
}

impl CallOutcome {
    /// `true` unless the call failed.
    pub fn is_ok(&self) -> bool {
        !matches!(self, Self::Failed(_))
    }
}

/// The answer to one call, as the collector modules see it.
#[derive(Debug)]
pub(crate) enum Answer<T> {
    /// The output.
    Found(T),
    /// AWS said the resource does not exist.
    Absent,
    /// The call failed; the gap is already recorded.
    Failed,
}

impl<T> Answer<T> {
    /// Converts the output, keeping the outcome.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        match self {
            Self::Found(t) => Answer::Found(f(t)),
            Self::Absent => Answer::Absent,
            Self::Failed => Answer::Failed,
        }
    }

    /// The output, if there is one.
    pub(crate) fn found(self) -> Option<T> {
        match self {
            Self::Found(t) => Some(t),
            Self::Absent | Self::Failed => None,
        }
    }
}

/// Builds one snapshot list from many calls: `None` when every call for it failed and nothing
/// was read (the list is "not collected"), else what was read (possibly partial, next to gaps).
#[derive(Debug)]
pub(crate) struct ListBuilder<T> {
    items: Vec<T>,
    failed: bool,
}

impl<T> Default for ListBuilder<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            failed: false,
        }
    }
}

impl<T> ListBuilder<T> {
    /// Adds what one call returned.
    pub(crate) fn extend(&mut self, items: impl IntoIterator<Item = T>) {
        self.items.extend(items);
    }
    /// Adds one item.
    pub(crate) fn push(&mut self, item: T) {
        self.items.push(item);
    }
    /// Notes that a call for this list failed.
    pub(crate) fn fail(&mut self) {
        self.failed = true;
    }
    /// Takes an answer: items on success, nothing when absent, a failure mark otherwise.
    pub(crate) fn take<I: IntoIterator<Item = T>>(&mut self, answer: Answer<I>) {
        match answer {
            Answer::Found(items) => self.extend(items),
            Answer::Absent => {}
            Answer::Failed => self.fail(),
        }
    }
    /// The items so far and whether a call failed.
    pub(crate) fn into_parts(self) -> (Vec<T>, bool) {
        (self.items, self.failed)
    }
    /// The list for the snapshot.
    pub(crate) fn finish(self) -> Option<Vec<T>> {
        if self.failed && self.items.is_empty() {
            None
        } else {
            Some(self.items)
        }
    }
}

#[derive(Default)]
struct Ledger {
    calls: Vec<CallRecord>,
    gaps: Vec<Gap>,
}

/// Records calls and gaps, and bounds how many requests are in flight; cheap to clone and
/// shared by every concurrent call.
#[derive(Clone)]
pub(crate) struct Recorder {
    ledger: Arc<Mutex<Ledger>>,
    in_flight: Arc<Semaphore>,
    progress: Progress,
    terminal: bool,
}

impl Recorder {
    /// A recorder printing progress as `progress` asks (phases only when stderr is a terminal)
    /// and letting at most `concurrency` requests run at once, whatever the phases overlap.
    pub(crate) fn new(progress: Progress, concurrency: usize) -> Self {
        Self {
            ledger: Arc::default(),
            in_flight: Arc::new(Semaphore::new(concurrency.max(1))),
            progress,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// A recorder like [`Recorder::new`] whose requests share the bound `in_flight` with other
    /// recorders (every estate of one account: AWS throttles per account).
    pub(crate) fn sharing(progress: Progress, in_flight: Arc<Semaphore>) -> Self {
        Self {
            ledger: Arc::default(),
            in_flight,
            progress,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Announces a collection phase on stderr (Normal on a terminal, or Verbose).
    pub(crate) fn phase(&self, what: &str) {
        let show = match self.progress {
            Progress::Quiet => false,
            Progress::Normal => self.terminal,
            Progress::Verbose => true,
        };
        if show {
            eprintln!("efs-preflight: {what}");
        }
    }

    /// Makes one call and records it. `absent` lists the error codes that mean "no such
    /// resource" for this call.
    pub(crate) async fn call<T, E, F>(
        &self,
        call: &'static str,
        resource: Option<String>,
        absent: &[&str],
        request: F,
    ) -> Answer<T>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + StdError + 'static,
    {
        let result = {
            let _permit = self.in_flight.acquire().await;
            let started = Instant::now();
            (request.await, started.elapsed())
        };
        let (result, duration) = result;
        match result {
            Ok(output) => {
                self.record(call, resource, CallOutcome::Ok, duration);
                Answer::Found(output)
            }
            Err(err) => self.record_error(call, resource, absent, &err, duration),
        }
    }

    /// Follows a paginated list to its end, recording one call per page. A failure on any page
    /// makes the whole answer `Failed` (a partial list would read as complete).
    pub(crate) async fn pages<T, E>(
        &self,
        call: &'static str,
        resource: Option<String>,
        absent: &[&str],
        mut stream: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
    ) -> Answer<Vec<T>>
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        let mut pages = Vec::new();
        loop {
            let (next, duration) = {
                // The stream sends the page's request when polled: hold a permit meanwhile.
                let _permit = self.in_flight.acquire().await;
                let started = Instant::now();
                (stream.next().await, started.elapsed())
            };
            let Some(result) = next else {
                return Answer::Found(pages);
            };
            match result {
                Ok(page) => {
                    self.record(call, resource.clone(), CallOutcome::Ok, duration);
                    pages.push(page);
                }
                Err(err) => return self.record_error(call, resource, absent, &err, duration),
            }
        }
    }

    /// Follows a paginated list to its end like [`Recorder::pages`] and returns the items of
    /// every page (`items` picks them out of a page), each converted by `convert`; an item it
    /// cannot convert (one without its id) is dropped.
    pub(crate) async fn items<P, I, T, E>(
        &self,
        call: &'static str,
        resource: Option<String>,
        absent: &[&str],
        stream: PaginationStream<Result<P, SdkError<E, HttpResponse>>>,
        items: impl for<'p> Fn(&'p P) -> &'p [I],
        convert: impl FnMut(&I) -> Option<T>,
    ) -> Answer<Vec<T>>
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        self.pages(call, resource, absent, stream)
            .await
            .map(|pages| pages.iter().flat_map(items).filter_map(convert).collect())
    }

    fn record_error<T, E>(
        &self,
        call: &'static str,
        resource: Option<String>,
        absent: &[&str],
        err: &SdkError<E, HttpResponse>,
        duration: Duration,
    ) -> Answer<T>
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        let code = error_code(err);
        if absent.contains(&code.as_str()) {
            self.record(call, resource, CallOutcome::Absent(code), duration);
            return Answer::Absent;
        }
        self.lock().gaps.push(Gap {
            call: call.to_owned(),
            resource: resource.clone(),
            error: code.clone(),
        });
        self.record(call, resource, CallOutcome::Failed(code), duration);
        Answer::Failed
    }

    /// Records a gap for an answer that arrived but could not be used (an unparseable policy).
    pub(crate) fn gap(&self, call: &'static str, resource: Option<String>, error: &str) {
        self.lock().gaps.push(Gap {
            call: call.to_owned(),
            resource,
            error: error.to_owned(),
        });
    }

    /// Records a call made outside [`Recorder::call`] (the identity probe).
    pub(crate) fn record(
        &self,
        call: &'static str,
        resource: Option<String>,
        outcome: CallOutcome,
        duration: Duration,
    ) {
        if matches!(self.progress, Progress::Verbose) {
            let what = match &outcome {
                CallOutcome::Ok => "ok".to_owned(),
                CallOutcome::Absent(code) => format!("not found ({code})"),
                CallOutcome::Failed(code) => format!("failed: {code}"),
            };
            eprintln!(
                "efs-preflight:   {call} {} -> {what} ({} ms)",
                resource.as_deref().unwrap_or("-"),
                duration.as_millis()
            );
        }
        self.lock().calls.push(CallRecord {
            call,
            resource,
            outcome,
            duration,
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ledger> {
        // A poisoned lock only means another task panicked mid-push; the data is still usable.
        self.ledger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the calls and gaps recorded so far.
    pub(crate) fn finish(&self) -> (Vec<CallRecord>, Vec<Gap>) {
        let mut ledger = self.lock();
        (
            std::mem::take(&mut ledger.calls),
            std::mem::take(&mut ledger.gaps),
        )
    }
}

/// The short code for an SDK error: the AWS error code when the reply had one (`AccessDenied`,
/// `Throttling` ...), else `HTTP <status>` for a reply without a readable code (a bare 403 or an
/// HTML 500), else the kind of failure (`timeout`, `connection error`).
pub(crate) fn error_code<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    if let Some(code) = err.code().filter(|c| !c.is_empty()) {
        return code.to_owned();
    }
    if let Some(response) = err.raw_response() {
        // A reply in another protocol's error shape (an XML `<ErrorResponse>` from a JSON
        // service, as proxies and emulators send) still names its code; use it if it is there.
        return response
            .body()
            .bytes()
            .and_then(|body| code_in_body(&String::from_utf8_lossy(body)))
            .unwrap_or_else(|| format!("HTTP {}", response.status().as_u16()));
    }
    match err {
        SdkError::TimeoutError(_) => "timeout".to_owned(),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => "timeout".to_owned(),
        SdkError::DispatchFailure(_) => "connection error".to_owned(),
        SdkError::ConstructionFailure(_) => "request could not be built".to_owned(),
        _ => "unreadable reply".to_owned(),
    }
}

/// The `<Code>...</Code>` of an XML error body, when it looks like an error code.
fn code_in_body(body: &str) -> Option<String> {
    let start = body.find("<Code>")? + "<Code>".len();
    let code = body[start..].split("</Code>").next()?.trim();
    let plausible = !code.is_empty()
        && code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    plausible.then(|| code.to_owned())
}

/// The error and its chain of causes on one line, for messages.
pub(crate) fn error_detail(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string().replace('\n', " ");
        // Many errors repeat their source in their own message; say each thing once.
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::code_in_body;

    #[test]
    fn error_codes_in_foreign_bodies() {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>";
        assert_eq!(code_in_body(xml).as_deref(), Some("AccessDenied"));
        assert_eq!(code_in_body("<html>Internal Server Error</html>"), None);
        assert_eq!(code_in_body("<Code>not a code at all</Code>"), None);
        assert_eq!(code_in_body(""), None);
    }
}
