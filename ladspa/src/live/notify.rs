//! JACK's notifications: xruns, the server shutting down, a new sample rate.

use std::sync::Arc;

use jack::{Client, ClientStatus, Control, NotificationHandler};

use super::monitor::Monitor;
use super::rebuild::Controller;

/// The notification handler (JACK's notification thread, not the audio thread).
pub(super) struct Notifications {
    pub(super) monitor: Arc<Monitor>,
    pub(super) controller: Arc<Controller>,
}

impl NotificationHandler for Notifications {
    unsafe fn shutdown(&mut self, _status: ClientStatus, reason: &str) {
        // Like a signal handler: atomics only. The host's thread reports it.
        self.monitor.shut_down(reason);
    }

    fn sample_rate(&mut self, client: &Client, rate: jack::Frames) -> Control {
        self.monitor
            .sample_rate
            .store(rate, std::sync::atomic::Ordering::Relaxed);
        let running = self
            .monitor
            .chain_rate
            .load(std::sync::atomic::Ordering::Relaxed);
        if rate != running {
            let block = client.buffer_size().max(1) as usize;
            if let Err(error) = self.controller.rebuild(rate, block, &self.monitor) {
                // The old chain keeps running; the host reports why.
                self.controller.record(error);
            }
        }
        Control::Continue
    }

    fn xrun(&mut self, _: &Client) -> Control {
        self.monitor.xrun();
        Control::Continue
    }
}
