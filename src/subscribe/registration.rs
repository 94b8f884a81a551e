//! A receiver registered with the engine; unregisters itself on drop.

use std::sync::Arc;

use std::task::{Context, Poll};
use tokio::sync::watch;

use super::engine::interest::Interest;
use super::engine::slot::{slot, Connection, SlotReceiver};
use super::engine::{Command, EngineHandle};
use super::{Event, Status};
use crate::client::PubNub;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::timetoken::Timetoken;

/// What to register.
#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) interest: Interest,
    pub(crate) buffer: usize,
    pub(crate) dedupe: Option<usize>,
    pub(crate) timetoken: Option<Timetoken>,
    /// Connection statuses in this subscription's stream too.
    pub(crate) statuses: bool,
    /// Fill possible gaps from history.
    pub(crate) gap_free: bool,
}

/// The consumer side of one engine receiver. Keeps the client alive.
#[derive(Debug)]
pub(crate) struct Registration {
    receiver: SlotReceiver,
    id: u64,
    engine: Option<Arc<EngineHandle>>,
    /// Keeps the client alive (not for listeners, which the client owns).
    _client: Option<PubNub>,
}

impl Registration {
    pub(crate) fn new(client: &PubNub, options: Options) -> Self {
        let inner = client.inner();
        let Some(engine) = client.engine().get_or_spawn(inner) else {
            return Registration::failed(
                client,
                Status::Unknown {
                    error: RequestError::from_kind(RequestErrorKind::NoRuntime),
                },
            );
        };
        let id = engine.next_id();
        let (mut slot, receiver) = slot(options.interest, options.buffer, options.dedupe);
        slot.statuses = options.statuses;
        slot.gap_free = options.gap_free;
        engine.send(Command::Register {
            id,
            slot,
            timetoken: options.timetoken,
        });
        Registration {
            receiver,
            id,
            engine: Some(engine),
            _client: Some(client.clone()),
        }
    }

    /// A registration that yields `status` and ends.
    pub(crate) fn failed(client: &PubNub, status: Status) -> Self {
        Registration {
            receiver: SlotReceiver::failed(status),
            id: 0,
            engine: None,
            _client: Some(client.clone()),
        }
    }

    /// Stops keeping the client alive (for receivers owned by the client itself).
    pub(crate) fn detach_client(&mut self) {
        self._client = None;
    }

    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.receiver.poll_next(cx)
    }

    pub(crate) fn is_terminated(&self) -> bool {
        self.receiver.is_terminated()
    }

    /// The reason the engine ended this subscription, if it failed.
    pub(crate) fn failure(connection: &watch::Receiver<Connection>) -> Option<Status> {
        match &*connection.borrow() {
            Connection::Failed(status) => Some(status.clone()),
            _ => None,
        }
    }

    /// A handle on this subscription's connection state.
    pub(crate) fn connection(&self) -> watch::Receiver<Connection> {
        self.receiver.connection.clone()
    }

    /// Waits until connected; the stopping status if the loop stopped first.
    pub(crate) async fn connected(&self) -> Result<(), Status> {
        self.wait_connection(|c| matches!(c, Connection::Connected | Connection::Failed(_)))
            .await
    }

    /// Waits for the first outcome: connected, failed, or a first failed
    /// attempt (the engine is retrying), which is an error here.
    pub(crate) async fn first_attempt(&self) -> Result<(), Status> {
        self.wait_connection(|c| !matches!(c, Connection::Pending))
            .await
    }

    async fn wait_connection(&self, done: impl FnMut(&Connection) -> bool) -> Result<(), Status> {
        let mut watch = self.receiver.connection.clone();
        let state = watch.wait_for(done).await.map(|state| state.clone());
        // the engine let go of the subscription (runtime shut down, unsubscribed)
        // even if it said Connected last
        let engine_gone = watch.has_changed().is_err();
        match state {
            Ok(Connection::Connected) if engine_gone => Err(Status::Disconnected {
                error: Some(RequestError::from_kind(RequestErrorKind::SubscriptionEnded)),
            }),
            Ok(Connection::Connected) => Ok(()),
            Ok(Connection::Failed(status) | Connection::Retrying(status)) => Err(status),
            Ok(Connection::Pending) | Err(_) => Err(Status::Disconnected {
                error: Some(RequestError::from_kind(RequestErrorKind::SubscriptionEnded)),
            }),
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(engine) = &self.engine {
            engine.send(Command::Remove { id: self.id });
        }
    }
}
