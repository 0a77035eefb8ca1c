//! Stripe's request encoding: `application/x-www-form-urlencoded` with
//! bracketed keys (`metadata[order_id]=42`).

/// An ordered list of form fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn field(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.0.push((key.into(), value.to_string()));
        self
    }

    /// Adds the field only when there is a value.
    pub fn optional(self, key: impl Into<String>, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.field(key, v),
            None => self,
        }
    }

    pub fn fields(&self) -> &[(String, String)] {
        &self.0
    }

    pub fn encode(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'[' | b']' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Form;

    #[test]
    fn encodes_brackets_and_escapes_values() {
        let form = Form::new()
            .field("amount", 2000)
            .field("metadata[order_id]", "42")
            .field("description", "Café & co")
            .optional("customer", None::<&str>);
        assert_eq!(
            form.encode(),
            "amount=2000&metadata[order_id]=42&description=Caf%C3%A9+%26+co"
        );
    }
}
