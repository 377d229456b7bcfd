//! Events to the UI through a Tauri channel.

use ferry_core::events::{Event, EventSink, Events};
use std::sync::Arc;
use tauri::ipc::Channel;

/// An `EventSink` that sends each event through the command's channel.
pub struct ChannelSink {
    channel: Channel<Event>,
}

impl ChannelSink {
    pub fn events(channel: Channel<Event>) -> Events {
        Events::new(Arc::new(ChannelSink { channel }))
    }
}

impl EventSink for ChannelSink {
    fn emit(&self, event: Event) {
        // A closed window no longer listens: nothing to do about it.
        let _ = self.channel.send(event);
    }
}
