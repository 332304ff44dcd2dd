//! Demo data for `fortress demo`: a fashion shop's data project as an agency runs it. Orders,
//! customers and products land in bronze (small real files in the object store), are cleaned
//! into silver, modelled into daily sales and a churn score in gold, and pushed to a CRM.
//! Most nodes are green, one warned, the churn model is running; a month of usage gives the
//! cost widget something to show against a budget; a few reports and a script version exist.
//! Idempotent: nothing is seeded when the tenant has a project with the demo's slug.

use chrono::{Duration, Utc};
use kernel::projects::{NodeStatus, NodeUpdate, UsageItem};
use kernel::slice::{Context, SliceError};
use kernel::{TenantId, UnitOfWork};
use object_store::PutPayload;
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::layers::{Area, ObjectKey};
use crate::model::Layer;
use crate::store::projects::{self as project_store, NewProject};
use crate::store::reports::{self as report_store, ReportSpec};
use crate::store::runs as run_store;
use crate::store::scripts::{self as script_store, ScriptVersion};
use crate::store::tree::{self as tree_store, Edge, NodeSpec};
use crate::tree::change_node;
use crate::Settings;

const SLUG: &str = "fashion-shop";

/// (id, layer, kind, name)
const NODES: &[(&str, &str, &str, &str)] = &[
    ("bronze_orders", "bronze", "source", "Shopify orders"),
    ("bronze_customers", "bronze", "source", "Shopify customers"),
    ("bronze_products", "bronze", "source", "Product catalogue"),
    ("silver_orders", "silver", "table", "Orders (clean)"),
    (
        "silver_customers",
        "silver",
        "table",
        "Customers (deduplicated)",
    ),
    ("silver_products", "silver", "table", "Products (typed)"),
    ("gold_sales", "gold", "model", "Sales by day"),
    ("gold_churn", "gold", "model", "Churn score"),
    ("crm_hubspot", "destination", "destination", "HubSpot CRM"),
];

const EDGES: &[(&str, &str)] = &[
    ("bronze_orders", "silver_orders"),
    ("bronze_customers", "silver_customers"),
    ("bronze_products", "silver_products"),
    ("silver_orders", "gold_sales"),
    ("silver_products", "gold_sales"),
    ("silver_orders", "gold_churn"),
    ("silver_customers", "gold_churn"),
    ("gold_churn", "crm_hubspot"),
];

const ORDERS_CSV: &str = "order_id,customer_id,product_id,quantity,unit_price,ordered_at\n\
1001,c-17,p-3,2,39.90,2026-11-02T09:14:00Z\n\
1002,c-04,p-1,1,89.00,2026-11-02T11:40:00Z\n\
1003,c-17,p-7,1,24.50,2026-11-03T16:05:00Z\n\
1004,c-22,p-3,3,39.90,2026-11-04T10:21:00Z\n";
const CUSTOMERS_JSONL: &str =
    "{\"customer_id\":\"c-04\",\"email\":\"ana@example.com\",\"country\":\"RO\"}\n\
{\"customer_id\":\"c-17\",\"email\":\"ben@example.com\",\"country\":\"DE\"}\n\
{\"customer_id\":\"c-22\",\"email\":\"cara@example.com\",\"country\":\"FR\"}\n";
const PRODUCTS_CSV: &str = "product_id,name,category,price\n\
p-1,Wool coat,outerwear,89.00\np-3,Linen shirt,tops,39.90\np-7,Canvas tote,accessories,24.50\n";
const SALES_SQL: &str = "-- Sales by day, from the clean orders and products.\n\
SELECT date_trunc('day', o.ordered_at) AS day, p.category,\n\
       sum(o.quantity * o.unit_price) AS revenue, count(*) AS orders\n\
FROM silver.orders o JOIN silver.products p USING (product_id)\n\
GROUP BY 1, 2 ORDER BY 1, 2;\n";

pub async fn seed(ctx: &Context, tenant: TenantId) -> Result<(), SliceError> {
    let settings = ctx.settings::<Settings>()?;
    let mut work = UnitOfWork::begin_for(&ctx.db, &ctx.cache, tenant).await?;
    let existing: Option<Uuid> = sqlx::query_scalar!(
        "SELECT id FROM projects WHERE slug = $1 AND deleted_at IS NULL",
        SLUG
    )
    .fetch_optional(&mut *work)
    .await?;
    if existing.is_some() {
        return Ok(());
    }
    let project = Uuid::now_v7();
    project_store::insert_project(
        &mut work,
        &NewProject {
            id: project,
            name: "Fashion shop analytics",
            slug: SLUG,
            client_name: "Maison Lumière",
            description: "Orders, customers and products from the shop, cleaned and modelled into daily sales and a churn score that is pushed to the client's CRM every night.",
            status: "active",
            timezone: "Europe/Bucharest",
            budget_amount: Some(Decimal::new(25_000, 2)),
            budget_currency: "USD",
        },
    )
    .await?;
    for (position, (id, layer, kind, name)) in NODES.iter().enumerate() {
        let spec = NodeSpec {
            id,
            layer,
            kind,
            name,
            position: position as i32,
        };
        tree_store::upsert_node(&mut work, project, &spec).await?;
    }
    let edges: Vec<Edge> = EDGES
        .iter()
        .map(|(from, to)| Edge {
            from: (*from).into(),
            to: (*to).into(),
        })
        .collect();
    tree_store::replace_edges(&mut work, project, &edges).await?;

    // Last night's run, finished: everything green but the products table (a warning); the
    // HubSpot push had not run yet. (The orchestration demo then runs the pipeline over it.)
    let nightly = run_store::insert_run(&mut work, project, Uuid::now_v7(), "nightly").await?;
    for (id, _, _, _) in NODES {
        let (status, rows, error) = match *id {
            "silver_products" => (
                NodeStatus::Yellow,
                3,
                Some("2 rows without a category were set to 'other'".to_owned()),
            ),
            "crm_hubspot" => (NodeStatus::Idle, 0, None),
            _ => (NodeStatus::Green, 4, None),
        };
        if status == NodeStatus::Idle {
            continue;
        }
        let running = NodeUpdate {
            status: Some(NodeStatus::Running),
            run_id: Some(nightly.id),
            ..NodeUpdate::default()
        };
        change_node(&mut work, project, id, &running).await?;
        let finished = NodeUpdate {
            status: Some(status),
            rows: Some(rows),
            bytes: Some(rows * 180),
            duration_ms: Some(1_200 + rows * 40),
            error: error.map(Some),
            run_id: Some(nightly.id),
            ..NodeUpdate::default()
        };
        change_node(&mut work, project, id, &finished).await?;
    }
    run_store::finish_run(&mut work, project, nightly.id, "succeeded", None).await?;

    // A month of usage: sandbox seconds, a GPU for the churn model, tokens, sends.
    let now = Utc::now();
    let usage: Vec<UsageItem> = (0..12)
        .flat_map(|day| {
            let at = now - Duration::days(day * 2);
            let item = |resource: &str, quantity: i64| UsageItem {
                resource: resource.into(),
                provider: None,
                quantity: Decimal::from(quantity),
                run_id: None,
                occurred_at: Some(at),
            };
            [
                item("e2b.cpu", 5_400),
                item("modal.gpu.a10g", 1_800),
                item("llm.tokens.in", 420_000),
                item("llm.tokens.out", 60_000),
                item("airbyte.rows", 52_000),
            ]
        })
        .collect();
    crate::costs::record_usage(&mut work, project, &usage).await?;

    let reports = [
        ReportSpec {
            slug: "daily_sales",
            title: "Sales by day",
            kind: "table",
            data: &json!({"columns": ["day", "revenue", "orders"], "rows": [["2026-11-02", 168.8, 2], ["2026-11-03", 24.5, 1], ["2026-11-04", 119.7, 1]]}),
        },
        ReportSpec {
            slug: "churn_risk",
            title: "Customers at risk of churning",
            kind: "metric",
            data: &json!({"value": 0.18, "unit": "share", "note": "18% of active customers score above 0.7"}),
        },
    ];
    report_store::upsert(&mut work, project, &reports).await?;

    // The files and the script, in the object store.
    let store = settings.objects.store();
    for (name, text) in [
        ("orders.csv", ORDERS_CSV),
        ("customers.jsonl", CUSTOMERS_JSONL),
        ("products.csv", PRODUCTS_CSV),
    ] {
        let key = ObjectKey::new(tenant.0, project, Area::Layer(Layer::Bronze), &[name])
            .map_err(|_| "demo file name")?;
        store
            .put(&key.path(), PutPayload::from(text.as_bytes().to_vec()))
            .await?;
    }
    let key = ObjectKey::new(
        tenant.0,
        project,
        Area::Scripts,
        &["sales_by_day", "v1.sql"],
    )
    .map_err(|_| "demo script name")?;
    store
        .put(&key.path(), PutPayload::from(SALES_SQL.as_bytes().to_vec()))
        .await?;
    let script = ScriptVersion {
        name: "sales_by_day".into(),
        version: 1,
        layer: "gold".into(),
        key: key.to_string(),
        size: SALES_SQL.len() as i64,
        sha256: {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(SALES_SQL.as_bytes()))
        },
        created_at: now,
    };
    script_store::insert(&mut work, project, &script).await?;
    work.publish_ids(
        crate::routes::projects::RESOURCE,
        "project.created",
        &[project],
    )
    .await?;
    work.commit().await?;
    Ok(())
}
