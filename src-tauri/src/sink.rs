//! Events to the UI through a Tauri channel, and the end of every stream.

use crate::error::app_error;
use ferry_core::catalog::Msg;
use ferry_core::events::{Event, EventSink, Events, Step};
use ferry_core::Error;
use std::sync::{Arc, Mutex};
use tauri::ipc::Channel;

/// An `EventSink` that sends each event through the command's channel, remembering which
/// steps are under way (to say where a failure happened).
pub struct ChannelSink {
    channel: Channel<Event>,
    running: Mutex<Vec<Step>>,
}

impl ChannelSink {
    pub fn events(channel: Channel<Event>) -> (Arc<ChannelSink>, Events) {
        let sink = Arc::new(ChannelSink {
            channel,
            running: Mutex::new(Vec::new()),
        });
        (sink.clone(), Events::new(sink))
    }

    /// The step started last and not finished yet.
    fn current_step(&self) -> Option<Step> {
        self.running.lock().unwrap().last().copied()
    }

    /// Ends the stream with `Finished`.
    pub fn finish(&self, message: &Msg) {
        self.emit(Event::finished(message));
    }

    /// Ends the stream with `Failed`, after a `data` event of kind `error` holding the
    /// `AppError` (its kind, fingerprint...), for the step that was under way.
    pub fn fail(&self, e: &Error) {
        let error = serde_json::to_value(app_error(e)).unwrap_or_default();
        self.emit(Event::Data {
            step: self.current_step().unwrap_or(Step::Check),
            kind: "error".to_string(),
            data: error,
        });
        self.emit(Event::failed(&e.message(), e.diagnosis()));
    }
}

impl EventSink for ChannelSink {
    fn emit(&self, event: Event) {
        match &event {
            Event::StepStarted { step, .. } => self.running.lock().unwrap().push(*step),
            Event::StepFinished { step, .. } => {
                let mut running = self.running.lock().unwrap();
                if let Some(i) = running.iter().rposition(|s| s == step) {
                    running.remove(i);
                }
            }
            _ => {}
        }
        // A closed window no longer listens: nothing to do about it.
        let _ = self.channel.send(event);
    }
}
