//! The long-poll loop: handshake, receive, route, reconnect.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::classify::{blames_the_names, is_retryable, outage_status, terminal_status};
use super::gap_fill::GapFill;
use super::interest::{Interest, WireSet};
use super::presence::{subscribe_state, Heartbeats};
use super::request;
use super::slot::{Connection, Slot};
use super::state::LoopState;
use super::Command;
use crate::error::{RequestError, RequestErrorKind};
use crate::presence::heartbeat_loop::HeartbeatTargets;
use crate::protocol::timetoken::Timetoken;
use crate::shared::Shared;
use crate::subscribe::decrypt::decrypt_events;
use crate::subscribe::envelope::{parse_subscribe_response, Cursor, SubscribeResponse};
use crate::subscribe::{Event, HasChannel, Status};
use crate::transport::{check_status, Response};

/// The most events the server puts in one subscribe response: a response
/// this full may mean the server dropped older messages.
pub(super) const SERVER_MAX_EVENTS: usize = 100;

/// The publish timetoken of a wire event, when it has one.
pub(super) fn event_timetoken(event: &Event) -> Option<Timetoken> {
    match event {
        Event::Message(m)
        | Event::Signal(m)
        | Event::Object(m)
        | Event::MessageAction(m)
        | Event::File(m) => Some(m.timetoken),
        Event::Presence(p) => Some(p.timetoken),
        Event::Unknown(u) => u.timetoken,
        Event::Malformed(m) => m.timetoken,
        _ => None,
    }
}

/// After the handshake the server's cursor only moves forward. One that goes
/// to 0 (would skip to "now", losing messages) or backwards (would deliver
/// again) is a server glitch: the response is refused like a broken body
/// (an `UnexpectedDisconnect` status, retried with backoff from the old
/// cursor, which is kept).
fn check_cursor(sent: Option<Cursor>, got: Cursor) -> Result<(), RequestError> {
    let Some(sent) = sent.filter(|c| !c.timetoken.is_zero()) else {
        return Ok(()); // a handshake: any cursor starts the stream
    };
    if got.timetoken.is_zero() || got.timetoken < sent.timetoken {
        return Err(RequestError::invalid_response(format!(
            "the server's cursor went from {} to {}; kept {}",
            sent.timetoken, got.timetoken, sent.timetoken
        )));
    }
    Ok(())
}

/// What a command does to the request in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    /// Nothing changed on the wire: keep waiting for the response.
    Keep,
    /// Cancel the request in flight and start over from the same cursor.
    Restart,
}

/// The engine task's state.
pub(crate) struct Engine {
    pub(super) inner: Weak<Shared>,
    commands: mpsc::UnboundedReceiver<Command>,
    /// Receivers by id (ordered, so delivery order is deterministic).
    pub(super) slots: BTreeMap<u64, Slot>,
    /// Where the next receive continues; `None` means handshake first.
    pub(super) cursor: Option<Cursor>,
    /// A user timetoken to continue from after the handshake.
    pub(super) catch_up: Option<Timetoken>,
    /// Connecting, connected, retrying or stopped.
    pub(super) state: LoopState,
    /// The subscriptions whose names were in the last successful request:
    /// when the server rejects a request (400, 414), the others are to blame.
    pub(super) confirmed: BTreeSet<u64>,
    /// The names of the last successful request (shared with the wire it
    /// was sent with, not copied per response): a new subscription whose
    /// names are all in it is connected at once.
    pub(super) confirmed_wire: Option<Arc<CurrentWire>>,
    /// The explicit heartbeat loop (when `heartbeat_interval` is set).
    pub(super) heartbeats: Heartbeats,
    /// [`Engine::current`], until a command changes the slots.
    pub(super) wire_cache: Option<Arc<CurrentWire>>,
    /// What the heartbeat loop was last told, and whether the loop was running.
    pub(super) heartbeats_synced: Option<(Arc<CurrentWire>, bool)>,
}

/// The union of every subscription's names and the part of it this client
/// is present on (no `-pnpres`): computed once per change of the slots
/// instead of twice per long-poll.
pub(crate) struct CurrentWire {
    pub(super) wire: WireSet,
    pub(super) announced: HeartbeatTargets,
}

impl Engine {
    pub(super) fn new(
        inner: Weak<Shared>,
        commands: mpsc::UnboundedReceiver<Command>,
        sender: mpsc::WeakUnboundedSender<Command>,
    ) -> Self {
        Engine {
            inner,
            commands,
            slots: BTreeMap::new(),
            cursor: None,
            catch_up: None,
            state: LoopState::new(),
            confirmed: BTreeSet::new(),
            confirmed_wire: None,
            heartbeats: Heartbeats::new(sender),
            wire_cache: None,
            heartbeats_synced: None,
        }
    }

    pub(super) async fn run(mut self) {
        loop {
            self.sync_heartbeats();
            let current = self.current();
            let wire = &current.wire;
            if !self.state.is_running() || wire.is_empty() {
                match self.commands.recv().await {
                    Some(command) => {
                        self.handle(command);
                        continue;
                    }
                    None => return,
                }
            }
            let Some(inner) = self.inner.upgrade() else {
                return;
            };
            let state = subscribe_state(&inner, &current.announced);
            let request = request::subscribe(&inner.config, wire, self.cursor, state);
            let retry_at = self.state.retry_at();
            let exchange = async {
                // a backoff instant already passed (the retry was answered,
                // or a command restarted it) sends at once
                if let Some(at) = retry_at.filter(|at| *at > Instant::now()) {
                    tokio::time::sleep_until(at).await;
                }
                inner.transport.send(request).await
            };
            tokio::pin!(exchange);
            let result = loop {
                tokio::select! {
                    biased;
                    command = self.commands.recv() => match command {
                        None => return,
                        Some(command) => {
                            if self.handle(command) == Flow::Restart {
                                break None;
                            }
                        }
                    },
                    result = &mut exchange => break Some(result),
                }
            };
            if let Some(result) = result {
                let parsed = self.parse(result, &inner);
                let reconnection = !self.state.is_connected() && self.state.ever_connected();
                let fill = match &parsed {
                    Ok(response) => self.fill_gap(&inner, response, reconnection).await,
                    Err(_) => None,
                };
                self.on_parsed(parsed, &inner, &current, fill);
            }
        }
    }

    /// The union of every subscription's names and what this client is
    /// present on, cached until a command changes the slots.
    pub(super) fn current(&mut self) -> Arc<CurrentWire> {
        if let Some(current) = &self.wire_cache {
            return Arc::clone(current);
        }
        let wire = self.wire();
        let announced = wire.announced();
        let current = Arc::new(CurrentWire { wire, announced });
        self.wire_cache = Some(Arc::clone(&current));
        current
    }

    /// The slots changed: [`current`](Self::current) recomputes.
    pub(super) fn slots_changed(&mut self) {
        self.wire_cache = None;
    }

    /// The union of every subscription's names, computed afresh.
    pub(super) fn wire(&self) -> WireSet {
        let mut wire = WireSet::default();
        for slot in self.slots.values() {
            slot.interest.add_wire_names(&mut wire);
        }
        wire
    }

    /// The response checked, parsed and decrypted (a refused cursor is an error).
    fn parse(
        &self,
        result: Result<Response, RequestError>,
        inner: &Arc<Shared>,
    ) -> Result<SubscribeResponse, RequestError> {
        let sent = self.cursor;
        result.and_then(|response| {
            check_status(&response)?;
            let mut parsed = parse_subscribe_response(&response.body)
                .map_err(|e| RequestError::invalid_response(e.to_string()))?;
            check_cursor(sent, parsed.cursor)?;
            if let Some(crypto) = &inner.config.crypto {
                decrypt_events(&mut parsed.events, crypto);
            }
            Ok(parsed)
        })
    }

    fn on_parsed(
        &mut self,
        parsed: Result<SubscribeResponse, RequestError>,
        inner: &Arc<Shared>,
        current: &Arc<CurrentWire>,
        fill: Option<GapFill>,
    ) {
        match parsed {
            Ok(response) => self.on_success(response, current, fill),
            Err(error) => self.on_failure(error, inner),
        }
    }

    fn on_success(
        &mut self,
        response: SubscribeResponse,
        current: &Arc<CurrentWire>,
        fill: Option<GapFill>,
    ) {
        let wire = &current.wire;
        let newcomers: Vec<u64> = self
            .slots
            .keys()
            .filter(|id| !self.confirmed.contains(id))
            .copied()
            .collect();
        if !self.state.is_connected() {
            let (channels, groups) = (wire.channel_list(), wire.group_list());
            let status = if self.state.ever_connected() {
                Status::Reconnected { channels, groups }
            } else {
                Status::Connected { channels, groups }
            };
            tracing::debug!(status = status.category(), "pubnub subscribe");
            self.broadcast(status);
            self.set_connection(Connection::Connected);
            self.state.connect();
        } else if !newcomers.is_empty() {
            self.connect_newcomers(&newcomers, wire);
        }
        let sent_from = self.cursor.map(|c| c.timetoken).filter(|t| !t.is_zero());
        let filled = self.filled_slots(fill.as_ref());
        if let Some(from) = sent_from {
            if response.events.len() >= SERVER_MAX_EVENTS {
                self.report_possible_gap(from, &response.events, &filled);
            }
        }
        let cursor = match (self.cursor, self.catch_up.take()) {
            (None, Some(timetoken)) => Cursor {
                timetoken,
                region: response.cursor.region,
            },
            _ => response.cursor,
        };
        self.cursor = Some(cursor);
        if !newcomers.is_empty() {
            // (only then: ids are never reused, so a removed one left here
            // until the next newcomer is harmless)
            self.confirmed = self.slots.keys().copied().collect();
        }
        self.confirmed_wire = Some(Arc::clone(current));
        match fill {
            Some(fill) if !filled.is_empty() => {
                self.route_filled(response.events, &fill, &filled);
            }
            _ => {
                for event in response.events {
                    self.route(event);
                }
            }
        }
    }

    /// A request that included subscriptions added while the loop was
    /// connected succeeded: they are connected now, and hear the new mix of
    /// names (everyone hears it when the mix changed).
    fn connect_newcomers(&mut self, newcomers: &[u64], wire: &WireSet) {
        let mix_changed = wire != self.confirmed_names();
        let targets: Vec<u64> = self
            .slots
            .iter()
            .filter(|(id, slot)| slot.statuses && (mix_changed || newcomers.contains(id)))
            .map(|(id, _)| *id)
            .collect();
        let status = Status::Connected {
            channels: wire.channel_list(),
            groups: wire.group_list(),
        };
        self.deliver_to(&targets, Event::Status(status));
        for id in newcomers {
            if let Some(slot) = self.slots.get(id) {
                slot.set_connection(Connection::Connected);
            }
        }
    }

    fn on_failure(&mut self, error: RequestError, inner: &Arc<Shared>) {
        tracing::debug!(%error, "pubnub subscribe failed");
        if !is_retryable(&error) {
            let status = terminal_status(error);
            if blames_the_names(&status) && self.end_unconfirmed(&status, |_| true) {
                return; // the others go on with the request that worked
            }
            if let Some(denied) = self.denied_new_names(&status) {
                // only names added since the last successful request were
                // refused: the subscriptions asking for them end, the others
                // go on
                if self.end_unconfirmed(&status, |names| names.intersects(&denied)) {
                    return;
                }
            }
            self.terminate(status);
            return;
        }
        let outage = self.state.outage_attempts();
        let attempt = outage.unwrap_or(0);
        let policy = &inner.config.reconnection;
        if policy.server_delay_capped(error.retry_after()) {
            tracing::info!(
                retry_after = ?error.retry_after(),
                max_delay = ?policy.max_delay(),
                "pubnub subscribe: the server's Retry-After is longer than the reconnection policy's maximum delay; waiting the maximum"
            );
        }
        let delay = policy.delay_with_capped_retry_after(attempt, error.retry_after());
        match delay {
            Some(delay) => {
                if outage.is_none() {
                    let status = outage_status(error);
                    self.broadcast(status.clone());
                    self.set_connection(Connection::Retrying(status));
                }
                self.state
                    .retry(attempt.saturating_add(1), deadline_after(delay));
            }
            None => {
                if outage.is_none() {
                    self.broadcast(outage_status(error.clone()));
                }
                self.terminate(Status::Disconnected { error: Some(error) });
            }
        }
    }

    /// A full response: tells each subscription that receives some of its
    /// events which of its channels may have lost messages.
    /// Subscriptions in `filled` hear of the range from their fill instead.
    fn report_possible_gap(&mut self, from: Timetoken, events: &[Event], filled: &[u64]) {
        let ids: Vec<u64> = self
            .slots
            .keys()
            .copied()
            .filter(|id| !filled.contains(id))
            .collect();
        for id in ids {
            let Some(slot) = self.slots.get(&id) else {
                continue;
            };
            let mut channels = BTreeSet::new();
            let mut to: Option<Timetoken> = None;
            for event in events.iter().filter(|e| slot.interest.wants(e)) {
                if let Some(channel) = event.channel() {
                    channels.insert(channel.to_owned());
                }
                let at = event_timetoken(event);
                to = match (to, at) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            if channels.is_empty() {
                continue;
            }
            tracing::warn!(
                channels = channels.len(),
                %from,
                "pubnub subscribe: a full response after a pause; messages may have been dropped by the server"
            );
            let status = Status::PossibleGap {
                channels: channels.into_iter().collect(),
                from,
                to: to.unwrap_or(from),
            };
            self.deliver_to(&[id], Event::Status(status));
        }
    }

    /// The names of the last successful request (none before the first).
    pub(super) fn confirmed_names(&self) -> &WireSet {
        static NONE: WireSet = WireSet {
            channels: BTreeSet::new(),
            groups: BTreeSet::new(),
        };
        self.confirmed_wire
            .as_ref()
            .map_or(&NONE, |current| &current.wire)
    }

    /// The names a 403 refused, when it names some and none of them was in
    /// the last successful request (so a token that expired or a key that
    /// lost access is not blamed on a newcomer).
    fn denied_new_names(&self, status: &Status) -> Option<WireSet> {
        let Status::AccessDenied { error } = status else {
            return None;
        };
        let RequestErrorKind::AccessDenied {
            channels,
            channel_groups,
            ..
        } = error.kind()
        else {
            return None;
        };
        let denied = WireSet {
            channels: channels.iter().cloned().collect(),
            groups: channel_groups.iter().cloned().collect(),
        };
        let new = !denied.is_empty()
            && self.state.is_connected()
            && !denied.intersects(self.confirmed_names());
        new.then_some(denied)
    }

    /// After the server rejected the names (400, 414, or a 403 on new
    /// names): ends the subscriptions added since the last successful
    /// request whose names `blamed` accepts, with `status`, when others were
    /// in that request. Returns whether it did (the loop goes on).
    fn end_unconfirmed(&mut self, status: &Status, blamed: impl Fn(&WireSet) -> bool) -> bool {
        let named = |slot: &Slot| matches!(slot.interest, Interest::Names { .. });
        let names = |slot: &Slot| {
            let mut names = WireSet::default();
            slot.interest.add_wire_names(&mut names);
            names
        };
        let named: Vec<(u64, &Slot)> = self
            .slots
            .iter()
            .filter(|(_, slot)| named(slot))
            .map(|(id, slot)| (*id, slot))
            .collect();
        let trusted = named.iter().any(|(id, _)| self.confirmed.contains(id));
        let suspects: Vec<u64> = named
            .iter()
            .filter(|(id, slot)| !self.confirmed.contains(id) && blamed(&names(slot)))
            .map(|(id, _)| *id)
            .collect();
        if suspects.is_empty() || !trusted {
            return false;
        }
        tracing::warn!(
            ended = suspects.len(),
            status = status.category(),
            "pubnub subscribe: the server rejected the names of the newest subscriptions; ending them, resuming the others"
        );
        for id in suspects {
            if let Some(mut slot) = self.slots.remove(&id) {
                slot.deliver(Event::Status(status.clone()));
                slot.set_connection(Connection::Failed(status.clone()));
            }
        }
        self.slots_changed();
        true
    }

    /// Stops the loop for good with `status` (a terminal error, or the
    /// reconnection policy gave up): every subscription hears it and ends
    /// (its streams end after what they hold). The cursor is kept, so after
    /// `reconnect()` new subscriptions continue where these stopped.
    pub(super) fn terminate(&mut self, status: Status) {
        self.state.terminate(status.clone());
        self.announce_stop(status.clone());
        self.end_subscriptions(&status);
    }

    /// Ends every subscription (not the listeners and status streams),
    /// leaving `status` as the reason each one reports.
    pub(super) fn end_subscriptions(&mut self, status: &Status) {
        let before = self.slots.len();
        self.slots.retain(|_, slot| {
            let named = matches!(slot.interest, Interest::Names { .. });
            if named {
                if !slot.statuses {
                    // its own end is news to it even without connection statuses
                    slot.deliver(Event::Status(status.clone()));
                }
                slot.set_connection(Connection::Failed(status.clone()));
            }
            !named
        });
        if self.slots.len() != before {
            self.slots_changed();
        }
    }

    /// `disconnect()`: stops the loop; subscriptions stay registered.
    pub(super) fn disconnect(&mut self) {
        self.state.disconnect();
        self.announce_stop(Status::Disconnected { error: None });
    }

    /// The loop stopped: announces `status` to everyone, once the heartbeats
    /// have stopped too.
    fn announce_stop(&mut self, status: Status) {
        self.sync_heartbeats();
        self.broadcast(status.clone());
        self.set_connection(Connection::Failed(status));
    }

    /// Delivers a wire event to every receiver that asked for it.
    pub(super) fn route(&mut self, event: Event) {
        let targets: Vec<u64> = self
            .slots
            .iter()
            .filter(|(_, slot)| slot.interest.wants(&event))
            .map(|(id, _)| *id)
            .collect();
        self.deliver_to(&targets, event);
    }

    /// Delivers a connection status to every receiver that hears them (the
    /// status stream, listeners, subscriptions made `with_statuses()`).
    pub(super) fn broadcast(&mut self, status: Status) {
        let targets: Vec<u64> = self
            .slots
            .iter()
            .filter(|(_, slot)| slot.statuses)
            .map(|(id, _)| *id)
            .collect();
        self.deliver_to(&targets, Event::Status(status));
    }

    pub(super) fn deliver_to(&mut self, targets: &[u64], event: Event) {
        let Some((last, rest)) = targets.split_last() else {
            return;
        };
        for id in rest {
            if let Some(slot) = self.slots.get_mut(id) {
                slot.deliver(event.clone());
            }
        }
        if let Some(slot) = self.slots.get_mut(last) {
            slot.deliver(event);
        }
    }

    pub(super) fn set_connection(&self, state: Connection) {
        for slot in self.slots.values() {
            slot.set_connection(state.clone());
        }
    }
}

/// `now + delay` without overflow: a delay past what `Instant` can hold
/// (`Duration::MAX` from `RetryPolicy::linear(Duration::MAX)`) becomes the
/// latest instant that fits, about a century from now: in effect "never",
/// while the engine keeps answering commands (`reconnect()`, `disconnect()`).
fn deadline_after(delay: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    let now = Instant::now();
    now.checked_add(delay)
        .or_else(|| now.checked_add(CENTURY))
        .unwrap_or(now)
}
