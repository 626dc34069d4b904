-- pgbench script: the SQL shape of one POST /orders, without the service: read the stream, read its version
-- (the event store checks it again), append the first event, insert the outbox row, in one transaction
-- (bench/write-side.sh). Runs in schema pgbench, a
-- copy of the service's tables, so that the running service's relay does not publish these rows.
\set n random(1, 2000000000)
BEGIN;
SELECT * FROM event_store WHERE stream_id = 'pgbench-' || :n || '-' || :client_id ORDER BY stream_version;
SELECT coalesce(max(stream_version), 0) FROM event_store WHERE stream_id = 'pgbench-' || :n || '-' || :client_id;
INSERT INTO event_store (stream_id, stream_version, event_id, event_type, payload, metadata)
VALUES ('pgbench-' || :n || '-' || :client_id, 1, gen_random_uuid(), 'order.placed.v1',
        '{"orderId":"x","customerId":"c-bench","currency":"EUR","lines":[{"sku":"book","quantity":2,"unitPriceMinor":1250},{"sku":"pen","quantity":1,"unitPriceMinor":300}],"placedAt":1763900000000}',
        '{"correlationId":"c","causationId":"command:x","traceparent":null}');
INSERT INTO outbox (event_id, topic, message_key, event_type, source, subject, occurred_at, avro_schema, payload,
                    correlation_id, causation_id)
VALUES (gen_random_uuid(), 'bench.pgbench', 'x', 'order.placed.v1', '/switchboard/shop/orders', 'x', now(),
        'dev.switchboard.wire.orders.OrderPlaced',
        '{"orderId":"x","customerId":"c-bench","currency":"EUR","lines":[{"sku":"book","quantity":2,"unitPriceMinor":1250},{"sku":"pen","quantity":1,"unitPriceMinor":300}],"placedAt":1763900000000}',
        'c', 'command:x');
COMMIT;
