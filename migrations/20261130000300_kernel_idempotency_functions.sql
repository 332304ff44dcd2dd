-- kernel: the Idempotency-Key middleware's three steps as one statement each (claim, keep the
-- response, release), so the middleware costs one round trip before the handler and one after.
-- SECURITY DEFINER: they take the tenant as an argument (the middleware passes the request's
-- principal's) and touch only that tenant's rows of idempotency_keys.

-- Claims (tenant, key, method, path) for a request with fingerprint `fp`: returns `claimed`, or
-- the live row that stood in the way (for a replay, a mismatch or "in flight").
CREATE FUNCTION kernel_idempotency_claim(tenant uuid, idem_key text, idem_method text,
                                         idem_path text, fp bytea, lease_secs float8)
    RETURNS TABLE (claimed boolean, fingerprint bytea, state text, status smallint,
                   headers jsonb, body bytea)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- A key released between the two statements is claimed on the next turn; after a few
    -- turns of such churn, "in flight" is the honest answer.
    FOR turn IN 1..3 LOOP
        INSERT INTO idempotency_keys AS k
            (tenant_id, key, method, path, fingerprint, state, expires_at)
        VALUES (tenant, idem_key, idem_method, idem_path, fp, 'in_flight',
                now() + make_interval(secs => lease_secs))
        ON CONFLICT (tenant_id, key, method, path) DO UPDATE
            SET fingerprint = EXCLUDED.fingerprint, state = 'in_flight', status = NULL,
                headers = NULL, body = NULL, created_at = now(),
                expires_at = EXCLUDED.expires_at
            WHERE k.expires_at <= now();
        IF FOUND THEN
            RETURN QUERY SELECT true, NULL::bytea, NULL::text, NULL::smallint, NULL::jsonb, NULL::bytea;
            RETURN;
        END IF;
        RETURN QUERY
            SELECT false, i.fingerprint, i.state, i.status, i.headers, i.body
              FROM idempotency_keys i
             WHERE i.tenant_id = tenant AND i.key = idem_key AND i.method = idem_method
               AND i.path = idem_path AND i.expires_at > now();
        IF FOUND THEN
            RETURN;
        END IF;
    END LOOP;
    RETURN QUERY SELECT false, fp, 'in_flight'::text, NULL::smallint, NULL::jsonb, NULL::bytea;
END
$$;

CREATE FUNCTION kernel_idempotency_complete(tenant uuid, idem_key text, idem_method text,
                                            idem_path text, fp bytea, response_status smallint,
                                            response_headers jsonb, response_body bytea,
                                            ttl_secs float8) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE idempotency_keys
       SET state = 'done', status = response_status, headers = response_headers,
           body = response_body, expires_at = now() + make_interval(secs => ttl_secs)
     WHERE tenant_id = tenant AND key = idem_key AND method = idem_method AND path = idem_path
       AND fingerprint = fp AND state = 'in_flight'
$$;

CREATE FUNCTION kernel_idempotency_release(tenant uuid, idem_key text, idem_method text,
                                           idem_path text, fp bytea) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    DELETE FROM idempotency_keys
     WHERE tenant_id = tenant AND key = idem_key AND method = idem_method AND path = idem_path
       AND fingerprint = fp AND state = 'in_flight'
$$;

REVOKE EXECUTE ON FUNCTION
    kernel_idempotency_claim(uuid, text, text, text, bytea, float8),
    kernel_idempotency_complete(uuid, text, text, text, bytea, smallint, jsonb, bytea, float8),
    kernel_idempotency_release(uuid, text, text, text, bytea)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    kernel_idempotency_claim(uuid, text, text, text, bytea, float8),
    kernel_idempotency_complete(uuid, text, text, text, bytea, smallint, jsonb, bytea, float8),
    kernel_idempotency_release(uuid, text, text, text, bytea)
    TO fortress_app;
