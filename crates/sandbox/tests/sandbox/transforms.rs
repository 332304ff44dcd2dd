//! The happy path: bronze files of every format become silver and gold Parquet files.

use serde_json::json;

use crate::TestWorkspace;
use sandbox::{Column, Layer};

fn column(name: &str, data_type: &str) -> Column {
    Column {
        name: name.into(),
        data_type: data_type.into(),
    }
}

/// A bronze Parquet file, made by the sandbox itself and moved into bronze.
async fn write_products_parquet(workspace: &TestWorkspace) {
    workspace
        .run(
            "CREATE TABLE silver.products AS \
             SELECT * FROM (VALUES ('P1', 'books'), ('P2', 'toys'), ('P3', 'garden')) AS t(product, category)",
        )
        .await
        .unwrap();
    std::fs::rename(
        workspace.path().join("silver/products.parquet"),
        workspace.path().join("bronze/products.parquet"),
    )
    .unwrap();
}

const TRANSFORM: &str = "
    CREATE TABLE silver.orders AS
    SELECT o.id::BIGINT AS id, c.name AS customer, p.category, o.amount::DECIMAL(10,2) AS amount,
           o.created_at::DATE AS day
    FROM bronze.orders o
    JOIN bronze.customers c ON c.id = o.customer_id
    JOIN bronze.products p USING (product);
    -- a comment; with a semicolon
    CREATE TABLE gold.sales_by_day AS
    SELECT day, count(*) AS orders, sum(amount) AS revenue FROM silver.orders GROUP BY day;
    SELECT * FROM gold.sales_by_day ORDER BY day";

#[tokio::test]
async fn bronze_csv_jsonl_and_parquet_become_silver_and_gold_parquet() {
    // Arrange
    let workspace = TestWorkspace::new();
    workspace.write_orders_csv();
    workspace.write(
        "bronze/customers.jsonl",
        "{\"id\": 10, \"name\": \"Ada\"}\n{\"id\": 11, \"name\": \"Grace\"}\n{\"id\": 12, \"name\": \"Linus\"}\n",
    );
    write_products_parquet(&workspace).await;

    // Act
    let response = workspace.run(TRANSFORM).await.unwrap();

    // Assert
    let [orders, sales] = &response.tables[..] else {
        panic!("two tables expected: {response:?}")
    };
    assert_eq!(
        (orders.layer, orders.name.as_str(), orders.rows),
        (Layer::Silver, "orders", 5)
    );
    assert_eq!(orders.path, "silver/orders.parquet");
    assert_eq!(
        orders.columns,
        vec![
            column("id", "BIGINT"),
            column("customer", "VARCHAR"),
            column("category", "VARCHAR"),
            column("amount", "DECIMAL(10,2)"),
            column("day", "DATE"),
        ]
    );
    assert_eq!(orders.sample.len(), 5);
    assert_eq!(
        (sales.layer, sales.name.as_str(), sales.rows),
        (Layer::Gold, "sales_by_day", 3)
    );
    assert_eq!(sales.path, "gold/sales_by_day.parquet");
    for table in &response.tables {
        let written = std::fs::metadata(workspace.path().join(&table.path))
            .unwrap()
            .len();
        assert_eq!(written, table.bytes);
        assert!(written > 0);
    }
    let result = response.result.expect("the last SELECT's rows");
    assert_eq!(
        result
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["day", "orders", "revenue"]
    );
    assert_eq!(
        result.rows,
        vec![
            json!({"day": "2024-03-01", "orders": 2, "revenue": 24.9}),
            json!({"day": "2024-03-02", "orders": 2, "revenue": 24.9}),
            json!({"day": "2024-03-03", "orders": 1, "revenue": 120.0}),
        ]
    );
    assert!(response.peak_memory_mb.is_some_and(|mb| mb > 0));
    let leftovers = std::fs::read_dir(workspace.path().join(".sandbox-tmp"))
        .unwrap()
        .count();
    assert_eq!(
        leftovers, 0,
        "the scratch directory is removed after the run"
    );
}

#[tokio::test]
async fn a_rerun_overwrites_the_same_files_with_the_same_tables() {
    // Arrange
    let workspace = TestWorkspace::new();
    workspace.write_orders_csv();
    let sql = "CREATE TABLE silver.orders AS SELECT * FROM bronze.orders;
               CREATE TABLE gold.revenue AS SELECT product, sum(amount) AS revenue FROM silver.orders GROUP BY product";
    let first = workspace.run(sql).await.unwrap();

    // Act
    let second = workspace.run(sql).await.unwrap();

    // Assert
    let summary = |response: &sandbox::Response| {
        response
            .tables
            .iter()
            .map(|t| (t.path.clone(), t.rows, t.columns.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(summary(&first), summary(&second));
    assert_eq!(second.tables[0].rows, 5);
    let files: Vec<_> = workspace
        .snapshot()
        .into_keys()
        .filter(|path| !path.starts_with("ws/bronze"))
        .collect();
    assert_eq!(
        files,
        ["ws/gold/revenue.parquet", "ws/silver/orders.parquet"].map(std::path::PathBuf::from)
    );
}

#[tokio::test]
async fn a_folder_of_files_is_one_dataset_and_names_become_identifiers() {
    // Arrange
    let workspace = TestWorkspace::new();
    workspace.write(
        "bronze/Web Events/part-1.csv",
        "user_id,event\n1,view\n2,click\n",
    );
    workspace.write("bronze/Web Events/part-2.csv", "user_id,event\n3,view\n");
    workspace.write("bronze/notes.txt", "not a dataset");

    // Act
    let response = workspace
        .run("SELECT count(*) AS events FROM bronze.web_events")
        .await
        .unwrap();

    // Assert
    assert_eq!(response.result.unwrap().rows, vec![json!({"events": 3})]);
    assert!(response.tables.is_empty());
}

#[tokio::test]
async fn silver_written_by_an_earlier_run_is_readable_by_the_next() {
    // Arrange
    let workspace = TestWorkspace::new();
    workspace.write_orders_csv();
    workspace
        .run("CREATE TABLE silver.orders AS SELECT * FROM bronze.orders")
        .await
        .unwrap();

    // Act
    let response = workspace
        .run("CREATE TABLE gold.products AS SELECT product, count(*) AS n FROM silver.orders GROUP BY product")
        .await
        .unwrap();

    // Assert
    assert_eq!(response.tables[0].rows, 3);
    assert!(workspace.path().join("silver/orders.parquet").is_file());
}

#[tokio::test]
async fn sample_rows_bounds_the_samples() {
    // Arrange
    let workspace = TestWorkspace::new();
    let request = sandbox::Request {
        sample_rows: 2,
        ..workspace.request(
            "CREATE TABLE silver.numbers AS SELECT range AS n FROM range(100); FROM silver.numbers",
        )
    };

    // Act
    let response = workspace.run_request(&request).await.unwrap();

    // Assert
    assert_eq!(response.tables[0].rows, 100);
    assert_eq!(
        response.tables[0].sample,
        vec![json!({"n": 0}), json!({"n": 1})]
    );
    assert_eq!(response.result.unwrap().rows.len(), 2);
}
