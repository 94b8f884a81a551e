//! `pubnub.here_now()`: occupancy of channels, groups, or the whole keyset.

use std::collections::BTreeMap;
use std::future::IntoFuture;

use futures::future::BoxFuture;
use serde_json::Value;

use super::builder::PresenceBuilder;
use super::shaped_read::{send_shaped, ShapedRead};
use super::targets::Targets;
use super::types::{ChannelOccupancy, HereNowResult, Occupant};
use crate::client::PubNub;
use crate::error::RequestError;
use crate::protocol::encode::encode;
use crate::transport::Request;

/// A here-now query; `.await` it. Start with [`PubNub::here_now`].
///
/// With no channels and no groups it asks about the whole keyset (global here now).
///
/// Names are added with [`channels`](PresenceBuilder::channels) and
/// [`channel_groups`](PresenceBuilder::channel_groups) (one name or many).
///
/// Defaults: no channels and no groups (the whole keyset), user ids listed
/// (`include_uuids(true)`), no state (`include_state(false)`), the server's
/// page size (no `limit`, 1000 on PubNub) from the first occupant (no `offset`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// let result = pubnub
///     .here_now()
///     .channels(["chat"])
///     .channel_groups(["friends"])
///     .include_uuids(true)
///     .include_state(true)
///     .await?;
/// println!("{} users present", result.total_occupancy);
/// # Ok(()) }
/// ```
pub type HereNowBuilder = PresenceBuilder<HereNow>;

/// The settings of a [`HereNowBuilder`] beside its channels and groups.
#[derive(Debug)]
pub struct HereNow {
    include_uuids: bool,
    include_state: bool,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl PubNub {
    /// Starts a here-now query (who is present where).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.here_now().channels(["chat"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn here_now(&self) -> HereNowBuilder {
        PresenceBuilder::new(
            self,
            HereNow {
                include_uuids: true,
                include_state: false,
                limit: None,
                offset: None,
            },
        )
    }
}

impl HereNowBuilder {
    /// List the present user ids (`false` sends `disable_uuids=1`). Default: `true`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.here_now().channels(["chat"]).include_uuids(false);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn include_uuids(mut self, include: bool) -> Self {
        self.call.include_uuids = include;
        self
    }

    /// Include each user's state (`state=1`). Default: `false`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.here_now().channels(["chat"]).include_state(true);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn include_state(mut self, include: bool) -> Self {
        self.call.include_state = include;
        self
    }

    /// List at most this many occupants per channel (`limit=`). Default: the
    /// server's (1000 on PubNub).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.here_now().channels(["chat"]).limit(100).offset(200);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.call.limit = Some(limit);
        self
    }

    /// Skip this many occupants per channel (`offset=`), to page with
    /// [`limit`](Self::limit). Default: 0.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.here_now().channels(["chat"]).offset(1000);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn offset(mut self, offset: u32) -> Self {
        self.call.offset = Some(offset);
        self
    }

    /// The request, and the channel name when the answer has the one-channel shape.
    fn request(self) -> Result<ShapedRead, RequestError> {
        let targets = Targets::new(&self.channels, &self.groups)?;
        let config = self.pubnub.config();
        let base = format!("/v2/presence/sub-key/{}", encode(config.subscribe_key()));
        let path = if targets.is_empty() {
            base
        } else {
            format!("{base}/channel/{}", targets.channel_segment())
        };
        let mut req = targets.with_groups(Request::get(path, config.request_timeout()));
        if !self.call.include_uuids {
            req = req.param("disable_uuids", "1");
        }
        if self.call.include_state {
            req = req.param("state", "1");
        }
        if let Some(limit) = self.call.limit {
            req = req.param("limit", limit.to_string());
        }
        if let Some(offset) = self.call.offset {
            req = req.param("offset", offset.to_string());
        }
        let single = targets.single_channel();
        Ok((self.pubnub, req, single))
    }
}

impl IntoFuture for HereNowBuilder {
    type Output = Result<HereNowResult, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        send_shaped(self.request(), parse_here_now)
    }
}

/// Parses either body shape of protocol.md §8.2: the one-channel shape
/// (`uuids`/`occupancy` at the top, named by `single`) or the `payload` shape.
pub(crate) fn parse_here_now(
    body: &Value,
    single: Option<&str>,
) -> Result<HereNowResult, RequestError> {
    if let Some(payload) = body.get("payload").filter(|p| p.get("channels").is_some()) {
        let channels = payload
            .get("channels")
            .and_then(Value::as_object)
            .ok_or_else(|| RequestError::invalid_response("payload.channels is not an object"))?;
        let channels = channels
            .iter()
            .map(|(name, entry)| Ok((name.clone(), parse_channel(entry)?)))
            .collect::<Result<BTreeMap<_, _>, RequestError>>()?;
        let total_occupancy = payload
            .get("total_occupancy")
            .and_then(Value::as_u64)
            .unwrap_or_else(|| channels.values().map(|c| c.occupancy).sum());
        let total_channels = payload
            .get("total_channels")
            .and_then(Value::as_u64)
            .unwrap_or(channels.len() as u64);
        return Ok(HereNowResult {
            total_channels,
            total_occupancy,
            channels,
        });
    }
    let name = single.ok_or_else(|| {
        RequestError::invalid_response("expected payload.channels in a here_now answer")
    })?;
    let occupancy = parse_channel(body)?;
    Ok(HereNowResult {
        total_channels: 1,
        total_occupancy: occupancy.occupancy,
        channels: BTreeMap::from([(name.to_owned(), occupancy)]),
    })
}

/// `{"occupancy":N[,"uuids":[…]]}`; a uuid is a string or `{"uuid":…,"state":…}`.
fn parse_channel(entry: &Value) -> Result<ChannelOccupancy, RequestError> {
    let occupancy = entry
        .get("occupancy")
        .and_then(Value::as_u64)
        .ok_or_else(|| RequestError::invalid_response("expected a numeric occupancy"))?;
    let occupants = match entry.get("uuids") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list.iter().map(parse_occupant).collect::<Result<_, _>>()?,
        Some(_) => return Err(RequestError::invalid_response("uuids is not a list")),
    };
    Ok(ChannelOccupancy {
        occupancy,
        occupants,
    })
}

fn parse_occupant(value: &Value) -> Result<Occupant, RequestError> {
    match value {
        Value::String(uuid) => Ok(Occupant {
            uuid: uuid.clone(),
            state: None,
        }),
        Value::Object(obj) => {
            let uuid = obj
                .get("uuid")
                .and_then(Value::as_str)
                .ok_or_else(|| RequestError::invalid_response("an occupant has no uuid"))?;
            Ok(Occupant {
                uuid: uuid.to_owned(),
                state: obj.get("state").filter(|s| !s.is_null()).cloned(),
            })
        }
        _ => Err(RequestError::invalid_response(
            "an occupant is neither a string nor an object",
        )),
    }
}

#[cfg(test)]
#[path = "here_now_tests.rs"]
mod tests;
