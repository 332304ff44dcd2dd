-- leads: calls and emails that other slices report as events land on the lead's timeline.
-- The event's sequence number makes the entry idempotent: a subscriber handed the same event
-- twice (at-least-once delivery) writes it once.
ALTER TABLE lead_timeline ADD COLUMN event_seq bigint;
CREATE UNIQUE INDEX lead_timeline_event_idx ON lead_timeline (tenant_id, event_seq)
    WHERE event_seq IS NOT NULL;
