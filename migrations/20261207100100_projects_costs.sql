-- projects: usage and what it costs. Every run step reports usage (a resource such as
-- `e2b.cpu` or `llm.tokens.in`, and a quantity); the tenant's rate card (its own rates over the
-- documented defaults in the slice) prices it exactly (numeric, never floats) when it is
-- recorded. Months are the tenant's billing months, in its billing timezone.

-- A tenant's billing settings; no row means UTC and USD.
CREATE TABLE cost_settings (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    timezone   text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
    currency   text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);
SELECT kernel_enable_tenant_rls('cost_settings');

-- The tenant's own price for a resource, over the default rate card.
CREATE TABLE cost_rates (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    resource   text NOT NULL CHECK (resource ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
    unit       text NOT NULL CHECK (length(unit) BETWEEN 1 AND 30),
    unit_price numeric(20, 10) NOT NULL CHECK (unit_price >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, resource)
);
SELECT kernel_enable_tenant_rls('cost_rates');

CREATE TABLE cost_usage (
    tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    id          uuid NOT NULL,
    project_id  uuid NOT NULL,
    run_id      uuid,
    provider    text NOT NULL CHECK (provider ~ '^[a-z0-9][a-z0-9_.-]{0,49}$'),
    resource    text NOT NULL,
    quantity    numeric(20, 6) NOT NULL CHECK (quantity >= 0),
    unit        text NOT NULL,
    unit_price  numeric(20, 10) NOT NULL,
    amount      numeric(24, 10) NOT NULL,
    currency    text NOT NULL,
    occurred_at timestamptz NOT NULL,
    -- The first day of the billing month `occurred_at` falls in (billing timezone).
    month       date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, run_id) REFERENCES project_runs (tenant_id, id) ON DELETE SET NULL (run_id)
);
CREATE INDEX cost_usage_project_idx ON cost_usage (tenant_id, project_id, month, occurred_at DESC);
CREATE INDEX cost_usage_run_idx ON cost_usage (tenant_id, run_id) WHERE run_id IS NOT NULL;
SELECT kernel_enable_tenant_rls('cost_usage');

-- Running totals per project, billing month and provider, kept in the transaction that records
-- the usage: month-to-date is a read of a few rows, never a sum over all usage.
CREATE TABLE cost_months (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    project_id uuid NOT NULL,
    month      date NOT NULL,
    provider   text NOT NULL,
    amount     numeric(24, 10) NOT NULL DEFAULT 0,
    currency   text NOT NULL,
    PRIMARY KEY (tenant_id, project_id, month, provider),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('cost_months');

-- A budget threshold crossed: at most one row (one alert) per project, month and threshold.
CREATE TABLE cost_budget_alerts (
    tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    project_id uuid NOT NULL,
    month      date NOT NULL,
    threshold  smallint NOT NULL CHECK (threshold IN (80, 100)),
    amount     numeric(24, 10) NOT NULL,
    budget     numeric(14, 2) NOT NULL,
    currency   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, project_id, month, threshold),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);
SELECT kernel_enable_tenant_rls('cost_budget_alerts');
