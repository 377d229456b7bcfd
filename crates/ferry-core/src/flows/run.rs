//! The one operation runner: whatever an operation does (succeeds, fails, is cancelled,
//! panics, or is dropped midway), its stream ends with exactly one `Finished` or `Failed`.

use crate::catalog::Msg;
use crate::error::Report;
use crate::events::{Event, Events, Step};
use crate::Error;
use futures_util::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;

/// Runs `job` and ends `events`' stream: `Finished` with `done`'s message, or a `data` event
/// of kind `error` (the [`Report`]: kind, fingerprints, diagnosis) and `Failed`. A panic in
/// `job` becomes [`Error::Internal`]; dropping this future before `job` ends (the task is
/// aborted) ends the stream as cancelled.
pub async fn run_operation<T, F>(
    events: &Events,
    job: F,
    done: impl FnOnce(&T) -> Msg,
) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>>,
{
    run_operation_then(events, job, |_| {}, done).await
}

/// [`run_operation`], calling `settle` with the outcome (a panic included) before the final
/// event, for what a listener should find done when the stream ends (the app's history).
pub async fn run_operation_then<T, F>(
    events: &Events,
    job: F,
    settle: impl FnOnce(&Result<T, Error>),
    done: impl FnOnce(&T) -> Msg,
) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>>,
{
    let ending = EndOnDrop(events);
    let result = match AssertUnwindSafe(job).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => Err(Error::Internal(panic_message(&*panic))),
    };
    std::mem::forget(ending);
    settle(&result);
    match &result {
        Ok(value) => {
            events.end(None, Event::finished(&done(value)));
        }
        Err(e) => fail(events, e),
    }
    result
}

/// Ends the stream with `e`: its report, then `Failed`.
fn fail(events: &Events, e: &Error) {
    let report = Report::from(e);
    let data = Event::Data {
        step: events.failed_step().unwrap_or(Step::Check),
        kind: "error".to_string(),
        data: serde_json::to_value(&report).unwrap_or_default(),
    };
    events.end(
        Some(data),
        Event::failed(&e.message(), report.diagnosis.map(|d| *d)),
    );
}

/// Ends the stream as cancelled when the runner is dropped before its job ended.
struct EndOnDrop<'a>(&'a Events);

impl Drop for EndOnDrop<'_> {
    fn drop(&mut self) {
        fail(self.0, &Error::Cancelled);
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a task panicked".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Collector;
    use std::sync::Arc;

    fn collected() -> (Arc<Collector>, Events) {
        let collector = Arc::new(Collector::default());
        (collector.clone(), Events::new(collector))
    }

    fn finals(collector: &Collector) -> Vec<Event> {
        collector
            .events()
            .into_iter()
            .filter(Event::is_final)
            .collect()
    }

    fn error_kind(collector: &Collector) -> Option<String> {
        collector.events().into_iter().find_map(|e| match e {
            Event::Data { kind, data, .. } if kind == "error" => {
                Some(data["kind"].as_str()?.to_string())
            }
            _ => None,
        })
    }

    #[tokio::test]
    async fn a_job_that_succeeds_ends_with_one_finished() {
        let (collector, events) = collected();
        let got = run_operation(&events, async { Ok(2) }, |n| {
            crate::msg!("restore-serves", version = *n)
        })
        .await;
        assert_eq!(got.unwrap(), 2);
        assert_eq!(
            collector.events(),
            vec![Event::finished(&crate::msg!("restore-serves", version = 2))]
        );
    }

    #[tokio::test]
    async fn a_panic_ends_with_one_failed_saying_internal_error() {
        let (collector, events) = collected();
        fn pull(events: &Events) -> Result<(), Error> {
            let _pull = events.started(Step::Pull, crate::msg!("step-pull", image = "app:1"));
            panic!("index out of bounds")
        }
        let ev = events.clone();
        let got = run_operation(&events, async move { pull(&ev) }, |_| {
            crate::msg!("step-pull-done")
        })
        .await;
        assert!(matches!(got, Err(Error::Internal(_))));
        assert_eq!(
            finals(&collector),
            vec![Event::failed(
                &crate::msg!("error-internal", detail = "index out of bounds"),
                None
            )]
        );
        let events = collector.events();
        assert!(matches!(
            events[1],
            Event::StepFailed {
                step: Step::Pull,
                ..
            }
        ));
        assert!(matches!(
            events[2],
            Event::Data {
                step: Step::Pull,
                ..
            }
        ));
        assert_eq!(error_kind(&collector).as_deref(), Some("other"));
    }

    #[tokio::test]
    async fn a_cancel_ends_with_one_failed_of_kind_cancelled() {
        let (collector, events) = collected();
        let got: Result<(), Error> =
            run_operation(&events, async { Err(Error::Cancelled) }, |_| {
                crate::msg!("step-pull-done")
            })
            .await;
        assert!(got.unwrap_err().is_cancelled());
        assert_eq!(
            finals(&collector),
            vec![Event::failed(&crate::msg!("cancelled"), None)]
        );
        assert_eq!(error_kind(&collector).as_deref(), Some("cancelled"));
    }

    #[tokio::test]
    async fn a_runner_dropped_midway_ends_as_cancelled() {
        let (collector, events) = collected();
        let never = run_operation(&events, std::future::pending::<Result<(), Error>>(), |_| {
            crate::msg!("step-pull-done")
        });
        let timed_out = tokio::time::timeout(std::time::Duration::from_millis(10), never).await;
        assert!(timed_out.is_err());
        assert_eq!(
            finals(&collector),
            vec![Event::failed(&crate::msg!("cancelled"), None)]
        );
    }

    #[tokio::test]
    async fn a_final_sent_by_the_job_does_not_make_a_second_one() {
        let (collector, events) = collected();
        let ev = events.clone();
        let job = async move {
            ev.emit(Event::finished(&crate::msg!("step-pull-done")));
            ev.emit(Event::failed(&crate::msg!("cancelled"), None));
            Ok(())
        };
        run_operation(&events, job, |_| crate::msg!("step-probe"))
            .await
            .unwrap();
        assert_eq!(
            collector.events(),
            vec![Event::finished(&crate::msg!("step-probe"))]
        );
        // A second run on the same stream cannot end it again.
        let again = run_operation(&events, async { Err::<(), _>(Error::Cancelled) }, |_| {
            crate::msg!("empty")
        })
        .await;
        assert!(again.is_err());
        assert_eq!(finals(&collector).len(), 1);
    }
}
