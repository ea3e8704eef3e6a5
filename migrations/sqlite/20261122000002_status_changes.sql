-- Undo, recall and cancellation reasons.
ALTER TABLE orders ADD COLUMN previous_status TEXT;
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;
