// Generated from web/openapi.json by `npm run gen` (openapi-typescript). Do not edit.

export interface paths {
    "/api/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tenant's API keys.
         * @description Needs `api_keys:read`. Speaks Refine's list protocol (docs/API.md): fields `id`, `name`,
         *     `prefix`, `scopes`, `status`, `created_at`, `expires_at`, `revoked_at`, `last_used_at`;
         *     newest first by default.
         */
        get: operations["list_api_keys"];
        put?: never;
        /**
         * Create an API key (the secret is returned once).
         * @description Needs `api_keys:write`. A key may hold only scopes its creator holds: asking for more is
         *     refused with 403 `scope_not_held` (the request is valid; this caller may not make it).
         */
        post: operations["create_api_key"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key.
         * @description Needs `api_keys:write`. Revoking a revoked key again is a 204; a key of another tenant is
         *     answered like one that does not exist.
         */
        delete: operations["revoke_api_key"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invitation and sign in. */
        post: operations["accept_invitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in. */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in principal. */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the signed-in user's password.
         * @description Ends the user's other sessions in every tenant. Wrong current passwords count towards
         *     the sign-in throttle, so a stolen session cannot be used to guess the password.
         */
        post: operations["change_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask for a password-reset link.
         * @description Always 202 with the same body: whether an account exists is never revealed. The link
         *     works once, for an hour.
         */
        post: operations["forgot_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a forgotten password.
         * @description Signs the user out everywhere (this browser's cookies are cleared too); the user signs in
         *     again with the new password.
         */
        post: operations["reset_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the session's tokens (silent refresh). */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a tenant and its owner, and sign the owner in. */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/switch-tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch the session to another of the user's tenants. */
        post: operations["switch_tenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/automation-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's automation runs, newest first (Refine's list protocol; filter by `status`,
         *     `flow`, `correlation_id`, `provider`).
         */
        get: operations["list_automation_runs"];
        put?: never;
        /**
         * Start an automation run: the run is recorded and its start queued before the answer (202);
         *     follow it with `GET /api/v1/automation-runs/{id}`. Idempotent by correlation id, and by
         *     `Idempotency-Key`.
         */
        post: operations["start_automation_run"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/automation-runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One automation run: status, the provider's run id, attempts, output or error. */
        get: operations["get_automation_run"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's cost for a billing month, by project. */
        get: operations["get_tenant_costs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/costs/rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The rate card the tenant's usage is priced with: the defaults and its own rates. */
        get: operations["list_rates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/costs/rates/{resource}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the tenant's own price for a resource (new usage is priced with it). */
        put: operations["set_rate"];
        post?: never;
        /** Drop the tenant's own price for a resource (the default applies again). */
        delete: operations["delete_rate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/costs/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's billing settings. */
        get: operations["get_billing_settings"];
        /** Change the tenant's billing timezone and currency (usage already recorded keeps its month). */
        put: operations["set_billing_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discoveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's discoveries, newest first (Refine's list protocol; filter by `project_id`,
         *     `status`, `provider`).
         */
        get: operations["list_discoveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discoveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One discovery: status and progress, the profile, each proposal with its SQL, validation
         *     (verdict, problems per round, sample rows) and the tokens it cost.
         */
        get: operations["get_discovery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discoveries/{id}/proposals/{proposal_id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept a valid proposal: its validated SQL becomes the next version of the project's script
         *     `<name>`, and the tree gets the node `<layer>_<name>` with lineage from what it reads, in
         *     one transaction. 409 `proposal_not_open` unless the proposal is valid and undecided.
         */
        post: operations["accept_proposal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/discoveries/{id}/proposals/{proposal_id}/dismiss": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dismiss a proposal (valid or rejected): nothing reaches the project. */
        post: operations["dismiss_proposal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events of the caller's tenant (Server-Sent Events).
         * @description Each event is `id: <seq>`, `event: <type>`, `data: {"channel", "type", "payload", "date"}`
         *     (the shape Refine's live provider reads; `payload.ids` names the records). Without
         *     `Last-Event-ID` (header, or `?last_event_id=`) the stream starts with the next event; with
         *     it, every later event is sent first, from the database, so a reconnecting client misses
         *     nothing. A comment line comes every 15 s; `retry:` is 3 s. A client that falls more than
         *     1024 events behind is disconnected and resumes by id.
         */
        get: operations["stream_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tenant's jobs.
         * @description Needs `jobs:read`. Refine's list protocol (docs/API.md): fields `id`, `kind`, `queue`,
         *     `state`, `attempts`, `run_at`, `created_at`, `finished_at`; newest first. The dead-letter
         *     queue is `?state=dead`; jobs waiting for a retry are `?state=failed`.
         */
        get: operations["list_jobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Job metrics: counts per state, queue lag and start latency.
         * @description Needs `jobs:read`.
         */
        get: operations["job_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One job.
         * @description Needs `jobs:read`.
         */
        get: operations["get_job"];
        put?: never;
        post?: never;
        /**
         * Discard a job that is not running (a dead letter, a failed or waiting job).
         * @description Needs `jobs:write`. A running job gets 409 `job_running`.
         */
        delete: operations["discard_job"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a dead or failed job now, with its attempts reset.
         * @description Needs `jobs:write`. A job that is queued, running or succeeded gets 409 `job_not_retryable`.
         */
        post: operations["retry_job"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layers/health/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Check every connector of a project now, in parallel, each within its timeout. */
        get: operations["connector_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layers/scripts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A link that reads a script version for five minutes (S3 presigned, or signed by this API
         *     for the local store).
         */
        get: operations["script_link"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/layers/signed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an object through a signed link (no session needed: the signature is the permission). */
        get: operations["read_signed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lead-assignment-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's assignment rules (Refine's list protocol). */
        get: operations["list_assignment_rules"];
        put?: never;
        /** Create a round-robin rule for a lead source (one rule per source). */
        post: operations["create_assignment_rule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lead-assignment-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a rule. */
        delete: operations["delete_assignment_rule"];
        options?: never;
        head?: never;
        /** Change a rule's members or switch it on or off. */
        patch: operations["update_assignment_rule"];
        trace?: never;
    };
    "/api/v1/lead-fields": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's custom lead fields. */
        get: operations["list_lead_fields"];
        put?: never;
        /** Define a custom lead field. */
        post: operations["create_lead_field"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lead-fields/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a custom field and its value on every lead. */
        delete: operations["delete_lead_field"];
        options?: never;
        head?: never;
        /** Change a custom field's label or options (its kind is fixed). */
        patch: operations["update_lead_field"];
        trace?: never;
    };
    "/api/v1/lead-statuses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's lead statuses (New, Assigned, In Process, Converted, Recycled, Dead until it
         *     sets its own).
         */
        get: operations["list_lead_statuses"];
        /** Replace the status list. A status that live leads have cannot be left out (409 `in_use`). */
        put: operations["replace_lead_statuses"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List leads (Refine's list protocol, both encodings; `?id=a&id=b` is getMany).
         * @description `q` searches first and last names, email and company, whole words and partial ones.
         */
        get: operations["list_leads"];
        put?: never;
        /**
         * Create a lead.
         * @description Without `owner_id`, an enabled round-robin rule for the lead's `source` picks the owner.
         */
        post: operations["create_lead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create many leads at once (Refine's createMany).
         * @description All or nothing: the first invalid item fails the request with its index (`index`, and
         *     field errors as `[i].field`); an email used by a live lead, or twice in the request, is a
         *     409 `duplicate_email` naming the existing lead.
         */
        post: operations["create_leads"];
        /** Move many leads to the trash (Refine's deleteMany): `?id=a&id=b`. All or nothing. */
        delete: operations["delete_leads"];
        options?: never;
        head?: never;
        /** Apply one change to many leads (Refine's updateMany). All or nothing. */
        patch: operations["update_leads"];
        trace?: never;
    };
    "/api/v1/leads/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export leads as CSV.
         * @description Takes the list's filters, sort and `q` in either encoding; paging parameters are accepted
         *     and ignored. `tags` are joined with `;`, `custom` is a JSON object. Text that a
         *     spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@`) is prefixed with
         *     `'`, except in `phone` (E.164 starts with `+`).
         */
        get: operations["export_leads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's imports, newest first (without their failures). */
        get: operations["list_imports"];
        put?: never;
        /**
         * Import leads from a CSV file.
         * @description The file is checked (readable, header row, mapping) and stored; a job imports it. Follow
         *     it at `GET /api/v1/leads/imports/{id}` or as `lead_import.progress` events on
         *     `resources/lead-imports`. Bad rows are reported with their row number and reason and
         *     never stop the import.
         */
        post: operations["create_import"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An import's progress and result, with the rejected rows and why. */
        get: operations["get_import"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/trash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deleted leads, most recently deleted first (Refine's list protocol; erased leads are not
         *     listed).
         */
        get: operations["list_trashed_leads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/upsert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a lead, or update the live lead with the same email (`email` is required).
         * @description Given fields replace the existing lead's; absent ones stay. 201 when created, 200 when
         *     updated. Concurrent upserts of one email take turns, so they never create two leads.
         */
        post: operations["upsert_lead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One lead, with its version as `ETag`. */
        get: operations["get_lead"];
        put?: never;
        post?: never;
        /**
         * Move a lead to the trash (restore it with `POST /{id}/restore`).
         * @description `If-Match` is honoured as on update. The answer is the deleted lead.
         */
        delete: operations["delete_lead"];
        options?: never;
        head?: never;
        /**
         * Change a lead (absent fields stay, `null` clears).
         * @description Send the version you read as `version` in the body (a stale one is 409
         *     `version_conflict`) or as `If-Match: "<version>"` (412 `precondition_failed`); either way
         *     a stale write changes nothing.
         */
        patch: operations["update_lead"];
        trace?: never;
    };
    "/api/v1/leads/{id}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A lead's audit log, newest first (Refine's list protocol: filter on `action`,
         *     `actor_id`, `created_at`).
         */
        get: operations["list_lead_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase a lead's personal data for good (admins).
         * @description Contact fields, tags, custom values, notes and tasks are removed and the audit diffs
         *     emptied; an anonymous row stays (status, source, score, stage, dates) so counts and
         *     reports keep adding up. The lead leaves the lists and the trash; this cannot be undone.
         */
        post: operations["erase_lead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge another lead into this one.
         * @description The other lead's timeline (notes, tasks, calls, emails, system entries) moves to this
         *     lead, the chosen fields are kept, the other lead goes to the trash with `merged_into`
         *     set, and both leads' audit logs record the merge.
         */
        post: operations["merge_leads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a lead to a stage and position. */
        post: operations["move_lead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a note to a lead's timeline. */
        post: operations["create_note"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/notes/{entry_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a note. */
        delete: operations["delete_note"];
        options?: never;
        head?: never;
        /** Change a note. */
        patch: operations["update_note"];
        trace?: never;
    };
    "/api/v1/leads/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take a lead out of the trash.
         * @description 409 `duplicate_email` when a live lead has taken its email meanwhile (`existing_id`).
         */
        post: operations["restore_lead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a task (with an optional due date) to a lead's timeline. */
        post: operations["create_task"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/tasks/{entry_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a task. */
        delete: operations["delete_task"];
        options?: never;
        head?: never;
        /** Change a task: its text, due date, or done (marking it done records `done_at`). */
        patch: operations["update_task"];
        trace?: never;
    };
    "/api/v1/leads/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A lead's timeline: notes, tasks, calls, emails and system entries, newest first. */
        get: operations["list_lead_timeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tenant's members.
         * @description Needs `members:read`. Speaks Refine's list protocol (docs/API.md): fields `user_id`,
         *     `email`, `name`, `role`, `joined_at`; earliest joined first by default.
         */
        get: operations["list_members"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/members/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List pending invitations.
         * @description Needs `members:read`. Speaks Refine's list protocol (docs/API.md): fields `id`, `email`,
         *     `role`, `invited_by`, `created_at`, `expires_at`; oldest first, 100 to a page by default
         *     (a tenant has few at a time).
         */
        get: operations["list_invitations"];
        put?: never;
        /**
         * Invite someone by email.
         * @description Needs the admin role or stronger (API keys hold no role, so they are refused). Inviting an address again
         *     replaces its pending invitation (the old link stops working). The answer never holds the
         *     token: it travels by email only.
         */
        post: operations["create_invitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/members/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Withdraw a pending invitation.
         * @description Needs the admin role or stronger (API keys hold no role, so they are refused). An accepted invitation, or
         *     another tenant's, is a 404.
         */
        delete: operations["delete_invitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member.
         * @description Needs the admin role or stronger (API keys hold no role, so they are refused); removing an owner needs the
         *     owner role.
         */
        delete: operations["remove_member"];
        options?: never;
        head?: never;
        /**
         * Change a member's role.
         * @description Needs the admin role or stronger (API keys hold no role, so they are refused); granting or taking away
         *     `owner` needs the owner role.
         */
        patch: operations["update_member"];
        trace?: never;
    };
    "/api/v1/orchestration/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Executions, newest first (Refine's list protocol; filter by `flow_id`, `project_id`,
         *     `status`; `q` searches names).
         */
        get: operations["list_executions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One execution: its input, output, cost, each state's progress and its children. */
        get: operations["get_execution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/executions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a running execution (ABORTED; a task in flight is not waited for). */
        post: operations["cancel_execution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/executions/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An execution's history, oldest first (Step Functions' GetExecutionHistory). */
        get: operations["get_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/executions/{id}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed, timed-out or stopped execution again from the state it ended in. */
        post: operations["redrive_execution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/flows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Flows, newest first (Refine's list protocol; `q` searches names). */
        get: operations["list_flows"];
        put?: never;
        /**
         * Create a flow from an ASL definition (version 1). A definition with errors is refused with
         *     every error named by state and field.
         */
        post: operations["create_flow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/flows/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a definition without saving it. */
        post: operations["validate_definition"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/flows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One flow with its current definition. */
        get: operations["get_flow"];
        put?: never;
        post?: never;
        /** Delete a flow (its executions and versions stay readable; its name can be reused). */
        delete: operations["delete_flow"];
        options?: never;
        head?: never;
        /** Change a flow's description or project. */
        patch: operations["update_flow"];
        trace?: never;
    };
    "/api/v1/orchestration/flows/{id}/definition": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Save a new version of a flow's definition; it becomes current (running executions keep
         *     theirs).
         */
        put: operations["save_version"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/flows/{id}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A flow's executions, newest first. */
        get: operations["list_flow_executions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/flows/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A flow's versions, newest first. */
        get: operations["list_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/run-flow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start an execution of a flow (Step Functions' StartExecution). Idempotent by execution name,
         *     and by `Idempotency-Key`.
         */
        post: operations["run_flow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/task-callbacks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Settle a task token of this tenant (Step Functions' SendTaskSuccess, SendTaskFailure and
         *     SendTaskHeartbeat), for callers with an API key.
         */
        post: operations["task_callback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The built-in flows to start from. */
        get: operations["list_templates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orchestration/trigger-sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a data project's pipeline from its ingest step (its oldest flow), optionally for one
         *     Airbyte connection.
         */
        post: operations["trigger_sync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's campaigns (Refine's list protocol; `q` searches names). */
        get: operations["list_campaigns"];
        put?: never;
        /** Create a campaign (a draft: it sends once activated). */
        post: operations["create_campaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One campaign with its stats. */
        get: operations["get_campaign"];
        /** Change a campaign. Steps already sent stay sent; the next ones follow the new steps. */
        put: operations["update_campaign"];
        post?: never;
        /** Delete a campaign with its enrollments and send log. */
        delete: operations["delete_campaign"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/campaigns/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start (or resume) sending. It needs at least one step and one active mailbox. */
        post: operations["activate_campaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/campaigns/{id}/enrollments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enroll leads (by id, or all that the leads list shows for a filter): each is checked (a
         *     live lead with an email, not suppressed, not in the campaign yet) and the others are
         *     reported with a reason. An active campaign starts on
         *     them at once (within its window); a draft or paused one when it is activated.
         */
        post: operations["enroll_leads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/campaigns/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop sending for now: planned messages wait, nothing new is planned. */
        post: operations["pause_campaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/campaigns/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A step rendered for a real lead, with the fields it lacks. */
        post: operations["preview_campaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/enrollments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Enrollments (Refine's list protocol; filter by `campaign_id`, `lead_id`, `status`). */
        get: operations["list_enrollments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/enrollments/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop one lead's sequence (its planned message is cancelled). */
        post: operations["stop_enrollment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/feedback-sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's notification sources. */
        get: operations["list_sources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/feedback-sources/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set up (or change) where a provider sends bounces and complaints; its URL stays the same. */
        put: operations["put_source"];
        post?: never;
        /** Stop taking a provider's notifications (its URL stops working). */
        delete: operations["delete_source"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/feedback/{provider}/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A provider's bounce or complaint notification (no session: the URL's token names the
         *     tenant; SNS and Resend deliveries are signed and checked). Suppresses the addresses, stops
         *     their sequences and counts towards auto-pause, like a bounce report in an inbox.
         */
        post: operations["receive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/mailboxes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's mailboxes (Refine's list protocol; `q` searches name and address). */
        get: operations["list_mailboxes"];
        put?: never;
        /** Add a mailbox (its password is sealed with the tenant's key and never shown again). */
        post: operations["create_mailbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/mailboxes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One mailbox. */
        get: operations["get_mailbox"];
        /** Change a mailbox (every setting; the password only when sent). */
        put: operations["update_mailbox"];
        post?: never;
        /** Delete a mailbox. Messages planned from it fail; its campaigns send from their others. */
        delete: operations["delete_mailbox"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/mailboxes/{id}/dkim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A mailbox's DKIM key: the DNS record to publish. */
        get: operations["get_dkim"];
        /** Sign the mailbox's messages with a new key (or the one given); replaces the key it had. */
        put: operations["put_dkim"];
        post?: never;
        /** Stop signing the mailbox's messages (the key is forgotten). */
        delete: operations["delete_dkim"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/mailboxes/{id}/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A mailbox's inbox. */
        get: operations["get_inbox"];
        /**
         * Set where a mailbox's replies are read (a new server or folder is read afresh from the
         *     day of the mailbox's first message).
         */
        put: operations["put_inbox"];
        post?: never;
        /** Stop reading a mailbox's replies. */
        delete: operations["delete_inbox"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/mailboxes/{id}/inbox/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a mailbox's inbox now (else it is checked every minute) and say what was found. */
        post: operations["check_inbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/mailboxes/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Connect to the mailbox's server, sign in, and say goodbye; the result is kept on the
         *     mailbox (`last_tested_at`, `last_test_error`).
         */
        post: operations["test_mailbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every message planned or sent, newest first (Refine's list protocol; filter by
         *     `campaign_id`, `lead_id`, `mailbox_id`, `state`…).
         */
        get: operations["list_messages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Replies, auto-replies, bounces and complaints to our messages, newest first (Refine's list
         *     protocol; filter by `kind`, `campaign_id`, `lead_id`, `mailbox_id`; `q` searches the
         *     sender, subject and text).
         */
        get: operations["list_replies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's auto-pause thresholds. */
        get: operations["get_settings"];
        /** Change the auto-pause thresholds. */
        put: operations["put_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/suppressions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The suppression list (Refine's list protocol; `q` searches addresses). */
        get: operations["list_suppressions"];
        put?: never;
        /**
         * Suppress addresses (reason `manual`): nothing is sent to them again, and their active
         *     sequences stop.
         */
        post: operations["add_suppressions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/suppressions/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The suppression list as CSV (`email,reason,created_at`), by address. */
        get: operations["export_suppressions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/suppressions/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a suppression list from CSV (`text/csv`, up to 100,000 rows): the `email` column
         *     when the first row names one, else the first column. Each address is suppressed (reason
         *     `manual`) and its sequences stop; rows that are not addresses are reported, not fatal.
         */
        post: operations["import_suppressions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/suppressions/{email}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Take an address off the list (it may be written to again). */
        delete: operations["delete_suppression"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outreach/unsubscribe/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The page an unsubscribe link opens: a button that unsubscribes (nothing happens on GET). */
        get: operations["unsubscribe_page"];
        put?: never;
        /**
         * One-click unsubscribe (RFC 8058): no cookie, no redirect. The address is added to the
         *     tenant's suppression list and every active enrollment writing to it stops.
         */
        post: operations["unsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List pipelines (Refine's list protocol), each with its stages. */
        get: operations["list_pipelines"];
        put?: never;
        /** Create a pipeline, with its stages in order. */
        post: operations["create_pipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One pipeline with its stages. */
        get: operations["get_pipeline"];
        put?: never;
        post?: never;
        /**
         * Delete a pipeline and its stages (409 `in_use` while live leads are in it; leads in the
         *     trash leave it).
         */
        delete: operations["delete_pipeline"];
        options?: never;
        head?: never;
        /** Rename a pipeline. */
        patch: operations["update_pipeline"];
        trace?: never;
    };
    "/api/v1/pipelines/{id}/stages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pipeline's stages in order (Refine's list protocol). */
        get: operations["list_stages"];
        put?: never;
        /** Add a stage to a pipeline (at `position`, the end by default). */
        post: operations["create_stage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pipelines/{id}/stages/{stage_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a stage (409 `in_use` while live leads are in it). */
        delete: operations["delete_stage"];
        options?: never;
        head?: never;
        /** Change a stage, or move it to another position. */
        patch: operations["update_stage"];
        trace?: never;
    };
    "/api/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant's projects (Refine's list protocol; `q` searches name, client and slug). */
        get: operations["list_projects"];
        put?: never;
        /** Create a project. */
        post: operations["create_project"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One project. */
        get: operations["get_project"];
        put?: never;
        post?: never;
        /** Delete a project (soft: its data stays until the tenant is deleted; its slug is free). */
        delete: operations["delete_project"];
        options?: never;
        head?: never;
        /** Change a project. */
        patch: operations["update_project"];
        trace?: never;
    };
    "/api/v1/projects/{id}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A project's audit trail, newest first (the last 100 entries). */
        get: operations["list_project_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A project's connectors. */
        get: operations["list_connectors"];
        put?: never;
        /** Add a connector to a project (its health is checked with the project's). */
        post: operations["create_connector"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/connectors/{connector_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a connector. */
        delete: operations["delete_connector"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A project's cost for a billing month (month-to-date for the current one). */
        get: operations["get_project_costs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/discoveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a discovery on a project's bronze tables: profile them in the sandbox, ask the model
         *     (offline: the rule-based provider) for silver tables and gold models, validate each in the
         *     sandbox. Answers 202 at once; follow `GET /api/v1/discoveries/{id}` or the project's live
         *     channel. Nothing is written to the project until a proposal is accepted.
         */
        post: operations["start_discovery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/edges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a lineage edge; 422 `lineage_cycle` when it would close a cycle. */
        post: operations["add_edge"];
        /** Remove a lineage edge. */
        delete: operations["delete_edge"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/layers/bronze/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a file to a project's bronze layer (streamed; a file of the same name is replaced). */
        post: operations["upload_object"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/layers/{layer}/objects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A layer's files, by name (1,000 at most). */
        get: operations["list_objects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/layers/{layer}/objects/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a layer file. */
        get: operations["download_object"];
        put?: never;
        post?: never;
        /** Delete a layer file. */
        delete: operations["delete_object"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/layers/{layer}/objects/{name}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The first rows of a CSV, JSON lines or Parquet file. */
        get: operations["preview_object"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a node (or change its layer, kind, name and position). */
        post: operations["put_node"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/nodes/{node_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One node, with its runs and neighbours (the project page's side panel). */
        get: operations["get_node"];
        put?: never;
        post?: never;
        /** Remove a node with its edges and history. */
        delete: operations["delete_node"];
        options?: never;
        head?: never;
        /**
         * Change a node: its status (with the run's metrics and error) or its name. Publishes
         *     `node.status` `{"nodeId", "newStatus"}` on `projects/<id>`.
         */
        patch: operations["update_node"];
        trace?: never;
    };
    "/api/v1/projects/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A project's runs, newest first (Refine's list protocol). */
        get: operations["list_runs"];
        put?: never;
        /** Start a run of a project (it shows among the state document's active jobs until it ends). */
        post: operations["start_run"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run with its cost by resource. */
        get: operations["get_run"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** End a running run. A run that has already ended is answered as it is. */
        patch: operations["finish_run"];
        trace?: never;
    };
    "/api/v1/projects/{id}/scripts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest version of each of a project's scripts. */
        get: operations["list_scripts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/scripts/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Save a new version of a script (the first save creates it). */
        put: operations["save_script"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/scripts/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every version of a script, newest first. */
        get: operations["list_script_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A project's live state: its trees, lineage, active jobs and month-to-date cost, with an
         *     `ETag` (send it as `If-None-Match`: 304 while nothing changed).
         */
        get: operations["get_project_state"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/tree": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace a project's whole tree: nodes (kept nodes keep their status and history) and edges. */
        put: operations["replace_tree"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{id}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A project's usage rows, newest first (Refine's list protocol). */
        get: operations["list_project_usage"];
        put?: never;
        /**
         * Report usage for a project (a run step's CPU seconds, tokens, minutes…): priced with the
         *     tenant's rate card, added to the month, `cost.updated` and budget alerts follow.
         */
        post: operations["record_project_usage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reports, most recently written first (Refine's list protocol; filter on `project_id`). */
        get: operations["list_reports"];
        put?: never;
        /** Upsert up to 500 reports of a project by slug, all or nothing (supports `Idempotency-Key`). */
        post: operations["upsert_reports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A project's reports as last written, most recent first (100 at most). */
        get: operations["latest_reports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant's webhook endpoints (Refine's list protocol). */
        get: operations["list_endpoints"];
        put?: never;
        /**
         * Register a webhook endpoint.
         * @description Needs `webhooks:write`. The answer carries the signing secret, which is never shown again.
         */
        post: operations["create_endpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhook-endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook endpoint. */
        get: operations["get_endpoint"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint with its deliveries and attempts. */
        delete: operations["delete_endpoint"];
        options?: never;
        head?: never;
        /** Change a webhook endpoint. */
        patch: operations["update_endpoint"];
        trace?: never;
    };
    "/api/v1/webhook-endpoints/{id}/attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint's delivery attempts, newest first: status, error, the start of the response. */
        get: operations["list_attempts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhook-endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint's deliveries, newest first (Refine's list protocol). */
        get: operations["list_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again now (one attempt, whatever its state); the attempt is logged. */
        post: operations["redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhook-endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate an endpoint's signing secret; the old one keeps signing for 24 hours. */
        post: operations["rotate_secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/automation-callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An automation's flow reports its end (signed like the sandbox callback: Standard Webhooks
         *     with `SANDBOX_CALLBACK_SECRET`). Forged or late: 401; replayed: 409; unknown run: 404; a
         *     run that already ended: 409. Nothing changes in any of these cases.
         */
        post: operations["automation_callback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/sandbox-callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A sandbox or model reports how a task ended (signed; see the module docs). */
        post: operations["sandbox_callback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: answers while the process can serve HTTP. */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Metrics in the Prometheus text format: jobs per state and queue lag, live SSE listeners on
         *     this instance, and requests served unchecked because Redis was down (rate limits failing
         *     open).
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: PostgreSQL and Redis both answer within 2 s; otherwise 503 naming what is down. */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcceptInvitationRequest: {
            /**
             * @description The new account's name (required when the email has no account yet; ignored otherwise).
             * @example Grace Hopper
             */
            name?: string | null;
            /**
             * Format: password
             * @description A new password (10 to 128 characters, not commonly breached) for a new account, or the
             *     existing account's current password.
             */
            password: string;
            /** @description The `token` parameter of the emailed link. */
            token: string;
        };
        /** @description A running run, as the state document lists it. */
        ActiveJob: {
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: date-time */
            started_at: string;
            status: string;
        };
        AdoptedTable: {
            /** @description Nodes the tree did not have before. */
            new_nodes: string[];
            /** @description The tree node of the table (`<layer>_<name>`). */
            node: string;
            /**
             * Format: int32
             * @description The version of the script `<name>` its SQL became.
             */
            script_version: number;
        };
        /** @description A key as listed. */
        ApiKey: {
            /** Format: date-time */
            created_at: string;
            created_by?: null | components["schemas"]["ApiKeyCreator"];
            /** Format: date-time */
            expires_at?: string | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description The latest authenticated request made with the key.
             */
            last_used_at?: string | null;
            name: string;
            /**
             * @description The key's first 12 characters, to tell keys apart.
             * @example dfk_3q2-7wAb
             */
            prefix: string;
            /** Format: date-time */
            revoked_at?: string | null;
            scopes: components["schemas"]["Scope"][];
            status: components["schemas"]["ApiKeyStatus"];
        };
        /** @description The member who created a key. */
        ApiKeyCreator: {
            email: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
        /**
         * @description Where a key stands.
         * @enum {string}
         */
        ApiKeyStatus: "active" | "expired" | "revoked";
        /** @description A round-robin rule. */
        AssignmentRule: {
            /**
             * Format: int64
             * @description How many leads it has assigned.
             */
            assigned: number;
            /** Format: date-time */
            created_at: string;
            enabled: boolean;
            /** Format: uuid */
            id: string;
            /** @description The members who take turns, in order. */
            member_ids: string[];
            /** @description The lead source it applies to (lower case; matched case-insensitively). */
            source: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description One HTTP attempt of a delivery. */
        Attempt: {
            /** Format: int32 */
            attempt: number;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            delivery_id: string;
            /** Format: int32 */
            duration_ms: number;
            error?: string | null;
            /** @description The start of the response body (1 KiB at most). */
            response_body?: string | null;
            /**
             * Format: int32
             * @description The response status; absent when no response came (timeout, refused, blocked).
             */
            status?: number | null;
        };
        /** @description One entry of a project's audit trail. */
        AuditEntry: {
            action: string;
            /** Format: uuid */
            actor_id?: string | null;
            /** @description `user`, `api_key` or `system`. */
            actor_kind: string;
            /** @description `{field: {"before": …, "after": …}}`. */
            changes: Record<string, never>;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
        };
        /** @description One audit entry, as Refine's audit log shows it. */
        AuditLog: {
            /**
             * @description `create`, `update`, `upsert`, `move`, `merge`, `merge_from`, `merged_into`, `delete`,
             *     `restore`, `erase`.
             */
            action: string;
            /** @description `{"kind": "user"|"api_key", "id": …}`. */
            author: Record<string, never>;
            /** Format: date-time */
            createdAt: string;
            /** @description The changed fields' new values. */
            data: Record<string, never>;
            /** Format: uuid */
            id: string;
            /** @description `{"id": <lead id>}`. */
            meta: Record<string, never>;
            /** @description The changed fields' old values. */
            previousData: Record<string, never>;
            /** @description Always `leads`. */
            resource: string;
        };
        AutomationCallback: {
            /** @description Why it failed. */
            error?: string | null;
            output?: Record<string, never> | null;
            /** @description The run's id at the provider, when the start's answer did not give it. */
            provider_run_id?: string | null;
            /**
             * Format: uuid
             * @description The run's id (`runId` in the start request).
             */
            run_id: string;
            status: components["schemas"]["AutomationOutcome"];
        };
        AutomationCallbackAccepted: {
            /** Format: uuid */
            run_id: string;
        };
        /**
         * @description How a run ended, as its flow reports it.
         * @enum {string}
         */
        AutomationOutcome: "succeeded" | "failed";
        /** @description An automation run as the API shows it. */
        AutomationRun: {
            /**
             * Format: int32
             * @description Start requests sent to the provider.
             */
            attempts: number;
            /** @description The caller's id for this run, unique per tenant. */
            correlation_id: string;
            /** Format: date-time */
            created_at: string;
            /** @description Why it failed, or why the last start was refused. */
            error?: string | null;
            /**
             * Format: uuid
             * @description The execution a local run is.
             */
            execution_id?: string | null;
            /** Format: date-time */
            finished_at?: string | null;
            /** @description The ActivePieces flow id (offline: the name of one of the tenant's flows). */
            flow: string;
            /** Format: uuid */
            id: string;
            input: Record<string, never>;
            /**
             * Format: date-time
             * @description When a refused start (429, 5xx) is tried again.
             */
            next_attempt_at?: string | null;
            output?: Record<string, never> | null;
            /** @description `activepieces`, or `local` (the tenant's flow run by our own executor). */
            provider: string;
            /** @description The run's id at the provider (locally: the execution's id). */
            provider_run_id?: string | null;
            /** @description `queued` (not started yet, or waiting to try again), `running`, `succeeded`, `failed`. */
            status: string;
            /** Format: date-time */
            updated_at: string;
        };
        BTreeMap: {
            [key: string]: string[];
        };
        /** @description This billing month's cost so far. */
        BillingMtd: {
            /** @description Rounded to cents: `"120.50"`. */
            amount: string;
            budget?: string | null;
            /** Format: double */
            budget_used_percent?: number | null;
            by_provider: components["schemas"]["ProviderCost"][];
            currency: string;
            /** @description `YYYY-MM`, in the tenant's billing timezone. */
            month: string;
        };
        /** @description A tenant's billing timezone and currency (UTC and USD until set). */
        BillingSettings: {
            /** @description Every price, cost and budget of the tenant is in this currency. */
            currency: string;
            /** @description Billing months start at midnight on the 1st in this zone. */
            timezone: string;
        };
        BillingSettingsInput: {
            /** @description ISO 4217 code of every price, cost and budget. */
            currency: string;
            /** @description IANA zone billing months are counted in. */
            timezone: string;
        };
        /** @description A budget threshold crossed. */
        BudgetAlert: {
            amount: string;
            budget: string;
            /** Format: date-time */
            created_at: string;
            currency: string;
            /**
             * Format: int32
             * @description 80 or 100 (percent of the budget).
             */
            threshold: number;
        };
        /** @description Refine's updateMany: the same change to several leads. */
        BulkUpdate: {
            /** @description 1 to 500 lead ids. */
            ids: string[];
            /**
             * @description The change, as for `PATCH /api/v1/leads/{id}` (without `version`: a bulk change is
             *     not checked against each lead's version).
             */
            values: components["schemas"]["LeadPatch"];
        };
        CallbackAccepted: {
            /** Format: uuid */
            execution_id: string;
        };
        /**
         * @description How a task ended, as its worker reports it.
         * @enum {string}
         */
        CallbackStatus: "success" | "failure" | "heartbeat";
        /** @description A campaign as lists show it. */
        Campaign: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description The mailboxes it sends from (least-sent first). */
            mailbox_ids: string[];
            name: string;
            /** @description Why it was paused automatically (its bounce or complaint rate), if it was. */
            paused_reason?: string | null;
            /** @description `draft`, `active`, `paused` or `archived`. */
            status: string;
            steps: components["schemas"]["Step"][];
            stop_company_on_reply: boolean;
            stop_on_auto_reply: boolean;
            /** @description The window's timezone for leads without one of their own. */
            timezone: string;
            /** Format: date-time */
            updated_at: string;
            /** @description ISO weekdays (Monday 1 … Sunday 7) it sends on. */
            window_days: number[];
            /** @example 17:00:00 */
            window_end: string;
            /** @example 09:00:00 */
            window_start: string;
        };
        /** @description A campaign and how it is doing. */
        CampaignDetail: components["schemas"]["Campaign"] & {
            stats: components["schemas"]["CampaignStats"];
        };
        /** @description A campaign's settings. */
        CampaignInput: {
            /** @description The mailboxes it sends from. */
            mailbox_ids?: string[];
            name: string;
            steps?: components["schemas"]["Step"][];
            /** @description Stop the sequences of everyone at the same company domain when one replies. */
            stop_company_on_reply?: boolean;
            /** @description Stop a lead's sequence on an automatic reply too (default: only a real reply). */
            stop_on_auto_reply?: boolean;
            /** @description The window's timezone for leads without one (IANA name, default `UTC`). */
            timezone?: string;
            /** @description ISO weekdays it sends on (Monday 1 … Sunday 7; default Monday to Friday). */
            window_days?: number[];
            /** @description Local time it closes (`HH:MM`, default `17:00`). */
            window_end?: string;
            /** @description Local time the window opens (`HH:MM`, default `09:00`). */
            window_start?: string;
        };
        /** @description A step rendered for a lead, as it would be sent. */
        CampaignPreview: {
            body: string;
            /** @description Fields the lead lacks where the fallback stood in. */
            fell_back: string[];
            /**
             * @description Fields the template names that the lead lacks and that have no fallback (they render
             *     empty).
             */
            missing: string[];
            subject: string;
            to?: string | null;
        };
        /** @description How a campaign is doing: enrollments by status, messages by state. */
        CampaignStats: {
            /** Format: int64 */
            active: number;
            /** Format: int64 */
            bounced: number;
            /** Format: int64 */
            enrolled: number;
            /** Format: int64 */
            failed: number;
            /** Format: int64 */
            finished: number;
            /** Format: int64 */
            queued: number;
            /** Format: int64 */
            sent: number;
            /** Format: int64 */
            stopped: number;
            /** Format: int64 */
            unknown: number;
            /** Format: int64 */
            unsubscribed: number;
        };
        ChangePasswordRequest: {
            /** Format: password */
            current_password: string;
            /**
             * Format: password
             * @description 10 to 128 characters, not a commonly breached password.
             * @example a new and longer passphrase
             */
            new_password: string;
        };
        /** @description What one check did. */
        CheckSummary: {
            auto_replies: number;
            bounces: number;
            complaints: number;
            /** @description Why the check failed, if it did. */
            error?: string | null;
            /** @description New messages read. */
            read: number;
            replies: number;
        };
        /** @description A child execution (a Parallel branch or a Map item), in brief. */
        ChildExecution: {
            current_state?: string | null;
            error?: string | null;
            /** Format: uuid */
            id: string;
            status: string;
        };
        ColumnProfile: {
            /**
             * Format: int64
             * @description Distinct values: exact for columns that may be keys, else a HyperLogLog estimate (±2%).
             */
            distinct: number;
            max?: string | null;
            min?: string | null;
            name: string;
            /**
             * Format: double
             * @description Share of rows without a value, 0 to 1.
             */
            null_rate: number;
            sensitive?: null | components["schemas"]["Sensitive"];
            top: components["schemas"]["TopValue"][];
            /** @description DuckDB's type (`BIGINT`, `VARCHAR`, `DATE`, `DOUBLE`…). */
            type: string;
        };
        Connector: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description `airbyte` (checked at `<url>/api/v1/health`) or `http` (checked at `<url>`). */
            kind: string;
            name: string;
            /** Format: uuid */
            project_id: string;
            url: string;
        };
        /** @description One connector's health, as checked now. */
        ConnectorHealth: {
            /** Format: date-time */
            checked_at: string;
            /** @description Why it is not up. */
            error?: string | null;
            /** @description `object_store`, `smtp`, `airbyte` or `http`. */
            kind: string;
            /**
             * Format: int64
             * @description How long the check took (the timeout, when it ran out).
             */
            latency_ms: number;
            /** @description `object_store`, `mail`, or the project connector's name. */
            name: string;
            /** @description `up`, `down` or `timeout`. */
            status: string;
        };
        /** @enum {string} */
        ConnectorKind: "airbyte" | "http";
        CreateApiKeyRequest: {
            /**
             * Format: date-time
             * @description When the key stops working (RFC 3339, in the future); absent: never.
             */
            expires_at?: string | null;
            /**
             * @description What the key is for, shown in the list.
             * @example CRM sync
             */
            name: string;
            /**
             * @description Scopes from the permission matrix, each held by the caller. Read as names and checked
             *     here, so an unknown one is a 422 naming this field (not a failure to read the body).
             * @example [
             *       "leads:read",
             *       "leads:write"
             *     ]
             */
            scopes: components["schemas"]["Scope"][];
        };
        CreateConnector: {
            kind: components["schemas"]["ConnectorKind"];
            name: string;
            /** @description `https://…`: Airbyte's base URL, or the URL to check for any HTTP API. */
            url: string;
        };
        CreateEndpoint: {
            description?: string;
            /** @description Only these event types (e.g. `lead.created`); empty or absent: every type. */
            event_types?: string[];
            /** @description `https://…` (plain `http://localhost` only in dev). */
            url: string;
        };
        CreateFlow: {
            /** @description The Amazon States Language document. */
            definition: Record<string, never>;
            description?: string;
            /** @description Letters, digits, `_`, `.` and `-` (AWS's rule for state machine names), unique per tenant. */
            name: string;
            /** @description Task state name → project tree node id (a state not listed colours the node named like it). */
            nodes?: {
                [key: string]: string;
            };
            /**
             * Format: uuid
             * @description The data project whose tree the Task states colour.
             */
            project_id?: string | null;
        };
        CreateInvitationRequest: {
            /** @example grace@acme.test */
            email: string;
            role: components["schemas"]["InvitedRole"];
        };
        CreateProject: {
            /**
             * @description The monthly budget, exact: `"1500.00"` (at most 2 decimal places).
             * @example 1500.00
             */
            budget_amount?: string | null;
            /** @description ISO 4217 code, `USD` when absent. */
            budget_currency?: string | null;
            client_name?: string;
            description?: string;
            name: string;
            /** @description Lower-case words joined by dashes (`fashion-shop`), unique among the tenant's projects. */
            slug: string;
            status?: null | components["schemas"]["ProjectStatus"];
            /** @description IANA zone, `UTC` when absent. */
            timezone?: string | null;
        };
        /** @description A new key, with its secret: the only time the secret is shown. */
        CreatedApiKey: {
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at?: string | null;
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * @description Its first 12 characters, as the list shows them.
             * @example dfk_3q2-7wAb
             */
            prefix: string;
            scopes: components["schemas"]["Scope"][];
            /**
             * @description The full key, for `Authorization: Bearer …`. Store it now: it cannot be shown again.
             * @example dfk_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab
             */
            secret: string;
        };
        /** @description A decided proposal; `adopted` tells what the project gained when it was accepted. */
        DecidedProposal: components["schemas"]["Proposal"] & {
            adopted?: null | components["schemas"]["AdoptedTable"];
        };
        DefinitionError: {
            message: string;
            /** @description JSON pointer into the definition (`/States/Load/Retry/0/BackoffRate`). */
            path: string;
            /** @description The innermost state the error is in. */
            state?: string | null;
        };
        /** @description One event on its way to one endpoint. */
        Delivery: {
            /** Format: int32 */
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            endpoint_id: string;
            /** Format: int64 */
            event_seq: number;
            event_type: string;
            /** Format: uuid */
            id: string;
            /** Format: int32 */
            last_status?: number | null;
            /** @description The `webhook-id` header of every attempt. */
            message_id: string;
            /** Format: date-time */
            next_attempt_at?: string | null;
            /** @description `pending` (attempts left), `succeeded` or `failed`. */
            state: string;
        };
        /**
         * @description When a mailbox or campaign is paused by itself: its bounce (or complaint) rate over the
         *     last 30 days passes the threshold once it has sent at least `pause_min_sent` messages.
         */
        DeliverySettings: {
            /**
             * Format: double
             * @description A fraction: 0.02 pauses above 2% bounces (default).
             */
            bounce_pause_rate: number;
            /**
             * Format: double
             * @description A fraction: 0.001 pauses above 0.1% complaints (default).
             */
            complaint_pause_rate: number;
            /**
             * Format: int32
             * @description Messages sent before the rates count (default 50).
             */
            pause_min_sent: number;
        };
        /** @description A discovery as lists show it. */
        Discovery: {
            /** @description Whether sample values of personal-looking columns may leave unmasked. */
            allow_samples: boolean;
            /** Format: int64 */
            completion_tokens: number;
            /** @description What the tokens cost, in the tenant's currency (absent: nothing billed). */
            cost?: string | null;
            /** Format: date-time */
            created_at: string;
            error?: string | null;
            /** Format: date-time */
            finished_at?: string | null;
            /** Format: uuid */
            id: string;
            /** Format: int32 */
            max_proposals: number;
            model?: string | null;
            /** @description What the running step is doing. */
            progress: string;
            /** Format: uuid */
            project_id: string;
            /** Format: int64 */
            prompt_tokens: number;
            /** @description `openai-compatible` or `rule-based`. */
            provider?: string | null;
            /** Format: int32 */
            repair_rounds: number;
            /** @description `queued`, `profiling`, `proposing`, `validating`, `ready` or `failed`. */
            status: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A discovery with its profile and proposals. */
        DiscoveryDetail: components["schemas"]["Discovery"] & {
            profile?: null | components["schemas"]["Profile"];
            proposals: components["schemas"]["ProposalDetail"][];
        };
        /** @description A mailbox's DKIM key as the API shows it: the DNS record to publish (never the private key). */
        Dkim: {
            /** @description The TXT record's name: `<selector>._domainkey.<domain>`. */
            dns_name: string;
            /** @description The TXT record's value: `v=DKIM1; k=rsa; p=…`. */
            dns_value: string;
            domain: string;
            selector: string;
        };
        /** @description How a mailbox signs. */
        DkimInput: {
            /** @description The signing domain (default: the from address's domain). */
            domain?: string | null;
            /**
             * Format: password
             * @description Write-only: an RSA private key in PEM to use; absent: a new 2048-bit key is made.
             */
            private_key?: string | null;
            /** @description The DNS selector (default `df1`). */
            selector?: string | null;
        };
        /** @description Lineage: data flows from `from` to `to`. */
        Edge: {
            from: string;
            to: string;
        };
        /** @description A webhook endpoint (its secret is shown only when created or rotated). */
        Endpoint: {
            /** Format: date-time */
            created_at: string;
            description: string;
            /** @description Why the endpoint was disabled (410 Gone, five days of failures), if it was. */
            disabled_reason?: string | null;
            enabled: boolean;
            /** @description Event types delivered; empty means every type. */
            event_types: string[];
            /** Format: date-time */
            failing_since?: string | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description Until when the previous secret still signs, during a rotation.
             */
            previous_secret_expires_at?: string | null;
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
        /** @description An endpoint with its signing secret: shown once, at creation and rotation. */
        EndpointWithSecret: components["schemas"]["Endpoint"] & {
            /** @description `whsec_…`: verify our `webhook-signature` with it (Standard Webhooks). */
            secret: string;
        };
        /** @description The leads to enroll: by id, or every lead the leads list shows for a filter. */
        EnrollRequest: {
            /**
             * @description Instead of ids: the leads list's query string (its filters and `q`, e.g.
             *     `status=new&q=acme`; paging is ignored), up to 100,000 matching leads.
             */
            filter?: string | null;
            /** @description Up to 10,000 leads. */
            lead_ids?: string[];
        };
        /** @description What enrolling did, lead by lead. */
        EnrollResult: {
            /** @description Leads enrolled now. */
            enrolled: string[];
            /** @description Leads left out, each with why. */
            skipped: components["schemas"]["Skipped"][];
        };
        Enrollment: {
            /** Format: uuid */
            campaign_id: string;
            /** Format: date-time */
            created_at: string;
            email: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            lead_id: string;
            /** Format: uuid */
            mailbox_id?: string | null;
            /**
             * Format: date-time
             * @description When the next step is due (absent while one is being sent, or when none is left).
             */
            next_at?: string | null;
            /**
             * Format: int32
             * @description The next step to send (0-based).
             */
            next_step: number;
            /** @description `active`, `finished` (every step sent) or `stopped`. */
            status: string;
            /**
             * @description Why it stopped: `replied`, `auto_replied`, `bounced`, `unsubscribed`, `suppressed`,
             *     `company_replied`, `manual`, `lead_gone`, `template_error`, `send_failed`,
             *     `mailbox_gone`.
             */
            stop_reason?: string | null;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A change to a note or task: absent fields stay; `due_at: null` clears the due date. */
        EntryPatch: {
            body?: string | null;
            /** @description Tasks only. */
            done?: boolean | null;
            /**
             * Format: date-time
             * @description Tasks only.
             */
            due_at?: string | null;
        };
        /** @description An execution as the API shows it. */
        Execution: {
            cause?: string | null;
            /**
             * @description What its tasks cost, in the tenant's billing currency.
             * @example 0.0042
             */
            cost: string;
            /** @description The state it is in, or ended in. */
            current_state?: string | null;
            error?: string | null;
            /** Format: uuid */
            flow_id: string;
            /** Format: int32 */
            flow_version: number;
            /** Format: uuid */
            id: string;
            input: Record<string, never>;
            /** @description Unique per flow: starting twice with one name is one execution. */
            name: string;
            output?: Record<string, never> | null;
            /**
             * Format: uuid
             * @description Set on a Parallel branch or Map item run.
             */
            parent_id?: string | null;
            /** Format: uuid */
            project_id?: string | null;
            /** Format: int32 */
            redrive_count: number;
            /** Format: date-time */
            started_at: string;
            /**
             * @description `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED` (`PENDING`: a Map item not
             *     started yet).
             */
            status: string;
            /** Format: date-time */
            stopped_at?: string | null;
            /** Format: int32 */
            transitions: number;
        };
        /** @description An execution with its flow's definition and each state's progress. */
        ExecutionDetail: components["schemas"]["Execution"] & {
            children: components["schemas"]["ChildExecution"][];
            definition: Record<string, never>;
            flow_name?: string | null;
            /** @description State name → progress, for the states this execution (not its children) entered. */
            states: {
                [key: string]: components["schemas"]["StateProgress"];
            };
        };
        ExistingScript: {
            name: string;
            sql: string;
            /** Format: int32 */
            version: number;
        };
        /** @enum {string} */
        FeedbackProvider: "ses" | "resend" | "postmark";
        /** @description What a notification did. */
        FeedbackResult: {
            /** @description Bounces and complaints that matched one of our messages and were acted on. */
            applied: number;
        };
        /** @description Where a provider sends its notifications. */
        FeedbackSource: {
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            last_received_at?: string | null;
            provider: components["schemas"]["FeedbackProvider"];
            /**
             * @description Whether deliveries are signed and checked (Resend: its signing secret is stored; SES:
             *     always, by SNS).
             */
            signed: boolean;
            /** @description The URL to give the provider (its token is the secret that names this tenant). */
            url: string;
        };
        /** @description A source's settings. */
        FeedbackSourceInput: {
            /**
             * Format: password
             * @description Resend only, and needed there: its webhook signing secret (`whsec_…`). Write-only.
             */
            signing_secret?: string | null;
        };
        /** @description A custom field of the tenant's leads. */
        FieldDefinition: {
            /** Format: date-time */
            created_at: string;
            /** @description The key in `custom` (`a-z`, digits, `_`; starts with a letter). */
            key: string;
            /** @description `text`, `number`, `date` (YYYY-MM-DD), `select`, `multiselect` or `boolean`. */
            kind: string;
            label: string;
            /** @description The allowed values of a select or multiselect. */
            options: string[];
        };
        FieldPatch: {
            label?: string | null;
            /** @description New choices; values leads already hold stay until changed. */
            options?: string[] | null;
        };
        FinishRun: {
            error?: string | null;
            status: components["schemas"]["RunOutcome"];
        };
        /** @description A flow: a named ASL definition with versions; runs use its current version. */
        Flow: {
            /** Format: date-time */
            created_at: string;
            /** Format: int32 */
            current_version: number;
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * Format: uuid
             * @description The data project whose tree its Task states colour.
             */
            project_id?: string | null;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A flow with its current definition. */
        FlowDetail: components["schemas"]["Flow"] & {
            definition: Record<string, never>;
            nodes: Record<string, never>;
        };
        /** @description One saved definition. */
        FlowVersion: {
            /** Format: date-time */
            created_at: string;
            /** @description The Amazon States Language document. */
            definition: Record<string, never>;
            /** @description Task state name → project tree node id. */
            nodes: Record<string, never>;
            /** Format: int32 */
            version: number;
        };
        ForgotPasswordRequest: {
            /** @example ada@acme.test */
            email: string;
        };
        ForgotPasswordResponse: {
            /** @example If an account uses this email, a link to reset its password is on its way. */
            message: string;
        };
        /** @enum {string} */
        Format: "csv" | "jsonl" | "parquet";
        Health: {
            /** @example ok */
            status: string;
        };
        /** @description One history event, in the shape of Step Functions' GetExecutionHistory. */
        HistoryEvent: {
            /** Format: date-time */
            at: string;
            details: Record<string, never>;
            /** Format: int32 */
            id: number;
            /** Format: int32 */
            previous_id?: number | null;
            state?: string | null;
            /** @description `ExecutionStarted`, `TaskStateEntered`, `TaskScheduled`, `TaskSucceeded`, … */
            type: string;
        };
        ImportFailure: {
            reason: string;
            /** Format: int32 */
            row: number;
        };
        /** @description The multipart form of an upload (for the OpenAPI document). */
        ImportForm: {
            /**
             * Format: binary
             * @description The CSV file (UTF-8, comma-separated, a header row; at most 50 MB).
             */
            file: string;
            /**
             * @description JSON object: CSV column -> lead field (`email`, `custom.industry`, …). Without it,
             *     columns named like fields (`First Name`, `email`) are used.
             */
            mapping?: {
                [key: string]: components["schemas"]["ImportTarget"];
            } | null;
            /** @description `skip` (default), `update` or `create` (a row whose email a live lead has fails). */
            on_duplicate?: string | null;
        };
        /** @description What a CSV import did. */
        ImportResult: {
            /** @description Addresses new to the list. */
            added: number;
            /** @description Valid addresses that were listed already. */
            already: number;
            /**
             * @description Rows whose value is not an email address (the first 100), by row number (the first row
             *     is 1, the header included).
             */
            invalid: components["schemas"]["InvalidRow"][];
        };
        /** @description A lead field (`email`) or a custom field (`custom.industry`). */
        ImportTarget: components["schemas"]["ImportableLeadField"] | string;
        /**
         * @description A lead field a CSV column can feed; the cell holds: `first_name` (First name): text; `last_name` (Last name): text; `email` (Email): an email address; `phone` (Phone): a phone number in international format; `company` (Company): text; `title` (Job title): text; `website` (Website): a web address; `source` (Source): text; `status` (Status): text; `score` (Score): a whole number; `owner_id` (Owner): a UUID; `tags` (Tags): tags separated by ; or ,; `timezone` (Time zone): an IANA time zone name.
         * @enum {string}
         */
        ImportableLeadField: "first_name" | "last_name" | "email" | "phone" | "company" | "title" | "website" | "source" | "status" | "score" | "owner_id" | "tags" | "timezone";
        /** @description Where a mailbox's replies are read (IMAP). Its password is write-only. */
        InboxInput: {
            /** @description Checked every minute while on (default on). */
            enabled?: boolean;
            /** @description Default `INBOX`. */
            folder?: string;
            host: string;
            /**
             * Format: password
             * @description Write-only. Absent keeps the stored one (none: the SMTP password is used); `""`
             *     removes it.
             */
            password?: string | null;
            /**
             * Format: int32
             * @description Default 993.
             */
            port?: number;
            /** @description Default `tls` (implicit TLS); `starttls` on 143; `none` for local servers only. */
            security?: components["schemas"]["SmtpSecurity"];
            /** @description Default: the mailbox's SMTP user name, else its from address. */
            username?: string | null;
        };
        InvalidRow: {
            /** Format: int64 */
            line: number;
            value: string;
        };
        /** @description An invitation as the API shows it (never its token). */
        Invitation: {
            /** Format: date-time */
            created_at: string;
            email: string;
            /** Format: date-time */
            expires_at: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: uuid
             * @description The member who invited (absent once that account is deleted).
             */
            invited_by?: string | null;
            role: components["schemas"]["Role"];
        };
        /**
         * @description The roles an invitation may give (owners are made by promotion, by an owner).
         * @enum {string}
         */
        InvitedRole: "admin" | "member" | "viewer";
        /** @description Jobs per state across every tenant, and how long the oldest ready job has waited. */
        JobCounts: {
            /** Format: int64 */
            dead: number;
            /** Format: int64 */
            failed: number;
            /**
             * Format: double
             * @description Seconds the oldest job that is due has been waiting to start (0 when none waits).
             */
            oldest_ready_seconds: number;
            /** Format: int64 */
            queued: number;
            /** Format: int64 */
            running: number;
            /** Format: int64 */
            succeeded: number;
        };
        /** @description A job as admins see it. */
        JobRow: {
            /** Format: int32 */
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            finished_at?: string | null;
            /** Format: int64 */
            id: number;
            key?: string | null;
            kind: string;
            last_error?: string | null;
            /** Format: int32 */
            max_attempts: number;
            payload: unknown;
            /** Format: int32 */
            priority: number;
            queue?: string | null;
            /** Format: date-time */
            run_at: string;
            /** Format: date-time */
            started_at?: string | null;
            /** @description `queued`, `failed` (waiting for a retry), `running`, `succeeded` or `dead`. */
            state: string;
        };
        /** @description The tenant's job counts and start latency. */
        JobStats: components["schemas"]["JobCounts"] & {
            /**
             * Format: double
             * @description Median time from due to started over the last 15 minutes' first attempts (ms).
             */
            start_latency_p50_ms?: number | null;
            /** Format: double */
            start_latency_p95_ms?: number | null;
        };
        /**
         * @description `from_table.from_column` refers to `to_table.to_column` (a key there) for `coverage` of its
         *     non-null values.
         */
        JoinKey: {
            /** Format: double */
            coverage: number;
            from_column: string;
            from_table: string;
            to_column: string;
            to_table: string;
        };
        /**
         * @description Where a node sits: raw data, cleaned tables, models, or a tool data is pushed back to.
         * @enum {string}
         */
        Layer: "bronze" | "silver" | "gold" | "destination";
        /** @description A file in a layer. */
        LayerObject: {
            format?: null | components["schemas"]["Format"];
            /** @description The full key: `tenants/<tenant>/projects/<project>/<layer>/<name>`. */
            key: string;
            /** Format: date-time */
            last_modified: string;
            layer: components["schemas"]["Layer"];
            name: string;
            /** Format: int64 */
            size: number;
        };
        /** @description A lead. */
        Lead: {
            company?: string | null;
            /** Format: date-time */
            created_at: string;
            /**
             * Format: uuid
             * @description The user or API key that created the lead.
             */
            created_by?: string | null;
            /** @description Custom field values by key (`GET /api/v1/lead-fields`). */
            custom: Record<string, never>;
            /**
             * Format: date-time
             * @description Set while the lead is in the trash.
             */
            deleted_at?: string | null;
            /** @description The website's host without `www.` (read-only). */
            domain?: string | null;
            /** @description Normalised: trimmed, lower case. */
            email?: string | null;
            first_name?: string | null;
            /** Format: uuid */
            id: string;
            last_name?: string | null;
            /**
             * Format: uuid
             * @description The lead this one was merged into.
             */
            merged_into?: string | null;
            /** Format: uuid */
            owner_id?: string | null;
            /** @description E.164 (`+40722123456`). */
            phone?: string | null;
            /** Format: uuid */
            pipeline_id?: string | null;
            /** @description Kanban position within the stage: leads sort by it byte-wise (ascending). */
            rank?: string | null;
            /**
             * Format: int32
             * @description 0 to 100.
             */
            score: number;
            source?: string | null;
            /** Format: uuid */
            stage_id?: string | null;
            /** @description One of the tenant's lead statuses (`GET /api/v1/lead-statuses`). */
            status: string;
            tags: string[];
            /** @description IANA time zone name. */
            timezone?: string | null;
            title?: string | null;
            /** Format: date-time */
            updated_at: string;
            /** Format: uuid */
            updated_by?: string | null;
            /**
             * Format: int32
             * @description Bumped by every change; send it back as `version` or `If-Match: "<version>"`.
             */
            version: number;
            website?: string | null;
        };
        /** @description An import and its result so far. */
        LeadImport: {
            /** Format: int32 */
            created: number;
            /** Format: date-time */
            created_at: string;
            /** @description Why the import as a whole failed. */
            error?: string | null;
            /** Format: int32 */
            failed: number;
            /** @description The rejected rows (the header is row 1), first 10,000. */
            failures: components["schemas"]["ImportFailure"][];
            filename: string;
            /** Format: date-time */
            finished_at?: string | null;
            /** Format: uuid */
            id: string;
            /**
             * @description CSV column -> lead field, as resolved from the upload (the columns not imported are
             *     left out).
             */
            mapping: {
                [key: string]: components["schemas"]["ImportTarget"];
            };
            /** @description `skip`, `update` or `create`. */
            on_duplicate: string;
            /**
             * Format: int32
             * @description Data rows handled so far.
             */
            processed: number;
            /** Format: int32 */
            skipped: number;
            /** Format: date-time */
            started_at?: string | null;
            /** @description `queued`, `running`, `succeeded` or `failed` (the file could not be read). */
            state: string;
            /**
             * Format: int32
             * @description Data rows in the file, once read to the end.
             */
            total_rows?: number | null;
            /** Format: int32 */
            updated: number;
        };
        /**
         * @description A new lead. Every field is optional, but a lead needs a name, an email, a phone or a
         *     company to be anyone.
         */
        LeadInput: {
            company?: string | null;
            /** @description Values of the tenant's custom fields, by key. */
            custom?: Record<string, never> | null;
            /** @description Case-insensitive; unique among the tenant's live leads. */
            email?: string | null;
            first_name?: string | null;
            last_name?: string | null;
            /**
             * Format: uuid
             * @description A member of the tenant. Absent: a round-robin rule for the source may pick one.
             */
            owner_id?: string | null;
            /** @description International format: `+40 722 123 456`, `0040722123456` (stored as E.164). */
            phone?: string | null;
            /**
             * Format: uuid
             * @description Without `stage_id`: the pipeline's first stage.
             */
            pipeline_id?: string | null;
            /**
             * Format: int64
             * @description 0 to 100; 0 by default.
             */
            score?: number | null;
            /** @description Where the lead came from (`webinar`); round-robin rules match on it. */
            source?: string | null;
            /** Format: uuid */
            stage_id?: string | null;
            /** @description One of the tenant's statuses; `New` by default. */
            status?: string | null;
            tags?: string[] | null;
            /** @description IANA name (`Europe/Bucharest`). */
            timezone?: string | null;
            title?: string | null;
            /** @description `acme.com` or `https://acme.com/…`. */
            website?: string | null;
        };
        /**
         * @description A change to a lead: absent fields stay, `null` clears a field. `custom` is merged key by
         *     key (`null` removes a key). Changing `pipeline_id` alone puts the lead in that
         *     pipeline's first stage; changing `stage_id` alone moves it to that stage's pipeline.
         */
        LeadPatch: {
            company?: string | null;
            custom?: Record<string, never> | null;
            email?: string | null;
            first_name?: string | null;
            last_name?: string | null;
            /** Format: uuid */
            owner_id?: string | null;
            phone?: string | null;
            /** Format: uuid */
            pipeline_id?: string | null;
            /** Format: int64 */
            score?: number | null;
            source?: string | null;
            /** Format: uuid */
            stage_id?: string | null;
            status?: string | null;
            tags?: string[] | null;
            timezone?: string | null;
            title?: string | null;
            /**
             * Format: int32
             * @description The version this change was made against: a different current version is a 409.
             */
            version?: number | null;
            website?: string | null;
        };
        LoginRequest: {
            /** @example ada@acme.test */
            email: string;
            /** Format: password */
            password: string;
            /** @description Which tenant to sign in to, for users of several (default: the first joined). */
            tenant_slug?: string | null;
        };
        /** @description A mailbox as the API shows it (never its password). */
        Mailbox: {
            /** Format: date-time */
            created_at: string;
            /** Format: int32 */
            daily_cap: number;
            from_address: string;
            from_name: string;
            /** @description Whether a password is stored (it is never shown). */
            has_password: boolean;
            /** Format: uuid */
            id: string;
            /** @description The last connection test's error (absent: it passed, or none ran). */
            last_test_error?: string | null;
            /** Format: date-time */
            last_tested_at?: string | null;
            /** Format: int32 */
            max_gap_seconds: number;
            /** Format: int32 */
            min_gap_seconds: number;
            name: string;
            paused_reason?: string | null;
            signature: string;
            smtp_host: string;
            /** Format: int32 */
            smtp_port: number;
            /** @description `none` (local sinks only), `starttls` or `tls`. */
            smtp_security: string;
            smtp_username?: string | null;
            /** @description `active` or `paused`. */
            status: string;
            /** Format: date-time */
            updated_at: string;
            warmup_enabled: boolean;
            /** Format: int32 */
            warmup_start: number;
            /** Format: date */
            warmup_started_on: string;
            /** Format: int32 */
            warmup_step: number;
        };
        /** @description A mailbox's inbox as the API shows it (never its password). */
        MailboxInbox: {
            /** Format: date-time */
            checked_at?: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description Checked every minute while on. */
            enabled: boolean;
            folder: string;
            /** @description Whether an inbox password of its own is stored (else the SMTP password is used). */
            has_password: boolean;
            host: string;
            /** @description The last check's error (absent: it worked, or none ran). */
            last_error?: string | null;
            /** Format: uuid */
            mailbox_id: string;
            /** Format: date-time */
            next_check_at: string;
            /** Format: int32 */
            port: number;
            /** @description `none` (local servers only), `starttls` or `tls`. */
            security: string;
            /** Format: date-time */
            updated_at: string;
            username: string;
        };
        /** @description A mailbox's settings. Its password is write-only. */
        MailboxInput: {
            /**
             * Format: int32
             * @description Messages a day at most (default 50).
             */
            daily_cap?: number;
            from_address: string;
            from_name?: string;
            /** Format: int32 */
            max_gap_seconds?: number;
            /**
             * Format: int32
             * @description A random pause between two messages of this mailbox, in seconds (default 30–90).
             */
            min_gap_seconds?: number;
            name: string;
            /** @description Added under each message (plain text). */
            signature?: string;
            smtp_host: string;
            /**
             * Format: password
             * @description Write-only. On a change: absent keeps the stored one, `""` removes it.
             */
            smtp_password?: string | null;
            /** Format: int32 */
            smtp_port: number;
            smtp_security: components["schemas"]["SmtpSecurity"];
            smtp_username?: string | null;
            /** @description `active` (default) or `paused` (its messages wait). */
            status?: components["schemas"]["MailboxStatus"];
            /** @description Ramp up from `warmup_start` a day by `warmup_step` a day to the cap (default on: 5, +2). */
            warmup_enabled?: boolean;
            /** Format: int32 */
            warmup_start?: number;
            /** Format: int32 */
            warmup_step?: number;
        };
        /** @enum {string} */
        MailboxStatus: "active" | "paused";
        /** @description The result of a connection test. */
        MailboxTest: {
            /** @description What the server said of itself, or why it could not be reached. */
            detail: string;
            ok: boolean;
        };
        MeResponse: {
            /**
             * Format: uuid
             * @description The API key in use (absent for users).
             */
            api_key_id?: string | null;
            /** @description Scopes this principal holds, e.g. `leads:write`. */
            permissions: components["schemas"]["Scope"][];
            role: components["schemas"]["Role"];
            tenant: components["schemas"]["MeTenant"];
            /** @description Every tenant the user belongs to (for switching). */
            tenants: components["schemas"]["TenantMembership"][];
            user?: null | components["schemas"]["MeUser"];
        };
        MeTenant: {
            /** Format: uuid */
            id: string;
            name: string;
            slug: string;
        };
        MeUser: {
            email: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description A member of the tenant. */
        Member: {
            email: string;
            /** Format: date-time */
            joined_at: string;
            name: string;
            role: components["schemas"]["Role"];
            /** Format: uuid */
            user_id: string;
        };
        /** @description Merge `other_id` into the lead of the path. */
        MergeRequest: {
            /**
             * @description Field -> `this` or `other`. A field not named keeps this lead's value, or takes the
             *     other's when this one has none; `tags` and `custom` not named are combined.
             */
            keep?: Record<string, never>;
            /**
             * Format: uuid
             * @description The lead that is merged in and then moved to the trash.
             */
            other_id: string;
            /**
             * Format: int32
             * @description This lead's version, checked like an update's.
             */
            version?: number | null;
        };
        /** @description One message of the send log. */
        Message: {
            /** Format: int32 */
            attempts: number;
            /** Format: uuid */
            campaign_id: string;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            enrollment_id: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            lead_id: string;
            /** Format: uuid */
            mailbox_id: string;
            /** @description The RFC 5322 Message-ID (replies are matched on it). */
            message_id: string;
            /** @description The provider's last answer or error. */
            response?: string | null;
            /** Format: date-time */
            scheduled_at: string;
            /** Format: date-time */
            sent_at?: string | null;
            /**
             * @description `queued`, `sending`, `sent`, `bounced`, `failed`, `unknown` (the connection broke
             *     mid-message: never sent again) or `cancelled`.
             */
            state: string;
            /**
             * Format: int32
             * @description The step (0-based) and the variant of it that was chosen.
             */
            step: number;
            subject: string;
            to_address: string;
            /** Format: date-time */
            unsubscribed_at?: string | null;
            /** Format: int32 */
            variant: number;
        };
        /**
         * @description Where to put the lead: a stage, and optionally the lead it goes right above
         *     (`before_id`) or right below (`after_id`); neither puts it at the bottom of the stage.
         */
        MoveLead: {
            /** Format: uuid */
            after_id?: string | null;
            /** Format: uuid */
            before_id?: string | null;
            /** Format: uuid */
            stage_id: string;
            /**
             * Format: int32
             * @description The lead's version, checked like an update's (`If-Match` works too).
             */
            version?: number | null;
        };
        /** @description A new custom field. */
        NewField: {
            /** @description `a-z`, digits and `_`, starting with a letter; at most 50 characters. */
            key: string;
            /** @description `text`, `number`, `date`, `select`, `multiselect` or `boolean`. */
            kind: string;
            label: string;
            /** @description The choices of a select or multiselect (1 to 100 of 1 to 100 characters). */
            options?: string[];
        };
        NewNote: {
            body: string;
        };
        NewPipeline: {
            name: string;
            /** @description Its stages in order (at most 50). */
            stages?: components["schemas"]["NewStage"][];
        };
        NewRule: {
            enabled?: boolean;
            /** @description 1 to 100 members of the tenant. */
            member_ids: string[];
            source: string;
        };
        NewStage: {
            is_lost?: boolean;
            is_won?: boolean;
            name: string;
            /**
             * Format: int32
             * @description Where to insert it (0-based); the end by default.
             */
            position?: number | null;
            /** Format: int32 */
            probability?: number;
        };
        NewTask: {
            /** @description What to do. */
            body: string;
            /** Format: date-time */
            due_at?: string | null;
        };
        /** @description A node of the state tree as the API shows it. */
        Node: {
            /** Format: int64 */
            bytes?: number | null;
            /** Format: int64 */
            duration_ms?: number | null;
            error?: string | null;
            /** @description The project's own name for it: `gold_sales`. */
            id: string;
            /** @description `source`, `table`, `script`, `model` or `destination`. */
            kind: string;
            /** Format: date-time */
            last_run_at?: string | null;
            /** @description `bronze`, `silver`, `gold` or `destination`. */
            layer: string;
            name: string;
            /** Format: int32 */
            position: number;
            /** Format: int64 */
            rows?: number | null;
            /** @description `IDLE`, `RUNNING`, `GREEN`, `YELLOW` or `RED`. */
            status: string;
            /** Format: date-time */
            updated_at: string;
            /**
             * Format: int64
             * @description Counts the node's changes.
             */
            version: number;
        };
        /** @description A node with its last 50 runs, newest first. */
        NodeDetail: components["schemas"]["Node"] & {
            /** @description The nodes this one feeds. */
            downstream: string[];
            runs: components["schemas"]["NodeRun"][];
            /** @description The nodes feeding this one. */
            upstream: string[];
        };
        NodeInput: {
            /** @description The project's own name for the node: `gold_sales` (a-z 0-9 _ . -). */
            id: string;
            kind: components["schemas"]["NodeKind"];
            layer: components["schemas"]["Layer"];
            name: string;
            /**
             * Format: int32
             * @description Display order within the layer.
             */
            position?: number;
        };
        /** @enum {string} */
        NodeKind: "source" | "table" | "script" | "model" | "destination";
        NodeMetrics: {
            /** Format: int64 */
            bytes?: number | null;
            /** Format: int64 */
            duration_ms?: number | null;
            /** Format: int64 */
            rows?: number | null;
        };
        /** @description One run of a node. */
        NodeRun: {
            /** Format: int64 */
            bytes?: number | null;
            /** Format: int64 */
            duration_ms?: number | null;
            error?: string | null;
            /** Format: date-time */
            finished_at?: string | null;
            /** Format: uuid */
            id: string;
            /** Format: int64 */
            rows?: number | null;
            /** Format: uuid */
            run_id?: string | null;
            /** Format: date-time */
            started_at?: string | null;
            /** @description `RUNNING` while open, then how it ended. */
            status: string;
        };
        /**
         * @description A node's state: never run, running, or how its last run ended (GREEN fine, YELLOW with
         *     warnings, RED failed).
         * @enum {string}
         */
        NodeStatus: "IDLE" | "RUNNING" | "GREEN" | "YELLOW" | "RED";
        /** @description Something that came back for one of our messages. */
        OutreachReply: {
            /** Format: uuid */
            campaign_id: string;
            /** Format: date-time */
            created_at: string;
            /** @description Why it was classed so (a bounce's status, an auto-reply's marker). */
            detail?: string | null;
            /** Format: uuid */
            enrollment_id: string;
            /** @description Who wrote (for a bounce: the address that failed). */
            from_address: string;
            /** Format: uuid */
            id: string;
            /** @description `reply`, `auto_reply`, `bounce` or `complaint`. */
            kind: string;
            /** Format: uuid */
            lead_id: string;
            /** Format: uuid */
            mailbox_id: string;
            /**
             * Format: uuid
             * @description The message of ours it answers.
             */
            message_id: string;
            /** Format: date-time */
            received_at: string;
            /** @description The start of the new text (quoted lines left out). */
            snippet: string;
            subject: string;
        };
        /** @description A pipeline with its stages in order. */
        Pipeline: {
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            name: string;
            stages: components["schemas"]["Stage"][];
            /** Format: date-time */
            updated_at: string;
        };
        PipelinePatch: {
            name?: string | null;
        };
        /** @description The first rows of a file. */
        Preview: {
            columns: string[];
            format: components["schemas"]["Format"];
            /** @description Values as text, in column order. */
            rows: (string | null)[][];
            /** @description True when the file has more rows than shown (or the preview read only its start). */
            truncated: boolean;
        };
        /** @description Which lead, step and variant to preview. */
        PreviewRequest: {
            /** Format: uuid */
            lead_id: string;
            /**
             * Format: int32
             * @description 0-based (default 0).
             */
            step?: number;
            /**
             * Format: int32
             * @description 0-based (default 0).
             */
            variant?: number;
        };
        /**
         * @description An RFC 9457 problem document. `code` is stable and snake_case; clients switch on it.
         * @example {
         *       "code": "validation_failed",
         *       "detail": "The request body is not valid.",
         *       "errors": {
         *         "email": [
         *           "must be a valid email address"
         *         ]
         *       },
         *       "request_id": "01J9Z3X4…",
         *       "status": 422,
         *       "title": "Unprocessable Entity",
         *       "type": "https://datafortress.dev/problems/validation_failed"
         *     }
         */
        Problem: Record<string, never> & {
            code: components["schemas"]["ProblemCode"];
            detail?: string | null;
            errors?: null | components["schemas"]["BTreeMap"];
            request_id?: string | null;
            /** Format: int32 */
            status: number;
            title: string;
            type: string;
        };
        /**
         * @description A problem's stable code (its `type` URI ends with it).
         * @enum {string}
         */
        ProblemCode: "bad_request" | "malformed_json" | "invalid_query" | "invalid_list_query" | "invalid_multipart" | "invalid_if_match" | "invalid_cursor" | "invalid_channel" | "invalid_last_event_id" | "invalid_idempotency_key" | "invalid_token" | "unauthorized" | "invalid_credentials" | "invalid_api_key" | "refresh_reused" | "invalid_signature" | "forbidden" | "csrf_rejected" | "signed_url_invalid" | "scope_not_held" | "not_found" | "route_not_found" | "method_not_allowed" | "not_acceptable" | "request_timeout" | "length_required" | "duplicate_email" | "email_taken" | "slug_taken" | "already_member" | "already_exists" | "in_use" | "last_owner" | "version_conflict" | "lead_erased" | "idempotency_request_in_flight" | "job_running" | "job_not_retryable" | "job_key_waiting" | "webhook_replayed" | "project_slug_taken" | "flow_name_taken" | "execution_already_exists" | "execution_conflict" | "task_already_settled" | "automation_run_exists" | "automation_run_finished" | "proposal_not_open" | "campaign_not_ready" | "precondition_failed" | "payload_too_large" | "uri_too_long" | "unsupported_media_type" | "validation_failed" | "lineage_cycle" | "idempotency_key_reused" | "rate_limited" | "login_throttled" | "too_many_connections" | "request_header_fields_too_large" | "client_error" | "internal_error" | "dependency_down" | "mail_unavailable";
        Profile: {
            joins: components["schemas"]["JoinKey"][];
            tables: components["schemas"]["TableProfile"][];
        };
        /** @description A client data project. */
        Project: {
            /**
             * @description The monthly budget, exact (`"1500.00"`); absent: no budget, no alerts.
             * @example 1500.00
             */
            budget_amount?: string | null;
            budget_currency: string;
            client_name: string;
            /** Format: date-time */
            created_at: string;
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            /** @description Unique among the tenant's live projects: `fashion-shop`. */
            slug: string;
            /** @description `active`, `paused` or `archived`. */
            status: string;
            /** @description IANA zone the project's schedules and reports use (`Europe/Bucharest`). */
            timezone: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description One project's total for a month. */
        ProjectCost: {
            /** @example 120.50 */
            amount: string;
            /** @example 1500.00 */
            budget?: string | null;
            name: string;
            /** Format: uuid */
            project_id: string;
        };
        /** @description A project's cost for one billing month. */
        ProjectMonth: {
            alerts: components["schemas"]["BudgetAlert"][];
            /** @example 120.50 */
            amount: string;
            /** @example 1500.00 */
            budget?: string | null;
            /**
             * Format: double
             * @description Percent of the budget used, to one decimal (a number, as in the state document).
             */
            budget_used_percent?: number | null;
            by_provider: components["schemas"]["ProviderCost"][];
            by_resource: components["schemas"]["ResourceCost"][];
            currency: string;
            /** @description `YYYY-MM`. */
            month: string;
            timezone: string;
        };
        /** @description The state document (its schema; PostgreSQL writes it). */
        ProjectState: {
            /** @description The project's running runs. */
            active_jobs: components["schemas"]["ActiveJob"][];
            billing_mtd: components["schemas"]["BillingMtd"];
            edges: components["schemas"]["Edge"][];
            project: components["schemas"]["StateProject"];
            trees: components["schemas"]["StateTrees"];
            /**
             * Format: int64
             * @description The state version (part of the ETag).
             */
            version: number;
        };
        /** @enum {string} */
        ProjectStatus: "active" | "paused" | "archived";
        /** @description A proposed table and how it fared. */
        Proposal: {
            /** Format: date-time */
            decided_at?: string | null;
            description: string;
            /** Format: uuid */
            id: string;
            /** @description `silver` or `gold`. */
            layer: string;
            name: string;
            /** Format: int32 */
            position: number;
            /** @description The SQL as first proposed (the validated SQL, after repairs, is in `validation.sql`). */
            sql: string;
            /** @description `pending`, `valid`, `rejected`, `accepted` or `dismissed`. */
            status: string;
            validation?: Record<string, never> | null;
        };
        /** @description A proposal, and the project's script it would replace (to diff against). */
        ProposalDetail: components["schemas"]["Proposal"] & {
            existing?: null | components["schemas"]["ExistingScript"];
        };
        /** @description One provider's share of a month. */
        ProviderCost: {
            /** @example 12.34 */
            amount: string;
            provider: string;
        };
        /** @description A price per unit of a resource. */
        Rate: {
            /** @description `e2b.cpu`, `llm.tokens.in`, … */
            resource: string;
            /** @description `default` (the rate card below) or `tenant` (the tenant's own rate). */
            source: string;
            /** @description `second`, `token`, `minute`, `email`, … */
            unit: string;
            /** @example 0.000014 */
            unit_price: string;
        };
        RateInput: {
            unit: string;
            /**
             * @description In the tenant's billing currency, exact (at most 10 decimal places).
             * @example 0.000014
             */
            unit_price: string;
        };
        Readiness: {
            /**
             * @description Each dependency: `up` or `down`.
             * @example {
             *       "postgres": "up",
             *       "redis": "up"
             *     }
             */
            checks: {
                [key: string]: unknown;
            };
            /** @example ready */
            status: string;
        };
        /** @description What recording usage came to. */
        Recorded: {
            /** @description Budget thresholds (80, 100) this usage crossed for the first time this month. */
            alerts: number[];
            /** @example 0.0504 */
            amount: string;
            currency: string;
            /**
             * @description The current billing month's total for the project, after this usage.
             * @example 120.50
             */
            month_to_date: string;
            /** @description How many usage rows were written. */
            recorded: number;
        };
        Refreshed: {
            /**
             * Format: date-time
             * @description When the new access cookie expires: refresh again a little before.
             */
            access_expires_at: string;
        };
        RegisterRequest: {
            /** @example ada@acme.test */
            email: string;
            /** @example Ada Lovelace */
            name: string;
            /**
             * Format: password
             * @description 10 to 128 characters, not a commonly breached password.
             * @example correct horse battery staple
             */
            password: string;
            /** @example Acme Agency */
            tenant_name: string;
            /**
             * @description Lower-case letters, digits and dashes; unique.
             * @example acme
             */
            tenant_slug: string;
        };
        Report: {
            /** Format: date-time */
            created_at: string;
            data: Record<string, never>;
            /** Format: uuid */
            id: string;
            /** @description `table`, `metric`, `chart` or `text`. */
            kind: string;
            /** Format: uuid */
            project_id: string;
            /**
             * Format: int32
             * @description How many times this slug was written.
             */
            revision: number;
            slug: string;
            title: string;
            /** Format: date-time */
            updated_at: string;
        };
        ReportBatch: {
            /** Format: uuid */
            project_id: string;
            /** @description 1 to 500 reports; the whole batch is written or none of it. */
            reports: components["schemas"]["ReportInput"][];
        };
        ReportInput: {
            /** @description The report's content (a JSON object, at most 256 KiB). */
            data?: Record<string, never>;
            kind?: null | components["schemas"]["ReportKind"];
            /** @description `daily_sales`: unique within the project; writing it again replaces the report. */
            slug: string;
            title: string;
        };
        /** @enum {string} */
        ReportKind: "table" | "metric" | "chart" | "text";
        ReportedUsage: {
            /** @example 12.5 */
            quantity: string;
            resource: string;
        };
        ResetPasswordRequest: {
            /**
             * Format: password
             * @description 10 to 128 characters, not a commonly breached password.
             * @example a new and longer passphrase
             */
            new_password: string;
            /** @description The `token` parameter of the emailed link. */
            token: string;
        };
        /** @description One resource's share of a month. */
        ResourceCost: {
            /** @example 0.05 */
            amount: string;
            /** @example 3600 */
            quantity: string;
            resource: string;
            unit: string;
        };
        /**
         * @description Member roles, strongest first. The permission matrix is in `docs/permissions.md`.
         * @enum {string}
         */
        Role: "owner" | "admin" | "member" | "viewer";
        RotatedSecret: {
            /**
             * Format: date-time
             * @description Until then deliveries are signed with the old secret too.
             */
            previous_secret_expires_at: string;
            /** @description The new `whsec_…`, shown once. */
            secret: string;
        };
        RulePatch: {
            enabled?: boolean | null;
            /** @description A new list restarts the turns from its first member. */
            member_ids?: string[] | null;
        };
        Run: {
            error?: string | null;
            /** Format: date-time */
            finished_at?: string | null;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: uuid */
            project_id: string;
            /** Format: date-time */
            started_at: string;
            /** @description `running`, `succeeded`, `failed` or `cancelled`. */
            status: string;
        };
        /** @description A run with what it cost. */
        RunDetail: components["schemas"]["Run"] & {
            /** @example 0.42 */
            cost: string;
            usage: components["schemas"]["ResourceCost"][];
        };
        RunFlow: {
            /** @description …or by name. */
            flow?: string | null;
            /**
             * Format: uuid
             * @description The flow, by id…
             */
            flow_id?: string | null;
            /** @description The execution's input (default `{}`). */
            input?: Record<string, never> | null;
            /**
             * @description Unique per flow: starting again with the same name and input answers the first
             *     execution (200); with another input, 409. Default: a new id.
             */
            name?: string | null;
        };
        /** @enum {string} */
        RunOutcome: "succeeded" | "failed" | "cancelled";
        SaveScript: {
            /** @description The layer the script writes. */
            layer: components["schemas"]["ScriptLayer"];
            /** @description The SQL text (at most 512 KiB). */
            sql: string;
        };
        SaveVersion: {
            definition: Record<string, never>;
            nodes?: {
                [key: string]: string;
            };
        };
        /**
         * @description A permission a route may require: `<resource>:read` or `<resource>:write`.
         * @enum {string}
         */
        Scope: "leads:read" | "leads:write" | "outreach:read" | "outreach:write" | "voice:read" | "voice:write" | "projects:read" | "projects:write" | "members:read" | "members:write" | "api_keys:read" | "api_keys:write" | "webhooks:read" | "webhooks:write" | "jobs:read" | "jobs:write";
        /** @enum {string} */
        ScriptLayer: "silver" | "gold";
        ScriptVersion: {
            /** Format: date-time */
            created_at: string;
            /** @description The object's key: `tenants/<tenant>/projects/<project>/scripts/<name>/v<version>.sql`. */
            key: string;
            /** @description `silver` or `gold`: the layer the script writes. */
            layer: string;
            name: string;
            sha256: string;
            /** Format: int64 */
            size: number;
            /** Format: int32 */
            version: number;
        };
        /** @enum {string} */
        Sensitive: "email" | "phone" | "name" | "address";
        /** @description A short-lived link to read an object. */
        SignedLink: {
            /** Format: date-time */
            expires_at: string;
            url: string;
        };
        Skipped: {
            /** Format: uuid */
            lead_id: string;
            /**
             * @description `not_found` (not a live lead of the tenant), `no_email`, `already_enrolled`, or the
             *     suppression's reason: `unsubscribed`, `bounced`, `complaint`, `manual`.
             */
            reason: string;
        };
        /** @enum {string} */
        SmtpSecurity: "none" | "starttls" | "tls";
        Stage: {
            /** Format: uuid */
            id: string;
            is_lost: boolean;
            is_won: boolean;
            name: string;
            /** Format: uuid */
            pipeline_id: string;
            /**
             * Format: int32
             * @description 0-based order within the pipeline.
             */
            position: number;
            /**
             * Format: int32
             * @description Chance of winning a lead in this stage, in percent.
             */
            probability: number;
        };
        StagePatch: {
            is_lost?: boolean | null;
            is_won?: boolean | null;
            name?: string | null;
            /**
             * Format: int32
             * @description Move it to this place (0-based); the others shift.
             */
            position?: number | null;
            /** Format: int32 */
            probability?: number | null;
        };
        StartAutomationRun: {
            /**
             * @description The caller's id for this run, unique per tenant: starting again with the same one (and
             *     the same flow and input) answers the first run (200); with another flow or input, 409.
             *     Default: a new id.
             */
            correlation_id?: string | null;
            /**
             * @description The ActivePieces flow id (its webhook trigger runs it). Offline (no `ACTIVEPIECES_URL`):
             *     the name of one of the tenant's flows.
             */
            flow: string;
            /** @description What the flow gets (default `{}`). */
            input?: Record<string, never> | null;
        };
        StartDiscovery: {
            /**
             * @description Let sample values of columns that look like emails, phone numbers, names or addresses
             *     reach the model and the stored profile unmasked (default: masked).
             */
            allow_samples?: boolean;
            /**
             * Format: int32
             * @description The most tables proposed (default 12).
             */
            max_proposals?: number | null;
            /**
             * Format: int32
             * @description Repairs per proposal when its SQL fails or looks wrong in the sandbox (default 2).
             */
            repair_rounds?: number | null;
        };
        StartRun: {
            /** @description What runs: `nightly`, `import orders`, a flow's name. */
            name: string;
        };
        StateMetrics: {
            /** Format: int64 */
            bytes?: number | null;
            /** Format: int64 */
            duration_ms?: number | null;
            /** Format: int64 */
            rows?: number | null;
        };
        StateNode: {
            error?: string | null;
            id: string;
            kind: string;
            /** Format: date-time */
            last_run_at?: string | null;
            layer: string;
            metrics: components["schemas"]["StateMetrics"];
            name: string;
            /** @description `IDLE`, `RUNNING`, `GREEN`, `YELLOW` or `RED`. */
            status: string;
        };
        /** @description How far a state got in this execution (for colouring the graph). */
        StateProgress: {
            cause?: string | null;
            /**
             * Format: int32
             * @description Times entered (a retried or looped state counts each time).
             */
            entered: number;
            error?: string | null;
            input?: Record<string, never> | null;
            output?: Record<string, never> | null;
            /** @description `running`, `succeeded`, `failed`, `caught`, `retrying` or `waiting`. */
            status: string;
        };
        StateProject: {
            client_name: string;
            /** Format: uuid */
            id: string;
            name: string;
            slug: string;
            status: string;
            timezone: string;
        };
        StateTrees: {
            bronze: components["schemas"]["StateNode"][];
            destination: components["schemas"]["StateNode"][];
            gold: components["schemas"]["StateNode"][];
            silver: components["schemas"]["StateNode"][];
        };
        /** @description The statuses a lead can have, in order. */
        Statuses: {
            /** @description 1 to 30 distinct names of 1 to 50 characters. */
            statuses: string[];
        };
        /** @description One step of a sequence. */
        Step: {
            /**
             * Format: int32
             * @description Minutes after the previous step was sent (the first step: after enrollment). A day is
             *     1440.
             */
            delay_minutes: number;
            /** @description The versions of this step's message (A/B), chosen by weight. */
            variants: components["schemas"]["Variant"][];
        };
        StopExecution: {
            cause?: string | null;
            error?: string | null;
        };
        /** @description Addresses to suppress (an import). */
        SuppressRequest: {
            emails: string[];
        };
        SuppressResult: {
            /** @description How many addresses were new to the list. */
            added: number;
        };
        Suppression: {
            /** Format: date-time */
            created_at: string;
            /** @description Lower case. */
            email: string;
            /** @description `unsubscribed`, `bounced`, `complaint` or `manual`. */
            reason: string;
        };
        SwitchTenantRequest: {
            /** Format: uuid */
            tenant_id: string;
        };
        TableProfile: {
            columns: components["schemas"]["ColumnProfile"][];
            /** @description Columns with a value in every row, all different: candidate primary keys, best first. */
            keys: string[];
            /** @description The bronze view's name (`bronze.<name>`). */
            name: string;
            /** Format: int64 */
            rows: number;
            /** @description A few rows, sensitive values masked. */
            sample: Record<string, never>[];
        };
        TaskCallback: {
            cause?: string | null;
            /** @description The error name (failure), e.g. `Model.Diverged`. */
            error?: string | null;
            /** @description The task's result (success). */
            output?: Record<string, never> | null;
            status: components["schemas"]["CallbackStatus"];
            /** @description The token the task was handed (`$$.Task.Token`). */
            task_token: string;
            /** @description What the task used, priced by the project's rate card (`modal.gpu.a10g`: seconds). */
            usage?: components["schemas"]["ReportedUsage"][];
        };
        /** @description A built-in flow to start from. */
        Template: {
            definition: Record<string, never>;
            description: string;
            name: string;
        };
        /** @description A tenant the user belongs to, with the role held there. */
        TenantMembership: {
            role: components["schemas"]["Role"];
            /** Format: uuid */
            tenant_id: string;
            tenant_name: string;
            tenant_slug: string;
        };
        /** @description The tenant's cost for one billing month. */
        TenantMonth: {
            /** @example 1234.56 */
            amount: string;
            currency: string;
            month: string;
            projects: components["schemas"]["ProjectCost"][];
            timezone: string;
        };
        /** @description An entry of a lead's timeline. */
        TimelineEntry: {
            /**
             * Format: uuid
             * @description The user or API key that wrote it.
             */
            author_id?: string | null;
            body: string;
            /** Format: date-time */
            created_at: string;
            /** @description Structured details (a system entry's field, before and after). */
            data: Record<string, never>;
            /** @description Tasks: whether it is done, and when it was done. */
            done: boolean;
            /** Format: date-time */
            done_at?: string | null;
            /**
             * Format: date-time
             * @description Tasks: when the task is due.
             */
            due_at?: string | null;
            /** Format: uuid */
            id: string;
            /** @description `note`, `task`, `system`, `call` or `email`. */
            kind: string;
            /** Format: uuid */
            lead_id: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description A page of the timeline. */
        TimelinePage: {
            items: components["schemas"]["TimelineEntry"][];
            /** @description Pass as `cursor` for the next (older) page; `null` on the last page. */
            next_cursor?: string | null;
        };
        TopValue: {
            /** Format: int64 */
            count: number;
            value: string;
        };
        /** @description The tree as written. */
        Tree: {
            edges: components["schemas"]["Edge"][];
            nodes: components["schemas"]["Node"][];
        };
        TreeInput: {
            edges?: components["schemas"]["Edge"][];
            nodes: components["schemas"]["NodeInput"][];
        };
        TriggerSync: {
            /** @description The Airbyte connection to sync (passed as `connectionId` in the input). */
            connection_id?: string | null;
            /**
             * Format: uuid
             * @description The data project whose pipeline flow runs (its oldest flow).
             */
            project_id: string;
        };
        UpdateEndpoint: {
            description?: string | null;
            /** @description `true` re-enables a disabled endpoint (and forgets its failures). */
            enabled?: boolean | null;
            event_types?: string[] | null;
            url?: string | null;
        };
        UpdateFlow: {
            description?: string | null;
            /**
             * Format: uuid
             * @description `null` detaches the flow from its project.
             */
            project_id?: string | null;
        };
        UpdateMemberRequest: {
            role: components["schemas"]["Role"];
        };
        UpdateNode: {
            /** @description Why the run failed or warned; `null` clears it. */
            error?: string | null;
            metrics?: null | components["schemas"]["NodeMetrics"];
            name?: string | null;
            /**
             * Format: uuid
             * @description The project run this node run belongs to.
             */
            run_id?: string | null;
            status?: null | components["schemas"]["NodeStatus"];
        };
        UpdateProject: {
            /**
             * @description `null` removes the budget.
             * @example 1500.00
             */
            budget_amount?: string | null;
            budget_currency?: string | null;
            client_name?: string | null;
            description?: string | null;
            name?: string | null;
            slug?: string | null;
            status?: null | components["schemas"]["ProjectStatus"];
            timezone?: string | null;
        };
        /** @description The multipart form of an upload (for the OpenAPI document). */
        UploadForm: {
            /**
             * Format: binary
             * @description A CSV (`.csv`), JSON lines (`.jsonl`, `.ndjson`) or Parquet (`.parquet`) file.
             */
            file: string;
        };
        /** @description One usage row as the API lists it. */
        Usage: {
            /** @example 0.0504 */
            amount: string;
            currency: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: date
             * @description The billing month's first day.
             */
            month: string;
            /** Format: date-time */
            occurred_at: string;
            /** Format: uuid */
            project_id: string;
            provider: string;
            /** @example 3600 */
            quantity: string;
            resource: string;
            /** Format: uuid */
            run_id?: string | null;
            unit: string;
            /** @example 0.000014 */
            unit_price: string;
        };
        UsageInput: {
            /**
             * Format: date-time
             * @description When it was used; now when absent. It decides the billing month.
             */
            occurred_at?: string | null;
            /** @description Defaults to the resource's first word. */
            provider?: string | null;
            /**
             * @description In the rate's unit (seconds, tokens, minutes…), exact: `"3600"` or `"1.5"`.
             * @example 3600
             */
            quantity: string;
            /** @description `e2b.cpu`, `modal.gpu.a10g`, `llm.tokens.in`, `twilio.voice.minutes`, `email.sends`… */
            resource: string;
            /** Format: uuid */
            run_id?: string | null;
        };
        UsageReport: {
            /** @description 1 to 1,000 items. */
            items: components["schemas"]["UsageInput"][];
        };
        ValidateDefinition: {
            definition: Record<string, never>;
        };
        /** @description What validating a definition found. */
        Validation: {
            errors: components["schemas"]["DefinitionError"][];
            valid: boolean;
        };
        /** @description One version of a step's message. */
        Variant: {
            /** @description Plain text, a template like the subject. */
            body: string;
            /** @description A template: `{{first_name | "there"}}`, `{Hi|Hello}`. */
            subject: string;
            /**
             * Format: int32
             * @description Relative weight (default 1).
             */
            weight?: number;
        };
    };
    responses: {
        /** @description The request could not be read (`bad_request`, `malformed_json`, `invalid_query`, …). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description PostgreSQL or Redis is unreachable; retry later (`dependency_down`). */
        DependencyDown: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The caller lacks the scope or role this needs (`forbidden`, `csrf_rejected`). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Nothing with this id in the caller's tenant (`not_found`). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is larger than the server accepts (`payload_too_large`). */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many requests; `Retry-After` says when to retry (`rate_limited`). */
        RateLimited: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid session cookie or API key (`unauthorized`, `invalid_api_key`). */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body's content type is not accepted (`unsupported_media_type`). */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A field is invalid; `errors` names each one (`validation_failed`). */
        ValidationFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_api_keys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the tenant's keys */
            200: {
                headers: {
                    /** @description Keys matching the filters, across all pages */
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_api_key: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description Created; `secret` is shown only here */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `scope_not_held`: the key would hold a scope the caller lacks (or `forbidden`: no `api_keys:write`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    revoke_api_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    accept_invitation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptInvitationRequest"];
            };
        };
        responses: {
            /** @description Joined and signed in to the tenant: session cookies are set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            /** @description invalid_token: unknown, used or expired */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description invalid_credentials: not the existing account's password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description csrf_rejected */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description already_member, or email_taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            /** @description login_throttled; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            503: components["responses"]["DependencyDown"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in: session cookies are set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description invalid_credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            /** @description login_throttled; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            503: components["responses"]["DependencyDown"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out; cookies cleared */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description csrf_rejected */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordRequest"];
            };
        };
        responses: {
            /** @description Changed; the other sessions are ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description forbidden (API keys have no password) or csrf_rejected */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description validation_failed: `errors.current_password` or `errors.new_password` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description login_throttled; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            503: components["responses"]["DependencyDown"];
        };
    };
    forgot_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ForgotPasswordRequest"];
            };
        };
        responses: {
            /** @description Accepted (whether or not the account exists) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ForgotPasswordResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description csrf_rejected */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    reset_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPasswordRequest"];
            };
        };
        responses: {
            /** @description Password set; every session of the user has ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description invalid_token: unknown, used or expired */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description csrf_rejected */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description New session cookies are set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Refreshed"];
                };
            };
            /** @description No, expired, revoked or reused refresh token; cookies are cleared */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Signed in: session cookies are set */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description slug_taken or email_taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            /** @description login_throttled: too many refused attempts from this address or for this email; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            503: components["responses"]["DependencyDown"];
        };
    };
    switch_tenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SwitchTenantRequest"];
            };
        };
        responses: {
            /** @description New session cookies are set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description Not a member of that tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_automation_runs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRun"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    start_automation_run: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartAutomationRun"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRun"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRun"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_automation_run: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRun"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_tenant_costs: {
        parameters: {
            query?: {
                /** @description `YYYY-MM`; the current billing month when absent. */
                month?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantMonth"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_rates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rate"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    set_rate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resource: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RateInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rate"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_rate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                resource: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rate"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_billing_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingSettings"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    set_billing_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BillingSettingsInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingSettings"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_discoveries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Discovery"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_discovery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DiscoveryDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    accept_proposal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                proposal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecidedProposal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    dismiss_proposal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                proposal_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecidedProposal"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    stream_events: {
        parameters: {
            query?: {
                /** @description Resume after this sequence number (for clients that cannot send `Last-Event-ID`). */
                last_event_id?: string;
                /** @description Only these channels, comma-separated (`resources/leads,projects/42`). */
                channels?: string;
            };
            header?: {
                /** @description The last sequence number received */
                "Last-Event-ID"?: number | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description invalid_last_event_id or invalid_channel */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_jobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description Jobs matching the filters */
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRow"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    job_stats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobStats"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRow"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    discard_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description job_running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    retry_job: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The job's id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job, queued again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRow"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description job_not_retryable, job_key_waiting */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    connector_health: {
        parameters: {
            query: {
                /** @description The project whose connectors to check. */
                project: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorHealth"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    script_link: {
        parameters: {
            query: {
                /** @description A script version's key, as the script routes give it. */
                key: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignedLink"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    read_signed: {
        parameters: {
            query: {
                key: string;
                /** @description Unix seconds. */
                expires: number;
                /** @description Hex HMAC-SHA256 of the key and expiry. */
                signature: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The object */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            /** @description signed_url_invalid */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_assignment_rules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentRule"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_assignment_rule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewRule"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentRule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description already_exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_assignment_rule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_assignment_rule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RulePatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentRule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_lead_fields: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldDefinition"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_lead_field: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewField"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldDefinition"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description already_exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_lead_field: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_lead_field: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FieldPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FieldDefinition"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_lead_statuses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Statuses"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    replace_lead_statuses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Statuses"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Statuses"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description in_use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_leads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_lead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeadInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    ETag?: string;
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description duplicate_email: `existing_id` names the lead with this email */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_leads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeadInput"][];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description duplicate_email */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_leads: {
        parameters: {
            query: {
                /** @description repeated: `?id=a&id=b` */
                id: string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"][];
                };
            };
            /** @description invalid_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description not_found: `missing_ids` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_leads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkUpdate"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description not_found: `missing_ids` lists the ids that are not live leads */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    export_leads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_imports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadImport"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_import: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["ImportForm"];
            };
        };
        responses: {
            202: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadImport"];
                };
            };
            /** @description invalid_multipart */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description payload_too_large: the file is over 50 MB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            /** @description validation_failed: no file, not CSV, a bad mapping or policy */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_import: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadImport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_trashed_leads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    upsert_lead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeadInput"];
            };
        };
        responses: {
            /** @description an existing lead was updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            /** @description a lead was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_lead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_lead: {
        parameters: {
            query?: never;
            header?: {
                /** @description "<version>" */
                "If-Match"?: string | null;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description precondition_failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_lead: {
        parameters: {
            query?: never;
            header?: {
                /** @description "<version>" */
                "If-Match"?: string | null;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeadPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description version_conflict, duplicate_email */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description precondition_failed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_lead_audit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLog"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    erase_lead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description erased */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            /** @description forbidden: admins only */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    merge_leads: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MergeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description either lead is not a live lead of the tenant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description version_conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description validation_failed: the same lead twice, an unknown field in `keep` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    move_lead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MoveLead"];
            };
        };
        responses: {
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description version_conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description validation_failed: unknown stage, a neighbour not in that stage */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_note: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewNote"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimelineEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_note: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_note: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntryPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimelineEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    restore_lead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description not in the trash */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description duplicate_email */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_task: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewTask"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimelineEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_task: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_task: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntryPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimelineEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_lead_timeline: {
        parameters: {
            query?: {
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
                /** @description 1 to 100 entries (25 by default). */
                limit?: number | null;
                /** @description Only entries of this kind. */
                kind?: string | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimelinePage"];
                };
            };
            /** @description invalid_cursor, invalid_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_members: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description Members matching the filters, across all pages */
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_invitations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description Pending invitations matching the filters, across all pages */
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invitation"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_invitation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateInvitationRequest"];
            };
        };
        responses: {
            /** @description Invited; the link is on its way */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invitation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description already_member */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            /** @description mail_unavailable: nothing was stored */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delete_invitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invitation's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Withdrawn */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    remove_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The member's user id */
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed; the member's sessions here have ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: also when removing an owner without being one */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description last_owner */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The member's user id */
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMemberRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: also when granting or taking away the owner role without being an owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description last_owner */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_executions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_execution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    cancel_execution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StopExecution"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_history: {
        parameters: {
            query?: {
                /** @description Events after this id (paging). */
                after?: number;
                /** @description At most this many (1-1000, default 500). */
                limit?: number | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryEvent"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    redrive_execution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_flows: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Flow"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_flow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateFlow"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowDetail"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    validate_definition: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ValidateDefinition"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Validation"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_flow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_flow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_flow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateFlow"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Flow"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    save_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SaveVersion"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowDetail"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_flow_executions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_versions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowVersion"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    run_flow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunFlow"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    task_callback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskCallback"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackAccepted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_templates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    trigger_sync: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TriggerSync"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_campaigns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_campaign: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CampaignInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_campaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_campaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CampaignInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_campaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    activate_campaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description campaign_not_ready: no steps, no active mailbox, or archived */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    enroll_leads: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The campaign */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnrollRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnrollResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description campaign_not_ready: the campaign is archived */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    pause_campaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    preview_campaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PreviewRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignPreview"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_enrollments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Enrollment"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    stop_enrollment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_sources: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedbackSource"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    put_source: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: components["schemas"]["FeedbackProvider"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FeedbackSourceInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedbackSource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_source: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: components["schemas"]["FeedbackProvider"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    receive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: components["schemas"]["FeedbackProvider"];
                token: string;
            };
            cookie?: never;
        };
        /** @description The provider's JSON, as sent */
        requestBody: {
            content: {
                "text/plain": string;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedbackResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description invalid_signature */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such source */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_mailboxes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mailbox"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_mailbox: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MailboxInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mailbox"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description already_exists: the from address has a mailbox */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_mailbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mailbox"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_mailbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MailboxInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mailbox"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description already_exists: the from address has another mailbox */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_mailbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_dkim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The mailbox */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dkim"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    put_dkim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The mailbox */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DkimInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dkim"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_dkim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The mailbox */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_inbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The mailbox */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailboxInbox"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    put_inbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The mailbox */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InboxInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailboxInbox"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_inbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The mailbox */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    check_inbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The mailbox */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckSummary"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    test_mailbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailboxTest"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_messages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_replies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OutreachReply"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliverySettings"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    put_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeliverySettings"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliverySettings"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_suppressions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Suppression"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    add_suppressions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SuppressRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SuppressResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    export_suppressions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    import_suppressions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description not CSV, or too many rows */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_suppression: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                email: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    unsubscribe_page: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page with an unsubscribe button */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": unknown;
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    unsubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unsubscribed (again is fine) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": unknown;
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_pipelines: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewPipeline"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description in_use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_pipeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PipelinePatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_stages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Stage"][];
                };
            };
            /** @description invalid_list_query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_stage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewStage"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Stage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_stage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                stage_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description in_use */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_stage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                stage_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StagePatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Stage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_projects: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_project: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProject"];
            };
        };
        responses: {
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProject"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_project_audit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEntry"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_connectors: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connector"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_connector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConnector"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connector"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_connector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                connector_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_project_costs: {
        parameters: {
            query?: {
                /** @description `YYYY-MM`; the current billing month when absent. */
                month?: string | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectMonth"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    start_discovery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The project */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartDiscovery"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Discovery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    add_edge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Edge"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Edge"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_edge: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    upload_object: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["UploadForm"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LayerObject"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description payload_too_large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description unsupported_media_type: not CSV, JSON lines or Parquet */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_objects: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                layer: components["schemas"]["Layer"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LayerObject"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    download_object: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                layer: components["schemas"]["Layer"];
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_object: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                layer: components["schemas"]["Layer"];
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    preview_object: {
        parameters: {
            query?: {
                /** @description Rows to show (1-100, default 20). */
                limit?: number | null;
            };
            header?: never;
            path: {
                id: string;
                layer: components["schemas"]["Layer"];
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preview"];
                };
            };
            /** @description invalid_query: limit is not 1 to 100 */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description unsupported_media_type: not CSV, JSON lines or Parquet */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description validation_failed: a Parquet file too large to preview here, or unreadable */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    put_node: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NodeInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Node"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_node: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                node_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_node: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                node_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_node: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                node_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNode"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Node"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_runs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    start_run: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartRun"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_run: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetail"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    finish_run: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FinishRun"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_scripts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScriptVersion"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    save_script: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SaveScript"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScriptVersion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_script_versions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScriptVersion"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_project_state: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectState"];
                };
            };
            /** @description Not modified since the ETag sent as If-None-Match */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    replace_tree: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TreeInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tree"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_project_usage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Usage"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    record_project_usage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UsageReport"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Recorded"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_reports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    upsert_reports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportBatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    latest_reports: {
        parameters: {
            query: {
                project: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_endpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    create_endpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEndpoint"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndpointWithSecret"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    get_endpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    delete_endpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    update_endpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateEndpoint"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Endpoint"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_attempts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Attempt"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    list_deliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    redeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    rotate_secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotatedSecret"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    automation_callback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AutomationCallback"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationCallbackAccepted"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    sandbox_callback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskCallback"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackAccepted"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["RateLimited"];
            503: components["responses"]["DependencyDown"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=0.0.4": string;
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
type FlattenedDeepRequired<T> = {
    [K in keyof T]-?: FlattenedDeepRequired<T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]>;
};
type ReadonlyArray<T> = [
    Exclude<T, undefined>
] extends [
    unknown[]
] ? Readonly<Exclude<T, undefined>> : Readonly<Exclude<T, undefined>[]>;
export const apiKeyStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ApiKeyStatus"]> = ["active", "expired", "revoked"];
export const automationOutcomeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["AutomationOutcome"]> = ["succeeded", "failed"];
export const callbackStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["CallbackStatus"]> = ["success", "failure", "heartbeat"];
export const connectorKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ConnectorKind"]> = ["airbyte", "http"];
export const feedbackProviderValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["FeedbackProvider"]> = ["ses", "resend", "postmark"];
export const formatValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Format"]> = ["csv", "jsonl", "parquet"];
export const importableLeadFieldValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ImportableLeadField"]> = ["first_name", "last_name", "email", "phone", "company", "title", "website", "source", "status", "score", "owner_id", "tags", "timezone"];
export const invitedRoleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["InvitedRole"]> = ["admin", "member", "viewer"];
export const layerValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Layer"]> = ["bronze", "silver", "gold", "destination"];
export const mailboxStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["MailboxStatus"]> = ["active", "paused"];
export const nodeKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["NodeKind"]> = ["source", "table", "script", "model", "destination"];
export const nodeStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["NodeStatus"]> = ["IDLE", "RUNNING", "GREEN", "YELLOW", "RED"];
export const problemCodeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ProblemCode"]> = ["bad_request", "malformed_json", "invalid_query", "invalid_list_query", "invalid_multipart", "invalid_if_match", "invalid_cursor", "invalid_channel", "invalid_last_event_id", "invalid_idempotency_key", "invalid_token", "unauthorized", "invalid_credentials", "invalid_api_key", "refresh_reused", "invalid_signature", "forbidden", "csrf_rejected", "signed_url_invalid", "scope_not_held", "not_found", "route_not_found", "method_not_allowed", "not_acceptable", "request_timeout", "length_required", "duplicate_email", "email_taken", "slug_taken", "already_member", "already_exists", "in_use", "last_owner", "version_conflict", "lead_erased", "idempotency_request_in_flight", "job_running", "job_not_retryable", "job_key_waiting", "webhook_replayed", "project_slug_taken", "flow_name_taken", "execution_already_exists", "execution_conflict", "task_already_settled", "automation_run_exists", "automation_run_finished", "proposal_not_open", "campaign_not_ready", "precondition_failed", "payload_too_large", "uri_too_long", "unsupported_media_type", "validation_failed", "lineage_cycle", "idempotency_key_reused", "rate_limited", "login_throttled", "too_many_connections", "request_header_fields_too_large", "client_error", "internal_error", "dependency_down", "mail_unavailable"];
export const projectStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ProjectStatus"]> = ["active", "paused", "archived"];
export const reportKindValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ReportKind"]> = ["table", "metric", "chart", "text"];
export const roleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Role"]> = ["owner", "admin", "member", "viewer"];
export const runOutcomeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["RunOutcome"]> = ["succeeded", "failed", "cancelled"];
export const scopeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Scope"]> = ["leads:read", "leads:write", "outreach:read", "outreach:write", "voice:read", "voice:write", "projects:read", "projects:write", "members:read", "members:write", "api_keys:read", "api_keys:write", "webhooks:read", "webhooks:write", "jobs:read", "jobs:write"];
export const scriptLayerValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ScriptLayer"]> = ["silver", "gold"];
export const sensitiveValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Sensitive"]> = ["email", "phone", "name", "address"];
export const smtpSecurityValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["SmtpSecurity"]> = ["none", "starttls", "tls"];
