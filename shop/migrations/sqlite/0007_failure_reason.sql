-- Why the last payment attempt failed, as the shop's own reason code
-- (crate::orders::FailureReason), so every page and message can say it in the
-- shopper's language. failure_message keeps Stripe's English words, for logs.
ALTER TABLE orders ADD COLUMN failure_reason TEXT;
