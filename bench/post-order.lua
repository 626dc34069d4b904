-- wrk script: POST /orders with a valid two-line order (bench/write-side.sh). wrk itself reports any
-- "Non-2xx or 3xx responses".
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"customerId":"c-bench","lines":[' ..
    '{"sku":"book","quantity":2,"unitPrice":{"amountMinor":1250,"currency":"EUR"}},' ..
    '{"sku":"pen","quantity":1,"unitPrice":{"amountMinor":300,"currency":"EUR"}}]}'
