-- auth: what an access token may do is decided from PostgreSQL, the durable truth; Redis only
-- caches it. A membership records when its role last changed (tokens issued before carry a
-- stale role and are refused, so the client refreshes); one statement answers, for an access
-- token, whether its session is live and what its holder's role is now; an API key answers
-- with its creator's current role, which bounds the key's scopes.

-- NULL: the role never changed. Written with the application's clock, the one access tokens'
-- issue times come from.
ALTER TABLE memberships ADD COLUMN role_changed_at timestamptz;

-- Called by the runtime role before any tenant is set, like auth_api_key_by_hash: it runs as
-- the owner and returns only the state of the one session the caller names.
CREATE FUNCTION auth_access_state(p_tenant uuid, p_session uuid, p_user uuid)
    RETURNS TABLE (session_live boolean, role text, role_changed_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT s.revoked_at IS NULL AND s.expires_at > now(), m.role, m.role_changed_at
          FROM (SELECT 1) AS one
          LEFT JOIN sessions s
                 ON s.tenant_id = p_tenant AND s.id = p_session AND s.user_id = p_user
          LEFT JOIN memberships m ON m.tenant_id = p_tenant AND m.user_id = p_user $$;

DROP FUNCTION auth_api_key_by_hash(bytea);
CREATE FUNCTION auth_api_key_by_hash(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, id uuid, scopes text[], expires_at timestamptz,
                   revoked_at timestamptz, created_by uuid, creator_role text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT k.tenant_id, k.id, k.scopes, k.expires_at, k.revoked_at, k.created_by, m.role
          FROM api_keys k
          LEFT JOIN memberships m ON m.tenant_id = k.tenant_id AND m.user_id = k.created_by
          WHERE k.key_hash = p_hash $$;
