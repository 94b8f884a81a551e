//! [`IntoNames`]: what `channels(..)` and `channel_groups(..)` accept.

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
