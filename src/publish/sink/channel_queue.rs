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
pub(crate) struct Lanes<M> {
    lanes: HashMap<Arc<str>, Lane<M>>,
    ready: VecDeque<Arc<str>>,
    template: RateLimit,
}

impl<M> Lanes<M> {
    /// Empty lanes whose rate limit starts as `template`.
    pub(crate) fn new(template: RateLimit) -> Self {
        Lanes {
            lanes: HashMap::new(),
            ready: VecDeque::new(),
            template,
        }
    }

    /// Queues `job` behind the earlier jobs of its channel.
    pub(crate) fn push(&mut self, job: Job<M>) {
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
}
