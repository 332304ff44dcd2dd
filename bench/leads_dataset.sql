-- Benchmark dataset for the leads slice: :tenants tenants (the demo tenant first) x :per_tenant
-- leads each, with varied names, companies, sources, statuses, scores, owners, tags and creation
-- times, the way a CRM fills up. Run as the owner: psql -v tenants=10 -v per_tenant=100000 -f …
-- Idempotent per tenant: a tenant that already has leads is skipped.
\set ON_ERROR_STOP on
INSERT INTO tenants (id, name, slug)
SELECT gen_random_uuid(), 'Bench ' || n, 'bench-' || n
FROM generate_series(1, :tenants - 1) n
ON CONFLICT (slug) DO NOTHING;

CREATE TEMP TABLE bench_tenants AS
SELECT id FROM tenants WHERE slug = 'demo'
UNION ALL
SELECT id FROM (SELECT id FROM tenants WHERE slug LIKE 'bench-%' ORDER BY slug LIMIT :tenants - 1) t;

INSERT INTO lead_statuses (tenant_id, name, position)
SELECT t.id, s.name, s.position
FROM bench_tenants t,
     (VALUES ('New', 1), ('Assigned', 2), ('In Process', 3), ('Converted', 4), ('Recycled', 5), ('Dead', 6))
         AS s(name, position)
ON CONFLICT DO NOTHING;

INSERT INTO leads (tenant_id, id, first_name, last_name, email, phone, company, title, website,
                   domain, source, status, score, tags, timezone, created_at, updated_at)
SELECT t.id, gen_random_uuid(),
       (ARRAY['Ana','Bogdan','Carla','Dan','Elena','Florin','Gina','Horia','Ioana','Jon','Kira','Liviu','Maria','Nick','Olga','Paul'])[1 + n % 16],
       (ARRAY['Popescu','Ionescu','Smith','Müller','García','Rossi','Novak','Kowalski','Dubois','Jensen','Silva','Young'])[1 + (n / 16) % 12],
       'lead' || n || '@' || (ARRAY['acme','globex','initech','umbrella','hooli','stark','wayne','wonka'])[1 + n % 8] || '.example',
       '+4072' || lpad((n % 10000000)::text, 7, '0'),
       (ARRAY['Acme','Globex','Initech','Umbrella','Hooli','Stark Industries','Wayne Enterprises','Wonka'])[1 + n % 8] || ' ' || (n % 500),
       (ARRAY['CEO','CTO','Head of Sales','Marketing Manager','Founder','Buyer'])[1 + n % 6],
       'https://www.' || (ARRAY['acme','globex','initech','umbrella','hooli','stark','wayne','wonka'])[1 + n % 8] || '.example',
       (ARRAY['acme','globex','initech','umbrella','hooli','stark','wayne','wonka'])[1 + n % 8] || '.example',
       (ARRAY['website','referral','import','linkedin','event'])[1 + n % 5],
       (ARRAY['New','Assigned','In Process','Converted','Recycled','Dead'])[1 + (n * 7) % 6],
       (n * 37) % 101,
       CASE WHEN n % 3 = 0 THEN ARRAY['vip'] WHEN n % 3 = 1 THEN ARRAY['cold', 'q4'] ELSE '{}' END,
       'Europe/Bucharest',
       now() - make_interval(secs => n * 37),
       now() - make_interval(secs => n * 17)
FROM bench_tenants t
CROSS JOIN generate_series(1, :per_tenant) n
WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.tenant_id = t.id);

-- Vacuumed as well as analysed, as a table at rest would be: autovacuum reacting to the
-- million new rows would otherwise run during the measurements that follow.
VACUUM (ANALYZE) leads;
SELECT count(*) AS leads, count(DISTINCT tenant_id) AS tenants FROM leads;
