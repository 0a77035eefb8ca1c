-- Which instance claimed a message being sent. With several instances on
-- one database, a message is marked `interrupted` only when the instance
-- that claimed it is gone (its `outbox:<instance>` lease lapsed), never
-- while it may still be sending it.
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
-- Recovery looks at the messages being sent only.
CREATE INDEX messages_sending ON messages (id) WHERE delivery = 'sending';
