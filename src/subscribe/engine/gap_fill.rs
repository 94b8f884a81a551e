//! Gap-free subscriptions: what the live stream may have lost, read back
//! from history and merged in.
//!
//! The server keeps only the last ~100 messages of a channel for subscribers
//! to catch up from. When a response says that queue overflowed (it is full)
//! or the connection comes back after an outage, a gap-free subscription's
//! channels are read from history over the range the response covers (after
//! the cursor the request continued from, up to its newest event), merged
//! with the live events in timetoken order and de-duplicated on
//! (channel, timetoken), then delivered with a [`Status::GapFilled`] first.
//! Messages published without storage cannot be read back: the status names
//! the range in which they may be missing.
//!
//! What it cannot fill (channel groups, wildcards, a client with a filter
//! expression, whose filter history does not apply) is reported as
//! [`Status::PossibleGap`], as for a plain subscription.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::interest::Interest;
use super::run::{event_timetoken, Engine, SERVER_MAX_EVENTS};
use crate::error::RequestError;
use crate::history::message::MessageType;
use crate::history::query::FetchQuery;
use crate::protocol::timetoken::Timetoken;
use crate::shared::Shared;
use crate::subscribe::envelope::SubscribeResponse;
use crate::subscribe::{Event, Status};

/// A gap and what reading it back gave.
pub(crate) type GapFill = (Gap, Result<Filled, RequestError>);

/// The most history pages one gap reads per channel: 100 pages of 100
/// messages. A longer gap is filled with its newest 10,000 messages and
/// reported as a possible gap before them.
const MAX_PAGES: usize = 100;

/// A range to read back: `from < tt <= to` on these channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gap {
    pub(crate) from: Timetoken,
    pub(crate) to: Timetoken,
    pub(crate) channels: BTreeSet<String>,
}

/// What history held for a gap, per channel, oldest first; `complete` is
/// false when a channel had more than [`MAX_PAGES`] pages.
#[derive(Debug, Default)]
pub(crate) struct Filled {
    pub(crate) messages: BTreeMap<String, Vec<Event>>,
    pub(crate) complete: bool,
}

/// Reads `gap` from history, page by page, newest first.
pub(crate) async fn fetch(inner: &Shared, gap: &Gap) -> Result<Filled, RequestError> {
    let mut filled = Filled {
        messages: BTreeMap::new(),
        complete: true,
    };
    for channel in &gap.channels {
        let mut query = FetchQuery::new(vec![channel.clone()]);
        query.start = Some(Timetoken::new(gap.to.as_u64().saturating_add(1)));
        query.end = Some(Timetoken::new(gap.from.as_u64().saturating_add(1)));
        query.include_meta = true;
        query.include_custom_message_type = true;
        let mut events: Vec<Event> = Vec::new();
        let mut pages = 0;
        loop {
            let page = query.send(inner).await?;
            let size = query.page_size();
            let stored = page.channels.into_values().next().unwrap_or_default();
            let full = stored.len() >= usize::try_from(size).unwrap_or(usize::MAX);
            let Some(oldest) = stored.first().map(|m| m.message.timetoken) else {
                break;
            };
            // pages come newest first; each page is oldest first
            let mut page_events: Vec<Event> = stored
                .into_iter()
                .map(|m| match m.message_type {
                    MessageType::File => Event::File(m.message),
                    _ => Event::Message(m.message),
                })
                .collect();
            page_events.append(&mut events);
            events = page_events;
            pages += 1;
            if !full && !page.more {
                break;
            }
            if pages >= MAX_PAGES {
                filled.complete = false;
                break;
            }
            query.start = Some(oldest);
        }
        filled.messages.insert(channel.clone(), events);
    }
    Ok(filled)
}

fn key(event: &Event) -> Option<(Timetoken, &str)> {
    match event {
        Event::Message(m) | Event::File(m) => Some((m.timetoken, m.channel.as_str())),
        _ => None,
    }
}

/// `live` (the events a subscription gets from the response) with the
/// stored messages of `filled` it lacks, in timetoken order; how many were
/// added. A message in both is delivered once, as it came live.
pub(crate) fn merge(live: Vec<Event>, filled: &[&[Event]]) -> (Vec<Event>, usize) {
    let seen: HashSet<(Timetoken, String)> = live
        .iter()
        .filter_map(key)
        .map(|(t, c)| (t, c.to_owned()))
        .collect();
    let mut added: Vec<Event> = filled
        .iter()
        .flat_map(|events| events.iter())
        .filter(|e| key(e).is_some_and(|(t, c)| !seen.contains(&(t, c.to_owned()))))
        .cloned()
        .collect();
    let recovered = added.len();
    let mut out = live;
    out.append(&mut added);
    // stable: live events without a timetoken keep their place relative to
    // their neighbours; equal timetokens keep live before filled
    out.sort_by_key(|e| event_timetoken(e).unwrap_or(Timetoken::ZERO));
    (out, recovered)
}

/// The channels of `interest` that history can fill: named ones, not
/// wildcard patterns, not presence channels.
fn fillable(interest: &Interest) -> impl Iterator<Item = &String> {
    let channels = match interest {
        Interest::Names { channels, .. } => Some(channels),
        _ => None,
    };
    channels
        .into_iter()
        .flatten()
        .filter(|c| !c.ends_with(".*") && !c.ends_with("-pnpres"))
}

impl Engine {
    /// After `response`, reads back from history what a gap-free
    /// subscription may have lost, when the response was full or ends an
    /// outage (`reconnection`). `None` when there is nothing to fill.
    pub(super) async fn fill_gap(
        &self,
        inner: &Shared,
        response: &SubscribeResponse,
        reconnection: bool,
    ) -> Option<GapFill> {
        let from = self.cursor.map(|c| c.timetoken).filter(|t| !t.is_zero())?;
        let full = response.events.len() >= SERVER_MAX_EVENTS;
        if !(full || reconnection) || inner.config.filter_expression().is_some() {
            return None;
        }
        let to = response.events.iter().filter_map(event_timetoken).max()?;
        let channels: BTreeSet<String> = self
            .slots
            .values()
            .filter(|slot| slot.gap_free)
            .flat_map(|slot| fillable(&slot.interest))
            .cloned()
            .collect();
        if channels.is_empty() {
            return None;
        }
        let gap = Gap { from, to, channels };
        tracing::debug!(
            ?gap,
            full,
            reconnection,
            "pubnub subscribe: filling a possible gap from history"
        );
        let filled = fetch(inner, &gap).await;
        if let Err(error) = &filled {
            tracing::warn!(%error, "pubnub subscribe: reading a gap back from history failed; reporting it as a possible gap");
        }
        Some((gap, filled))
    }

    /// The gap-free subscriptions `fill` covers: those with a fillable
    /// channel, when history was read back whole.
    pub(super) fn filled_slots(&self, fill: Option<&GapFill>) -> Vec<u64> {
        let Some((gap, Ok(filled))) = fill else {
            return Vec::new();
        };
        if !filled.complete {
            return Vec::new();
        }
        self.slots
            .iter()
            .filter(|(_, slot)| slot.gap_free)
            .filter(|(_, slot)| fillable(&slot.interest).any(|c| gap.channels.contains(c)))
            .map(|(id, _)| *id)
            .collect()
    }

    /// Routes a response's events: the subscriptions in `filled` get their
    /// live events merged with what history held, after a `GapFilled`
    /// status; the others get the live events as usual.
    pub(super) fn route_filled(&mut self, events: Vec<Event>, fill: &GapFill, filled: &[u64]) {
        let (gap, Ok(stored)) = fill else {
            return;
        };
        for id in filled {
            let Some(slot) = self.slots.get(id) else {
                continue;
            };
            let live: Vec<Event> = events
                .iter()
                .filter(|e| slot.interest.wants(e))
                .cloned()
                .collect();
            let channels: Vec<String> = fillable(&slot.interest)
                .filter(|c| gap.channels.contains(*c))
                .cloned()
                .collect();
            let lists: Vec<&[Event]> = channels
                .iter()
                .filter_map(|c| stored.messages.get(c))
                .map(Vec::as_slice)
                .collect();
            let (merged, recovered) = merge(live, &lists);
            let status = Status::GapFilled {
                channels,
                from: gap.from,
                to: gap.to,
                recovered,
            };
            self.deliver_to(&[*id], Event::Status(status));
            for event in merged {
                self.deliver_to(&[*id], event);
            }
        }
        for event in events {
            let targets: Vec<u64> = self
                .slots
                .iter()
                .filter(|(id, slot)| !filled.contains(id) && slot.interest.wants(&event))
                .map(|(id, _)| *id)
                .collect();
            self.deliver_to(&targets, event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;

    fn stored(channel: &str, tt: u64) -> Event {
        let mut m = Message::new(channel, tt.into());
        m.timetoken = Timetoken::new(tt);
        Event::Message(m)
    }

    fn tts(events: &[Event]) -> Vec<u64> {
        events
            .iter()
            .filter_map(event_timetoken)
            .map(Timetoken::as_u64)
            .collect()
    }

    #[test]
    fn merge_fills_in_order_once() {
        let live = vec![stored("a", 5), stored("b", 6), stored("a", 9)];
        let filled_a = vec![stored("a", 2), stored("a", 5), stored("a", 7)];
        let filled_b = vec![stored("b", 3), stored("b", 6)];
        let (out, recovered) = merge(live, &[&filled_a, &filled_b]);
        assert_eq!(tts(&out), [2, 3, 5, 6, 7, 9]);
        assert_eq!(recovered, 3);
        // the same timetoken on two channels is two messages
        let (out, recovered) = merge(vec![stored("a", 1)], &[&[stored("b", 1)]]);
        assert_eq!((out.len(), recovered), (2, 1));
    }

    #[test]
    fn nothing_filled_changes_nothing() {
        let live = vec![stored("a", 1), stored("a", 2)];
        let (out, recovered) = merge(live.clone(), &[]);
        assert_eq!((tts(&out), recovered), (tts(&live), 0));
    }
}
