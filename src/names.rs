//! [`IntoNames`]: what `channels(..)` and `channel_groups(..)` accept, and
//! `name_setters!`, which writes those setters (and their docs) once for
//! every builder that takes names.

/// One name or a collection of names: `"chat"`, `String`, `["a", "b"]`,
/// `vec![..]`, slices, sets, and mapped iterators.
///
/// For any other iterator, collect it into a `Vec` first.
///
/// ```
/// use pubnub_stream::IntoNames;
/// assert_eq!("chat".into_names(), ["chat"]);
/// assert_eq!(["a", "b"].into_names(), ["a", "b"]);
/// assert_eq!(vec![String::from("x")].into_names(), ["x"]);
/// assert_eq!((1..3).map(|n| format!("room-{n}")).into_names(), ["room-1", "room-2"]);
/// ```
pub trait IntoNames {
    /// The names, in the given order.
    fn into_names(self) -> Vec<String>;
}

impl IntoNames for &str {
    fn into_names(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}

impl IntoNames for String {
    fn into_names(self) -> Vec<String> {
        vec![self]
    }
}

impl IntoNames for &String {
    fn into_names(self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl<S: Into<String>, const N: usize> IntoNames for [S; N] {
    fn into_names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String> + Clone, const N: usize> IntoNames for &[S; N] {
    fn into_names(self) -> Vec<String> {
        self.iter().cloned().map(Into::into).collect()
    }
}

impl<S: Into<String> + Clone> IntoNames for &[S] {
    fn into_names(self) -> Vec<String> {
        self.iter().cloned().map(Into::into).collect()
    }
}

impl<S: Into<String>> IntoNames for Vec<S> {
    fn into_names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String> + Clone> IntoNames for &Vec<S> {
    fn into_names(self) -> Vec<String> {
        self.as_slice().into_names()
    }
}

impl<S: Into<String>> IntoNames for std::collections::BTreeSet<S> {
    fn into_names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String>, H> IntoNames for std::collections::HashSet<S, H> {
    fn into_names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<I, F, S> IntoNames for std::iter::Map<I, F>
where
    I: Iterator,
    F: FnMut(I::Item) -> S,
    S: Into<String>,
{
    fn into_names(self) -> Vec<String> {
        self.map(Into::into).collect()
    }
}

impl<S: Into<String>> IntoNames for Option<S> {
    fn into_names(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

/// Writes a builder's `channels` setter, or its `channels` and
/// `channel_groups` setters, with their docs: every builder takes names the
/// same way. The builder keeps the names in the `Vec<String>` fields named
/// by `channels:` and `channel_groups:`; `start:` is how the doc examples
/// make the builder from a client `pubnub`. What a builder does with the
/// names (patterns, `-pnpres`, how many are needed) is for its own docs.
macro_rules! name_setters {
    (channels: $channels:ident, start: $start:literal) => {
        /// Adds channels: a name, an array, a slice, a `Vec`, a set or a
        /// mapped iterator ([`IntoNames`](crate::IntoNames)). Repeatable: the
        /// names add up.
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        #[doc = concat!("let one = pubnub.", $start, ".channels(\"a\");")]
        #[doc = concat!("let many = pubnub.", $start, ".channels([\"a\", \"b\"]).channels(&[\"c\"]);")]
        #[doc = concat!("let owned = pubnub.", $start, ".channels(vec![String::from(\"a\")]);")]
        #[doc = concat!("let mapped = pubnub.", $start, ".channels((1..3).map(|n| format!(\"room-{n}\")));")]
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        pub fn channels(mut self, channels: impl $crate::names::IntoNames) -> Self {
            self.$channels
                .extend($crate::names::IntoNames::into_names(channels));
            self
        }
    };
    (channels: $channels:ident, channel_groups: $groups:ident, start: $start:literal) => {
        $crate::names::name_setters!(channels: $channels, start: $start);

        /// Adds channel groups, taken like [`channels`](Self::channels).
        /// Repeatable: the names add up.
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        #[doc = concat!("let one = pubnub.", $start, ".channel_groups(\"friends\");")]
        #[doc = concat!("let many = pubnub.", $start, ".channel_groups([\"friends\", \"family\"]);")]
        #[doc = concat!("let owned = pubnub.", $start, ".channel_groups(vec![String::from(\"friends\")]);")]
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        pub fn channel_groups(mut self, groups: impl $crate::names::IntoNames) -> Self {
            self.$groups
                .extend($crate::names::IntoNames::into_names(groups));
            self
        }
    };
}
pub(crate) use name_setters;
