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
    if let (Follow::On, Some(record)) = (follow, record) {
        follow = source.queue("end", &record, &mut frames);
    }
    drive(state, source, frames, follow != Follow::On, signals, permit)
}

impl Source for OpeningSource {
    fn object_id(&self) -> &str {
        &self.section_id
    }

    async fn refresh(&mut self, state: &web::Data<AppState>, _signalled: bool, out: &mut VecDeque<Bytes>) -> Follow {
        let (id, principal) = (self.section_id.clone(), self.principal.clone());
        let progress = match run(state, move |p| p.opening_progress(Some(&principal), &id)).await {
            Ok(progress) => progress,
            Err(error) => {
                tracing::warn!(section_id = %self.section_id, %error, "an opening stream could not read");
                return Follow::Fail;
            }
        };
        if progress == self.last && progress.stage != OpeningStage::Opened {
            return Follow::On;
        }
        self.last = progress.clone();
        if progress.stage == OpeningStage::Opened {
            return self.end(state, &progress, out).await;
        }
        self.queue("progress", &progress, out)
    }
}

impl OpeningSource {
    /// Queues one event; `end` ends the stream.
    fn queue(&self, name: &str, data: &impl serde::Serialize, out: &mut VecDeque<Bytes>) -> Follow {
        match event(name, None, data) {
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
        match run(state, move |p| p.opening_record(&id)).await {
            Ok(record) => self.queue("end", &record, out),
            Err(error) => {
                tracing::warn!(section_id = %self.section_id, %error, "an opening stream could not read");
                Follow::Fail
            }
        }
    }
}
