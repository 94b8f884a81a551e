//! Path and query building.

use super::encode::{encode, encode_into, encoded_len};

/// A channel (or group) list path segment: each name encoded on its own, sorted,
/// de-duplicated and joined with a literal `,`; an empty list is `,`.
#[allow(dead_code)] // used by the subscribe engine
pub(crate) fn channel_list<I, S>(names: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut encoded: Vec<String> = names.into_iter().map(|n| encode(n.as_ref())).collect();
    encoded.sort_unstable();
    encoded.dedup();
    if encoded.is_empty() {
        return ",".to_owned();
    }
    encoded.join(",")
}

/// `k1=v1&k2=v2…` with every value encoded once; keys are used as given
/// (they are fixed ASCII names).
pub(crate) fn query_string<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    let len = pairs
        .iter()
        .map(|(k, v)| k.len() + encoded_len(v) + 2)
        .sum();
    let mut out = String::with_capacity(len);
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        encode_into(&mut out, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_lists_are_encoded_sorted_deduped_and_comma_joined() {
        assert_eq!(channel_list(["news", "chat", "news"]), "chat,news");
        assert_eq!(channel_list(["a b", "x+y"]), "a%20b,x%2By");
        assert_eq!(channel_list(["a,b"]), "a%2Cb");
        assert_eq!(channel_list(["ü", "u"]), "%C3%BC,u");
    }

    #[test]
    fn empty_channel_list_is_a_single_comma() {
        assert_eq!(channel_list(Vec::<String>::new()), ",");
    }

    #[test]
    fn query_values_are_encoded_once() {
        let q = query_string([
            ("filter-expr", "uuid != 'cvc1'"),
            ("meta", "{\"a\":\"b c\"}"),
        ]);
        assert_eq!(
            q,
            "filter-expr=uuid%20%21%3D%20%27cvc1%27&meta=%7B%22a%22%3A%22b%20c%22%7D"
        );
        assert_eq!(query_string([("x", "%20")]), "x=%2520");
        assert_eq!(query_string(Vec::<(&str, &str)>::new()), "");
    }
}
