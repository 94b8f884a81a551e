//! `pubnub.set_state()` and `pubnub.get_state()`: per-channel presence state.

use std::collections::BTreeMap;
use std::future::IntoFuture;

use futures::future::BoxFuture;
use serde::Serialize;
use serde_json::Value;

use super::builder::PresenceBuilder;
use super::shaped_read::{send_shaped, ShapedRead};
use super::targets::Targets;
use crate::client::PubNub;
use crate::error::RequestError;
use crate::protocol::encode::encode;
use crate::rest::send_json;
use crate::transport::Request;

/// Sets this client's state on channels and groups; `.await` it for the state
/// the server stored. Start with [`PubNub::set_state`].
///
/// The state is also remembered by the client and sent again (`state=`) with
/// the next subscribe handshake and heartbeats. An empty object clears it.
///
/// Names are added with [`channels`](PresenceBuilder::channels) and
/// [`channel_groups`](PresenceBuilder::channel_groups) (one name or many).
///
/// Defaults: no channels and no groups (at least one is needed), no state
/// (required), for this client's own user id.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// #[derive(serde::Serialize)]
/// struct Mood { mood: &'static str }
///
/// let stored = pubnub.set_state().channels(["chat"]).state(&Mood { mood: "happy" }).await?;
/// assert_eq!(stored["mood"], "happy");
/// # Ok(()) }
/// ```
pub type SetStateBuilder = PresenceBuilder<SetState>;

/// The settings of a [`SetStateBuilder`] beside its channels and groups.
#[derive(Debug)]
pub struct SetState {
    state: Option<Result<Value, serde_json::Error>>,
}

/// Reads a user's state on channels and groups; `.await` it for a map of
/// channel → state. Start with [`PubNub::get_state`].
///
/// Names are added with [`channels`](PresenceBuilder::channels) and
/// [`channel_groups`](PresenceBuilder::channel_groups) (one name or many).
///
/// Defaults: no channels and no groups (at least one is needed), this
/// client's own user id.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// let states = pubnub.get_state().channels(["chat"]).user_id("bob").await?;
/// println!("bob on chat: {:?}", states.get("chat"));
/// # Ok(()) }
/// ```
pub type GetStateBuilder = PresenceBuilder<GetState>;

/// The settings of a [`GetStateBuilder`] beside its channels and groups.
#[derive(Debug)]
pub struct GetState {
    user_id: Option<String>,
}

impl PubNub {
    /// Starts setting this client's presence state.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.set_state().channels(["chat"]).state(&serde_json::json!({"mood": "ok"}));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn set_state(&self) -> SetStateBuilder {
        PresenceBuilder::new(self, SetState { state: None })
    }

    /// Starts reading a user's presence state (by default this client's).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.get_state().channels(["chat"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn get_state(&self) -> GetStateBuilder {
        PresenceBuilder::new(self, GetState { user_id: None })
    }
}

/// `/v2/presence/sub-key/{sub}/channel/{chs}/uuid/{uuid}`, for non-empty targets.
fn state_path(pubnub: &PubNub, targets: &Targets, user_id: &str) -> Result<String, RequestError> {
    if targets.is_empty() {
        return Err(RequestError::invalid_argument(
            "state calls need at least one channel or channel group",
        ));
    }
    if user_id.is_empty() {
        return Err(RequestError::invalid_argument("the user id is empty"));
    }
    Ok(format!(
        "/v2/presence/sub-key/{}/channel/{}/uuid/{}",
        encode(pubnub.config().subscribe_key()),
        targets.channel_segment(),
        encode(user_id)
    ))
}

impl SetStateBuilder {
    /// The state (required): any `Serialize` value that serializes to a JSON object.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.set_state().channels(["chat"]).state(&serde_json::json!({"typing": true}));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn state<S: Serialize + ?Sized>(mut self, state: &S) -> Self {
        self.call.state = Some(serde_json::to_value(state));
        self
    }

    fn request(self) -> Result<(PubNub, Request, Targets, Value), RequestError> {
        let targets = Targets::new(&self.channels, &self.groups)?;
        let state = self
            .call
            .state
            .ok_or_else(|| RequestError::invalid_argument("set_state needs a state"))?
            .map_err(RequestError::serialization)?;
        if !state.is_object() {
            return Err(RequestError::invalid_argument(
                "the state must serialize to a JSON object",
            ));
        }
        let config = self.pubnub.config();
        let path = state_path(&self.pubnub, &targets, config.user_id())? + "/data";
        let req = targets.with_groups(
            Request::get(path, config.request_timeout()).param("state", state.to_string()),
        );
        Ok((self.pubnub, req, targets, state))
    }
}

impl IntoFuture for SetStateBuilder {
    type Output = Result<Value, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        Box::pin(async move {
            let (pubnub, req, targets, state) = request?;
            let body = send_json(pubnub.inner(), req).await?;
            let store = &pubnub.inner().presence_state;
            store.set(&targets.channels, &state);
            store.set(&targets.groups, &state);
            Ok(body.get("payload").cloned().unwrap_or(state))
        })
    }
}

impl GetStateBuilder {
    /// The user id to read. Default: the client's own.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.get_state().channels(["chat"]).user_id("bob");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.call.user_id = Some(user_id.into());
        self
    }

    /// The request, and the channel name when the answer has the one-channel shape.
    fn request(self) -> Result<ShapedRead, RequestError> {
        let targets = Targets::new(&self.channels, &self.groups)?;
        let config = self.pubnub.config();
        let user_id = self.call.user_id.as_deref().unwrap_or(config.user_id());
        let path = state_path(&self.pubnub, &targets, user_id)?;
        let req = targets.with_groups(Request::get(path, config.request_timeout()));
        let single = targets.single_channel();
        Ok((self.pubnub, req, single))
    }
}

impl IntoFuture for GetStateBuilder {
    type Output = Result<BTreeMap<String, Value>, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        send_shaped(self.request(), parse_get_state)
    }
}

/// One channel asked (`single`): `payload` is the state. Otherwise
/// `payload.channels` maps channel → state.
pub(crate) fn parse_get_state(
    body: &Value,
    single: Option<&str>,
) -> Result<BTreeMap<String, Value>, RequestError> {
    let payload = body
        .get("payload")
        .ok_or_else(|| RequestError::invalid_response("expected a payload"))?;
    if let Some(channel) = single {
        let name = body
            .get("channel")
            .and_then(Value::as_str)
            .unwrap_or(channel);
        return Ok(BTreeMap::from([(name.to_owned(), payload.clone())]));
    }
    let channels = payload
        .get("channels")
        .and_then(Value::as_object)
        .ok_or_else(|| RequestError::invalid_response("expected payload.channels"))?;
    Ok(channels
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
