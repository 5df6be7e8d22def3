//! What the tabs of one origin tell each other over their BroadcastChannel, so one sign-in is
//! shared by every tab: a new tab asks for the session, a sign-in or refresh hands it on, a
//! sign-out ends it everywhere. Text on the wire: the kind, a newline, then its payload.

/// One message between tabs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TabMessage {
    /// A tab without a session asks whether a signed-in tab is open; such a tab answers with
    /// [`TabMessage::Session`].
    Hello,
    /// The current session record, encoded as it is stored ([`crate::session::SessionRecord::encode`]):
    /// after a sign-in, after a refresh, or as the answer to `Hello`.
    Session(String),
    /// The session ended (signed out, or the refresh token was refused); the notice to show.
    SignedOut(String),
}

const HELLO: &str = "hello";
const SESSION: &str = "session";
const SIGNED_OUT: &str = "signed-out";

impl TabMessage {
    pub fn encode(&self) -> String {
        match self {
            TabMessage::Hello => HELLO.to_owned(),
            TabMessage::Session(record) => format!("{SESSION}\n{record}"),
            TabMessage::SignedOut(notice) => format!("{SIGNED_OUT}\n{notice}"),
        }
    }

    /// `None` for anything this build does not know (a newer build's message in another tab).
    pub fn decode(text: &str) -> Option<TabMessage> {
        let (kind, payload) = text.split_once('\n').unwrap_or((text, ""));
        match kind {
            HELLO if payload.is_empty() => Some(TabMessage::Hello),
            SESSION if !payload.is_empty() => Some(TabMessage::Session(payload.to_owned())),
            SIGNED_OUT => Some(TabMessage::SignedOut(payload.to_owned())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_round_trips() {
        for message in [
            TabMessage::Hello,
            TabMessage::Session("{\"v\":2,\"access_token\":\"a\\nb\"}".into()),
            TabMessage::SignedOut("You signed out in another tab.\nSign in again.".into()),
            TabMessage::SignedOut(String::new()),
        ] {
            assert_eq!(TabMessage::decode(&message.encode()), Some(message));
        }
    }

    #[test]
    fn unknown_or_malformed_messages_are_ignored() {
        for text in [
            "",
            "hello\nextra",
            "session",
            "session\n",
            "bye\nx",
            "HELLO",
        ] {
            assert_eq!(TabMessage::decode(text), None, "{text:?}");
        }
    }
}
