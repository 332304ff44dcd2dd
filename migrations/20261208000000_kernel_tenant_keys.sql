-- Secrets at rest (kernel::secrets): each tenant's AES-256-GCM data key, wrapped by the master
-- key of the configuration. Deleting the row makes everything sealed for the tenant unreadable.

CREATE TABLE tenant_keys (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    wrapped    bytea NOT NULL CHECK (length(wrapped) BETWEEN 29 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);
SELECT kernel_enable_tenant_rls('tenant_keys');
