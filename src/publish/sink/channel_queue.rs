//! Per-channel FIFO lanes: one message in flight per channel, the rest queued.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::rate_limit::RateLimit;

/// One accepted message on its way to the worker.
pub(crate) struct Job<M> {
    /// Index among the items the sink accepted.
    pub(crate) seq: u64,
    pub(crate) channel: Arc<str>,
    pub(crate) msg: Arc<M>,
}

struct Lane<M> {
    queue: VecDeque<Job<M>>,
    busy: bool,
    limit: RateLimit,
}

/// The worker's queues. A lane is in `ready` exactly when it is not busy and
/// has a queued job, so ready lanes are started in the order they became ready.
///
/// A lane whose queue empties is forgotten at once, unless its rate limit
/// still has a booking in the future; such lanes are swept when the map has
/// doubled since the last sweep, so memory follows the live channels.
pub(crate) struct Lanes<M> {
    lanes: HashMap<Arc<str>, Lane<M>>,
    ready: VecDeque<Arc<str>>,
    template: RateLimit,
    sweep_at: usize,
}

const MIN_SWEEP: usize = 64;

impl<M> Lanes<M> {
    /// Empty lanes whose rate limit starts as `template`.
    pub(crate) fn new(template: RateLimit) -> Self {
        Lanes {
            lanes: HashMap::new(),
            ready: VecDeque::new(),
            template,
            sweep_at: MIN_SWEEP,
        }
    }

    /// Queues `job` behind the earlier jobs of its channel.
    pub(crate) fn push(&mut self, job: Job<M>) {
        if self.lanes.len() >= self.sweep_at && !self.lanes.contains_key(&job.channel) {
            self.sweep();
        }
        let template = self.template;
        let lane = self
            .lanes
            .entry(Arc::clone(&job.channel))
            .or_insert_with(|| Lane {
                queue: VecDeque::new(),
                busy: false,
                limit: template,
            });
        if !lane.busy && lane.queue.is_empty() {
            self.ready.push_back(Arc::clone(&job.channel));
        }
        lane.queue.push_back(job);
    }

    /// The next job whose channel has nothing in flight, with the channel's
    /// rate-limit state (the channel is busy until [`finish`](Self::finish)).
    pub(crate) fn start_next(&mut self) -> Option<(Job<M>, RateLimit)> {
        while let Some(channel) = self.ready.pop_front() {
            let Some(lane) = self.lanes.get_mut(&channel) else {
                continue;
            };
            if let Some(job) = lane.queue.pop_front() {
                lane.busy = true;
                return Some((job, lane.limit));
            }
        }
        None
    }

    /// The channel's job in flight is over; its next job becomes ready.
    pub(crate) fn finish(&mut self, channel: &Arc<str>, limit: RateLimit) {
        let Some(lane) = self.lanes.get_mut(channel) else {
            return;
        };
        lane.busy = false;
        lane.limit = limit;
        if !lane.queue.is_empty() {
            self.ready.push_back(Arc::clone(channel));
        } else if limit.is_idle() {
            self.lanes.remove(channel);
        }
    }

    /// Forgets lanes with nothing queued, nothing in flight and no booking.
    fn sweep(&mut self) {
        self.lanes
            .retain(|_, lane| lane.busy || !lane.queue.is_empty() || !lane.limit.is_idle());
        self.sweep_at = (self.lanes.len() * 2).max(MIN_SWEEP);
    }

    /// How many jobs wait in the queues (not counting those in flight).
    pub(crate) fn queued(&self) -> usize {
        self.lanes.values().map(|lane| lane.queue.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(seq: u64, channel: &str) -> Job<()> {
        Job {
            seq,
            channel: Arc::from(channel),
            msg: Arc::new(()),
        }
    }

    #[test]
    fn one_job_in_flight_per_channel_in_fifo_order() {
        let mut lanes = Lanes::new(RateLimit::unlimited());
        for (seq, ch) in [(0, "a"), (1, "a"), (2, "b"), (3, "a")] {
            lanes.push(job(seq, ch));
        }
        let (a0, la) = lanes.start_next().expect("a ready");
        let (b2, lb) = lanes.start_next().expect("b ready");
        assert_eq!((a0.seq, b2.seq), (0, 2));
        assert!(lanes.start_next().is_none(), "a is busy, b is empty");
        lanes.finish(&b2.channel, lb);
        assert!(lanes.start_next().is_none());
        lanes.finish(&a0.channel, la);
        let (a1, la) = lanes.start_next().expect("a ready again");
        assert_eq!(a1.seq, 1);
        lanes.finish(&a1.channel, la);
        assert_eq!(lanes.start_next().map(|(j, _)| j.seq), Some(3));
        assert_eq!(lanes.queued(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn rate_limited_lanes_of_finished_channels_are_swept() {
        let mut lanes = Lanes::new(RateLimit::per_second(1));
        for seq in 0..1000 {
            lanes.push(job(seq, &format!("ch{seq}")));
            let (job, mut limit) = lanes.start_next().expect("ready");
            limit.acquire().await;
            lanes.finish(&job.channel, limit);
            if seq % 100 == 99 {
                tokio::time::advance(std::time::Duration::from_secs(2)).await;
            }
        }
        assert!(
            lanes.lanes.len() <= 2 * MIN_SWEEP.max(100),
            "{} lanes kept",
            lanes.lanes.len()
        );
    }
}
