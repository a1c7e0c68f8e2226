-- The raw baseline of the export step in scripts/bench.sh: the same rows and columns as
-- `cubedesk export --format csv --customer PHONE`, by the sqlite3 command-line shell (@PHONE@ is filled in).
.mode csv
.headers on
SELECT datetime(m.created_at / 1000, 'unixepoch', 'localtime') AS local_time,
       strftime('%Y-%m-%dT%H:%M:%fZ', m.created_at / 1000.0, 'unixepoch') AS utc_time,
       m.direction, cu.name, '''+' || cu.phone, n.display_name, m.type,
       coalesce(m.text, m.rendered_body, m.media_caption, m.media_filename, m.reaction_emoji, m.location_name) AS text,
       m.status, m.category, m.cost, m.cost_currency, m.failure_reason, CASE m.imported WHEN 1 THEN 'yes' ELSE 'no' END,
       m.template_name, m.local_id
FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN customers cu ON cu.id = c.customer_id
JOIN whatsapp_numbers n ON n.id = c.number_id
WHERE cu.phone = '@PHONE@' ORDER BY m.created_at, m.id;
