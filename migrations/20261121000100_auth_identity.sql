-- auth: users, memberships, sessions (refresh-token families), API keys, invitations,
-- password resets.

-- Users are global (one person may belong to several tenants). A row is visible only to
-- itself (app.user_id) or to tenants it is a member of; sign-in looks users up by email
-- through auth_user_by_email(), which runs as the owner and returns only what login needs.
CREATE TABLE users (
    id                   uuid PRIMARY KEY,
    email                text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash        text NOT NULL,
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE FUNCTION auth_current_user() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

CREATE TABLE memberships (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);
SELECT kernel_enable_tenant_rls('memberships');

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY self_or_member ON users
    USING (id = auth_current_user()
           OR EXISTS (SELECT 1 FROM memberships m
                      WHERE m.user_id = users.id AND m.tenant_id = kernel_current_tenant()))
    WITH CHECK (id = auth_current_user());

-- What sign-in needs before any tenant is known. SECURITY DEFINER: runs as the owner.
CREATE FUNCTION auth_user_by_email(p_email text)
    RETURNS TABLE (id uuid, name text, password_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT u.id, u.name, u.password_hash FROM users u WHERE u.email = lower(p_email) $$;

-- The tenants a user belongs to (for sign-in and switching tenant), oldest first.
CREATE FUNCTION auth_memberships_of(p_user uuid)
    RETURNS TABLE (tenant_id uuid, tenant_name text, tenant_slug text, role text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT m.tenant_id, t.name, t.slug, m.role FROM memberships m
          JOIN tenants t ON t.id = m.tenant_id
          WHERE m.user_id = p_user ORDER BY m.created_at, m.tenant_id $$;

-- A refresh-token family: one sign-in on one device. Revoking it ends the session.
CREATE TABLE sessions (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_agent   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id) WHERE revoked_at IS NULL;
SELECT kernel_enable_tenant_rls('sessions');

-- Each refresh token of a family. Only a SHA-256 of its secret is kept; the successor's
-- secret is derived from this one's, so a concurrent refresh within the grace window can be
-- answered with the same new token without storing any secret.
CREATE TABLE refresh_tokens (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    session_id    uuid NOT NULL,
    secret_hash   bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    used_at       timestamptz,
    replaced_by   uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('refresh_tokens');

CREATE TABLE api_keys (
    tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix        text NOT NULL,
    key_hash      bytea NOT NULL UNIQUE,
    scopes        text[] NOT NULL,
    created_by    uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
SELECT kernel_enable_tenant_rls('api_keys');

-- Bearer-key authentication happens before the tenant is known: look the key up by its
-- peppered hash only.
CREATE FUNCTION auth_api_key_by_hash(p_hash bytea)
    RETURNS TABLE (tenant_id uuid, id uuid, scopes text[], expires_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT k.tenant_id, k.id, k.scopes, k.expires_at, k.revoked_at
          FROM api_keys k WHERE k.key_hash = p_hash $$;

CREATE TABLE invitations (
    tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    email        text NOT NULL CHECK (email = lower(email)),
    role         text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
    secret_hash  bytea NOT NULL,
    invited_by   uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
SELECT kernel_enable_tenant_rls('invitations');

-- Password resets belong to a user, not a tenant: visible only with app.user_id set.
CREATE TABLE password_resets (
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    secret_hash  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    PRIMARY KEY (user_id, id)
);
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_resets FORCE ROW LEVEL SECURITY;
CREATE POLICY own_resets ON password_resets
    USING (user_id = auth_current_user()) WITH CHECK (user_id = auth_current_user());

-- Sessions of a user across all its tenants, for "sign out everywhere" on password change.
CREATE FUNCTION auth_revoke_user_sessions(p_user uuid, p_keep uuid)
    RETURNS SETOF uuid
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$ UPDATE sessions SET revoked_at = now()
          WHERE user_id = p_user AND revoked_at IS NULL AND id IS DISTINCT FROM p_keep
          RETURNING id $$;

-- The identity `GET /auth/me` shows, in one round trip: the user, the tenant (only when the
-- user is a member of it) and every tenant the user belongs to. Called with the ids of a
-- verified access token.
CREATE FUNCTION auth_identity(p_user uuid, p_tenant uuid)
    RETURNS TABLE (user_id uuid, email text, name text, tenant_id uuid, tenant_name text,
                   tenant_slug text, tenants jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT u.id, u.email, u.name, t.id, t.name, t.slug,
                 (SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'tenant_id', a.tenant_id, 'tenant_name', a.tenant_name,
                          'tenant_slug', a.tenant_slug, 'role', a.role)), '[]'::jsonb)
                  FROM auth_memberships_of(p_user) a)
          FROM users u
          JOIN memberships m ON m.user_id = u.id AND m.tenant_id = p_tenant
          JOIN tenants t ON t.id = p_tenant
          WHERE u.id = p_user $$;
