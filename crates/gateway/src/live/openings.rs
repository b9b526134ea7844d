//! The live stream of one section's opening: where it stands (awaiting, decrypting with
//! the count of bids decrypted, opened), and the opening record at the end.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;

use actix_web::web;
use bytes::Bytes;
use futures_util::stream::Stream;
use ggzy_service::bids::{OpeningProgress, OpeningRecord, OpeningStage};
use ggzy_service::Principal;
use tokio::sync::broadcast;

use super::{drive, event, Follow, Source, StreamPermit};
use crate::routes::run;
use crate::AppState;

struct OpeningSource {
    section_id: String,
    /// Read again with the caller's own rights at every look.
    principal: Principal,
    last: OpeningProgress,
}

/// The stream of a section's opening for `principal`, starting from the `first` read (and
/// the opening `record` when that read found the section opened).
pub fn stream(
    state: web::Data<AppState>,
    principal: Principal,
    first: OpeningProgress,
    record: Option<OpeningRecord>,
    signals: broadcast::Receiver<Arc<str>>,
    permit: StreamPermit,
) -> impl Stream<Item = Result<Bytes, Infallible>> {
    let mut frames = VecDeque::new();
    let source = OpeningSource { section_id: first.section_id.clone(), principal, last: first.clone() };
    let mut follow = source.queue("progress", &first, &mut frames);
    if follow == Follow::On {
        if let Some(record) = record {
            follow = source.queue("end", &record, &mut frames);
        } else if first.stage.is_final() {
            follow = source.queue("end", &first, &mut frames);
        }
    }
    drive(state, source, frames, follow != Follow::On, signals, permit)
}

impl Source for OpeningSource {
    fn object_id(&self) -> &str {
        &self.section_id
    }

    async fn refresh(&mut self, state: &web::Data<AppState>, _signalled: bool, out: &mut VecDeque<Bytes>) -> Follow {
        let (id, principal) = (self.section_id.clone(), self.principal.clone());
        let read = {
            // Given back before `end` takes one for the record.
            let Some(_slot) = state.live.read_slot().await else { return Follow::Fail };
            run(state, move |p| p.tendering().opening_progress(Some(&principal), &id)).await
        };
        let progress = match read {
            Ok(progress) => progress,
            Err(error) => {
                tracing::warn!(section_id = %self.section_id, %error, "an opening stream could not read");
                return Follow::Fail;
            }
        };
        if progress == self.last && !progress.stage.is_final() {
            return Follow::On;
        }
        self.last = progress.clone();
        match progress.stage {
            OpeningStage::Opened => self.end(state, &progress, out).await,
            // Terminated without an opening: the last progress says so, and that is all.
            OpeningStage::Cancelled => match self.queue("progress", &progress, out) {
                Follow::On => self.queue("end", &progress, out),
                other => other,
            },
            _ => self.queue("progress", &progress, out),
        }
    }
}

impl OpeningSource {
    /// Queues one event; `end` (with the id that stops a reconnecting EventSource) ends
    /// the stream.
    fn queue(&self, name: &str, data: &impl serde::Serialize, out: &mut VecDeque<Bytes>) -> Follow {
        let id = (name == "end").then_some(super::END_ID);
        match event(name, id, data) {
            Ok(frame) => {
                out.push_back(frame);
                if name == "end" {
                    Follow::End
                } else {
                    Follow::On
                }
            }
            Err(error) => {
                tracing::error!(section_id = %self.section_id, %error, "an opening event could not be written");
                Follow::Fail
            }
        }
    }

    /// The last progress, then the opening record (public from now on) as `end`.
    async fn end(&self, state: &web::Data<AppState>, progress: &OpeningProgress, out: &mut VecDeque<Bytes>) -> Follow {
        if self.queue("progress", progress, out) == Follow::Fail {
            return Follow::Fail;
        }
        let id = self.section_id.clone();
        let Some(_slot) = state.live.read_slot().await else { return Follow::Fail };
        match run(state, move |p| p.tendering().opening_record(&id)).await {
            Ok(record) => self.queue("end", &record, out),
            Err(error) => {
                tracing::warn!(section_id = %self.section_id, %error, "an opening stream could not read");
                Follow::Fail
            }
        }
    }
}
