//! The build context as the build request's body, in chunks, reporting how much of it the
//! engine has taken as `Step::Context` progress (a remote engine can take a while).

use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use crate::events::{Events, Step};

/// Small enough for a smooth bar, large enough for few events (160 for 80 MB).
pub(super) const CHUNK: usize = 512 * 1024;

/// `tar` in chunks of `size`; each one, as the request takes it, reports the bytes taken so far.
pub(super) fn counted(
    tar: Bytes,
    size: usize,
    events: Events,
) -> impl Stream<Item = Bytes> + Send + 'static {
    let total = tar.len() as u64;
    let chunks: Vec<Bytes> = (0..tar.len())
        .step_by(size)
        .map(|start| tar.slice(start..(start + size).min(tar.len())))
        .collect();
    let mut taken = 0;
    futures_util::stream::iter(chunks).map(move |chunk| {
        taken += chunk.len() as u64;
        events.progress(Step::Context, taken, Some(total));
        chunk
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Collector, Event};
    use std::sync::Arc;

    #[tokio::test]
    async fn the_context_goes_in_chunks_and_reports_the_bytes_taken() {
        let collector = Arc::new(Collector::default());
        let events = Events::new(collector.clone());
        let chunks: Vec<Bytes> = counted(Bytes::from_static(b"12345"), 2, events)
            .collect()
            .await;
        assert_eq!(chunks, [&b"12"[..], b"34", b"5"]);
        let progress: Vec<(u64, Option<u64>)> = collector
            .events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Progress {
                    step: Step::Context,
                    current,
                    total,
                    ..
                } => Some((current, total)),
                _ => None,
            })
            .collect();
        assert_eq!(progress, [(2, Some(5)), (4, Some(5)), (5, Some(5))]);
    }
}
