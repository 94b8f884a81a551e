//! This client's own presence state per channel/group, kept so that the
//! subscribe handshake and heartbeats can send it again (`state=`).

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::sync::lock;

/// Channel or group name → the state last set on it.
#[derive(Debug, Default)]
pub(crate) struct StateStore {
    states: Mutex<HashMap<String, Value>>,
}

impl StateStore {
    /// Remembers `state` for every name; an empty object forgets them.
    pub(crate) fn set(&self, names: &[String], state: &Value) {
        let clear = state.as_object().is_some_and(Map::is_empty);
        let mut states = lock(&self.states);
        for name in names {
            if clear {
                states.remove(name);
            } else {
                states.insert(name.clone(), state.clone());
            }
        }
    }

    /// Forgets the state of every name (after a leave).
    pub(crate) fn forget(&self, names: &[String]) {
        let mut states = lock(&self.states);
        for name in names {
            states.remove(name);
        }
    }

    /// `{"name": state, …}` for the names that have a state, or `None`.
    pub(crate) fn json_for<'a>(
        &self,
        names: impl IntoIterator<Item = &'a String>,
    ) -> Option<String> {
        let states = lock(&self.states);
        let map: Map<String, Value> = names
            .into_iter()
            .filter_map(|n| states.get(n).map(|s| (n.clone(), s.clone())))
            .collect();
        if map.is_empty() {
            None
        } else {
            Some(Value::Object(map).to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn set_forget_and_render() {
        let store = StateStore::default();
        assert_eq!(store.json_for(&names(&["a"])), None);
        store.set(&names(&["a", "g"]), &json!({"mood": "ok"}));
        store.set(&names(&["b"]), &json!({"n": 1}));
        let rendered: Value =
            serde_json::from_str(&store.json_for(&names(&["a", "b", "c", "g"])).unwrap()).unwrap();
        assert_eq!(
            rendered,
            json!({"a": {"mood": "ok"}, "b": {"n": 1}, "g": {"mood": "ok"}})
        );
        store.forget(&names(&["a"]));
        store.set(&names(&["b"]), &json!({}));
        assert_eq!(
            store.json_for(&names(&["a", "b", "g"])).as_deref(),
            Some(r#"{"g":{"mood":"ok"}}"#)
        );
    }
}
