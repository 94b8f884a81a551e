//! The background task of one sink: per-channel order, bounded concurrency
//! across channels, acks, and the stop after a final failure.

use std::sync::Arc;

use tokio::sync::{mpsc, watch};

use super::ack::{Ack, AckSlot};
use super::channel_queue::{Job, Lanes};
use super::deliver::{Delivery, Outcome};
use super::in_flight::InFlight;
use super::mailbox::EventSender;
use super::rate_limit::RateLimit;
use super::send::PublishSend;
use crate::RetryPolicy;

/// How the worker delivers.
#[derive(Debug, Clone)]
pub(crate) struct WorkerConfig {
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: RateLimit,
    /// How many channels may have a message in flight at once (at least 1).
    pub(crate) max_channels_in_flight: usize,
}

/// What the worker tells its sink.
#[derive(Debug)]
pub(crate) enum Event<E> {
    /// Message `seq` was published.
    Acked { seq: u64 },
    /// Message `seq` failed for good. Sent last: every ack the worker will
    /// ever send precedes it, and the worker exits right after.
    Failed {
        seq: u64,
        channel: Arc<str>,
        error: E,
    },
}

/// The worker's channels to the outside world.
pub(crate) struct WorkerIo<X: PublishSend> {
    pub(crate) jobs: mpsc::UnboundedReceiver<Job<X::Msg>>,
    pub(crate) events: EventSender<X::Error>,
    pub(crate) acks: AckSlot,
}

/// Runs until the sink is closed or dropped and every accepted job is done,
/// or until a final failure (after the deliveries in flight have finished).
pub(crate) async fn run<X: PublishSend>(sender: Arc<X>, config: WorkerConfig, io: WorkerIo<X>) {
    let WorkerIo {
        mut jobs,
        events,
        acks,
    } = io;
    let max_in_flight = config.max_channels_in_flight.max(1);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut lanes = Lanes::new(config.rate_limit);
    let mut in_flight = InFlight::new();
    let mut failure: Option<(u64, Arc<str>, X::Error)> = None;
    let mut jobs_open = true;

    loop {
        while failure.is_none() && in_flight.len() < max_in_flight {
            let Some((job, limit)) = lanes.start_next() else {
                break;
            };
            let delivery = Delivery {
                sender: Arc::clone(&sender),
                msg: job.msg,
                retry: config.retry.clone(),
                limit,
                stop: stop_rx.clone(),
            };
            let (seq, channel) = (job.seq, job.channel);
            in_flight.push(async move {
                let (outcome, limit) = delivery.run().await;
                (seq, channel, outcome, limit)
            });
        }
        if in_flight.is_empty() && (failure.is_some() || (!jobs_open && lanes.queued() == 0)) {
            break;
        }
        tokio::select! {
            job = jobs.recv(), if jobs_open && failure.is_none() => match job {
                Some(job) => lanes.push(job),
                None => jobs_open = false,
            },
            Some((seq, channel, outcome, limit)) = in_flight.next(), if !in_flight.is_empty() => {
                lanes.finish(&channel, limit);
                match outcome {
                    Outcome::Acked(timetoken) => {
                        acks.send(&Ack::new(channel, timetoken, seq));
                        // The sink may be gone (dropped): the work goes on regardless.
                        let _ = events.send(Event::Acked { seq });
                    }
                    Outcome::Failed(error) if failure.is_none() => {
                        stop_tx.send_replace(true);
                        failure = Some((seq, channel, error));
                    }
                    Outcome::Failed(_) => {
                        tracing::debug!(seq, "another message failed while the publish sink was stopping");
                    }
                    Outcome::Abandoned => {}
                }
            },
            else => break,
        }
    }

    acks.close();
    if let Some((seq, channel, error)) = failure {
        let unsent = lanes.queued() + jobs.len();
        tracing::warn!(%channel, seq, unsent, "publish sink stopped after a failed message");
        if events
            .send(Event::Failed {
                seq,
                channel,
                error,
            })
            .is_err()
        {
            tracing::warn!(
                "the publish sink was dropped: the failed message and {unsent} queued message(s) are lost"
            );
        }
    }
}
