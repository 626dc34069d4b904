-- Rows written as JSON strings holding a JSON text (a String bound straight to a jsonb parameter) become the JSON itself.
-- order_view.lines: the array.
UPDATE order_view SET lines = (lines #>> '{}')::jsonb WHERE jsonb_typeof(lines) = 'string';
-- dead_letter.headers: the object.
UPDATE dead_letter SET headers = (headers #>> '{}')::jsonb WHERE jsonb_typeof(headers) = 'string';
