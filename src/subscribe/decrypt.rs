//! Received messages decrypted with the client's [`CryptoModule`], before
//! any stream, combinator or listener sees them.

use crate::crypto::CryptoModule;
use crate::subscribe::Event;

/// Decrypts the payload of every message event in place. Signals, presence,
/// objects, message actions and files are left as they are (PubNub never
/// encrypts the first three; files are not supported by this client).
pub(crate) fn decrypt_events(events: &mut [Event], crypto: &CryptoModule) {
    for event in events {
        if let Event::Message(message) = event {
            message.decrypt_with(crypto);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::CryptoError;
    use crate::message::Message;
    use crate::subscribe::Status;
    use serde_json::json;

    #[test]
    fn decrypts_messages_only_and_keeps_what_fails() {
        let crypto = CryptoModule::aes_cbc("k");
        let sealed = crypto.encrypt(br#"{"text":"hi"}"#).unwrap();
        let mut events = vec![
            Event::Message(Message::new("c", json!(sealed))),
            Event::Message(Message::new("c", json!("not base64!"))),
            Event::Signal(Message::new("c", json!(sealed))),
            Event::Status(Status::Lagged { missed: 1 }),
        ];
        decrypt_events(&mut events, &crypto);
        let Event::Message(good) = &events[0] else {
            panic!()
        };
        assert_eq!(
            (good.payload.clone(), good.decrypt_error.clone()),
            (json!({"text": "hi"}), None)
        );
        let Event::Message(bad) = &events[1] else {
            panic!()
        };
        assert_eq!(bad.payload, json!("not base64!"));
        assert_eq!(bad.decrypt_error, Some(CryptoError::NotBase64));
        let Event::Signal(signal) = &events[2] else {
            panic!()
        };
        assert_eq!(signal.payload, json!(sealed));
    }
}
