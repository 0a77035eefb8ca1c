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

    /// `application/x-www-form-urlencoded`, as Stripe's API takes it.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.0)
            .finish()
    }
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
            "amount=2000&metadata%5Border_id%5D=42&description=Caf%C3%A9+%26+co"
        );
    }
}
