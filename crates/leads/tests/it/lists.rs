//! Lead lists against real rows: every CrudOperator in Refine's native encoding (nested
//! `or`/`and` included), every `@refinedev/simple-rest` form, getMany, sorting, paging with
//! `X-Total-Count`, `q` for whole and partial words, and the queries that must be refused.

use std::collections::BTreeSet;

use crate::common::{create, id, list, LEADS};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, Session, TestApp};

/// Four leads with values that tell the operators apart.
async fn seed(owner: &Session) -> Vec<Value> {
    let mut leads = Vec::new();
    for body in [
        json!({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@engines.example",
               "company": "Analytical Engines", "score": 90, "status": "New",
               "tags": ["vip", "math"], "source": "webinar"}),
        json!({"first_name": "Bob", "last_name": "Builder", "email": "bob@build.example",
               "company": "Builder Co", "score": 40, "status": "In Process",
               "tags": ["construction"], "phone": "+15551234567"}),
        json!({"first_name": "carol", "last_name": "Danvers", "email": "carol@space.example",
               "score": 10, "status": "Dead"}),
        json!({"first_name": "Dave", "email": "dave@weird.example", "company": "50% Off_Shop",
               "score": 60, "status": "New"}),
    ] {
        leads.push(create(owner, body).await);
    }
    leads
}

/// The first names of a list answer, as a set.
async fn names(session: &Session, query: &str) -> BTreeSet<String> {
    let (items, total) = list(session, &format!("{LEADS}?{query}")).await;
    assert_eq!(
        total,
        items.len() as i64,
        "{query}: one page holds them all"
    );
    items
        .iter()
        .map(|l| l["first_name"].as_str().unwrap().to_owned())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// One native field filter: `filters[0][field]=…&filters[0][operator]=…&filters[0][value]…`.
fn native(field: &str, op: &str, value: &Value) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("filters[0][field]", field);
    q.append_pair("filters[0][operator]", op);
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                q.append_pair(&format!("filters[0][value][{i}]"), &text(item));
            }
        }
        Value::Null => {}
        other => {
            q.append_pair("filters[0][value]", &text(other));
        }
    }
    q.finish()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[sqlx::test(migrations = "../../migrations")]
async fn every_operator_in_the_native_encoding(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let leads = seed(&owner).await;
    let all = ["Ada", "Bob", "carol", "Dave"];

    let cases: Vec<(&str, &str, Value, Vec<&str>)> = vec![
        ("first_name", "eq", json!("ADA"), vec!["Ada"]),
        ("status", "ne", json!("new"), vec!["Bob", "carol"]),
        ("first_name", "eqs", json!("ada"), vec![]),
        ("first_name", "eqs", json!("Ada"), vec!["Ada"]),
        (
            "first_name",
            "nes",
            json!("Ada"),
            vec!["Bob", "carol", "Dave"],
        ),
        ("score", "lt", json!(40), vec!["carol"]),
        ("score", "gt", json!(60), vec!["Ada"]),
        ("score", "lte", json!(40), vec!["Bob", "carol"]),
        ("score", "gte", json!(60), vec!["Ada", "Dave"]),
        (
            "status",
            "in",
            json!(["new", "DEAD"]),
            vec!["Ada", "carol", "Dave"],
        ),
        ("status", "nin", json!(["new"]), vec!["Bob", "carol"]),
        ("status", "ina", json!(["New"]), vec!["Ada", "Dave"]),
        ("status", "ina", json!(["new"]), vec![]),
        ("status", "nina", json!(["New"]), vec!["Bob", "carol"]),
        ("company", "contains", json!("ENGINE"), vec!["Ada"]),
        (
            "company",
            "ncontains",
            json!("engine"),
            vec!["Bob", "carol", "Dave"],
        ),
        ("company", "containss", json!("Engine"), vec!["Ada"]),
        ("company", "containss", json!("engine"), vec![]),
        (
            "company",
            "ncontainss",
            json!("Engine"),
            vec!["Bob", "carol", "Dave"],
        ),
        ("score", "between", json!([40, 60]), vec!["Bob", "Dave"]),
        ("score", "nbetween", json!([40, 60]), vec!["Ada", "carol"]),
        ("company", "null", Value::Null, vec!["carol"]),
        ("company", "nnull", Value::Null, vec!["Ada", "Bob", "Dave"]),
        ("last_name", "startswith", json!("LOVE"), vec!["Ada"]),
        (
            "last_name",
            "nstartswith",
            json!("love"),
            vec!["Bob", "carol", "Dave"],
        ),
        ("last_name", "startswiths", json!("Love"), vec!["Ada"]),
        ("last_name", "startswiths", json!("love"), vec![]),
        (
            "last_name",
            "nstartswiths",
            json!("Love"),
            vec!["Bob", "carol", "Dave"],
        ),
        ("email", "endswith", json!("SPACE.example"), vec!["carol"]),
        (
            "email",
            "nendswith",
            json!("space.example"),
            vec!["Ada", "Bob", "Dave"],
        ),
        ("company", "endswiths", json!("Co"), vec!["Bob"]),
        ("company", "endswiths", json!("co"), vec![]),
        (
            "company",
            "nendswiths",
            json!("Co"),
            vec!["Ada", "carol", "Dave"],
        ),
        // Pattern characters match literally.
        ("company", "contains", json!("50%"), vec!["Dave"]),
        ("company", "contains", json!("_"), vec!["Dave"]),
        ("company", "contains", json!("%"), vec!["Dave"]),
        // Lists: eq is membership, in shares an element.
        ("tags", "eq", json!("vip"), vec!["Ada"]),
        (
            "tags",
            "in",
            json!(["vip", "construction"]),
            vec!["Ada", "Bob"],
        ),
        ("tags", "nin", json!(["vip"]), vec!["Bob", "carol", "Dave"]),
        ("phone", "eq", json!("+15551234567"), vec!["Bob"]),
        ("id", "eq", json!(id(&leads[0])), vec!["Ada"]),
        (
            "id",
            "in",
            json!([id(&leads[0]), id(&leads[2])]),
            vec!["Ada", "carol"],
        ),
        (
            "created_at",
            "gte",
            json!("2000-01-01T00:00:00Z"),
            all.to_vec(),
        ),
        ("created_at", "lt", json!("2000-01-01T00:00:00Z"), vec![]),
        ("owner_id", "null", Value::Null, all.to_vec()),
    ];
    for (field, op, value, expected) in cases {
        let query = native(field, op, &value);
        assert_eq!(
            names(&owner, &query).await,
            set(&expected),
            "{field} {op} {value}"
        );
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn nested_or_and_groups_in_the_native_encoding(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    seed(&owner).await;

    // status = dead OR (score >= 50 AND tags has vip)
    let query = "filters[0][operator]=or\
        &filters[0][value][0][field]=status&filters[0][value][0][operator]=eq&filters[0][value][0][value]=Dead\
        &filters[0][value][1][operator]=and\
        &filters[0][value][1][value][0][field]=score&filters[0][value][1][value][0][operator]=gte&filters[0][value][1][value][0][value]=50\
        &filters[0][value][1][value][1][field]=tags&filters[0][value][1][value][1][operator]=eq&filters[0][value][1][value][1][value]=vip";
    assert_eq!(names(&owner, query).await, set(&["Ada", "carol"]));

    // (first_name = bob OR first_name = carol) AND score >= 20
    let query = "filters[0][operator]=or\
        &filters[0][value][0][field]=first_name&filters[0][value][0][operator]=eq&filters[0][value][0][value]=bob\
        &filters[0][value][1][field]=first_name&filters[0][value][1][operator]=eq&filters[0][value][1][value]=carol\
        &filters[1][field]=score&filters[1][operator]=gte&filters[1][value]=20";
    assert_eq!(names(&owner, query).await, set(&["Bob"]));

    // An empty group matches everything.
    assert_eq!(names(&owner, "filters[0][operator]=or").await.len(), 4);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn sorting_and_paging_in_both_encodings(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    seed(&owner).await;
    let first_names = |items: Vec<Value>| -> Vec<String> {
        items
            .iter()
            .map(|l| l["first_name"].as_str().unwrap().to_owned())
            .collect()
    };

    let (items, total) = list(
        &owner,
        &format!("{LEADS}?sorters[0][field]=score&sorters[0][order]=desc&pagination[currentPage]=2&pagination[pageSize]=2"),
    )
    .await;
    assert_eq!(
        (first_names(items), total),
        (vec!["Bob".into(), "carol".into()], 4)
    );

    let (items, total) = list(
        &owner,
        &format!("{LEADS}?_sort=score&_order=asc&_start=1&_end=3"),
    )
    .await;
    assert_eq!(
        (first_names(items), total),
        (vec!["Bob".into(), "Dave".into()], 4)
    );

    // The default order is newest first.
    let (items, _) = list(&owner, LEADS).await;
    assert_eq!(first_names(items), ["Dave", "carol", "Bob", "Ada"]);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn simple_rest_filters_and_get_many(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let leads = seed(&owner).await;

    for (query, expected) in [
        ("first_name=ada", vec!["Ada"]),
        ("status=New&status=Dead", vec!["Ada", "carol", "Dave"]),
        ("status_ne=New", vec!["Bob", "carol"]),
        ("status_ne=New&status_ne=Dead", vec!["Bob"]),
        ("score_gte=40&score_lte=60", vec!["Bob", "Dave"]),
        ("company_like=ENGINE", vec!["Ada"]),
        ("tags=vip", vec!["Ada"]),
        ("q=lovelace", vec!["Ada"]),
        ("q=ovelac", vec!["Ada"]),
        ("q=build", vec!["Bob"]),
        ("q=space.example", vec!["carol"]),
        ("q=%25", vec!["Dave"]),
        ("q=nobody-here", vec![]),
        ("q=engines&score_gte=50", vec!["Ada"]),
    ] {
        assert_eq!(names(&owner, query).await, set(&expected), "{query}");
    }
    // getMany, as simple-rest sends it.
    let query = format!("id={}&id={}", id(&leads[1]), id(&leads[3]));
    assert_eq!(names(&owner, &query).await, set(&["Bob", "Dave"]));
    // q in the native encoding too.
    let query = "q=DANVERS&filters[0][field]=score&filters[0][operator]=lt&filters[0][value]=50";
    assert_eq!(names(&owner, query).await, set(&["carol"]));
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn queries_outside_the_allow_list_are_400_naming_the_parameter(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    seed(&owner).await;

    for (query, param) in [
        (
            "filters[0][field]=password&filters[0][operator]=eq&filters[0][value]=x",
            "filters[0][field]",
        ),
        (
            "filters[0][field]=score&filters[0][operator]=contains&filters[0][value]=1",
            "filters[0][operator]",
        ),
        (
            "filters[0][field]=score&filters[0][operator]=eq&filters[0][value]=ten",
            "filters[0][value]",
        ),
        (
            "filters[0][field]=id&filters[0][operator]=eq&filters[0][value]=nope",
            "filters[0][value]",
        ),
        (
            "sorters[0][field]=tags&sorters[0][order]=asc",
            "sorters[0][field]",
        ),
        ("custom_field=1", "custom_field"),
        ("id=not-a-uuid", "id"),
        ("_start=-1&_end=10", "_start"),
    ] {
        let body = problem(owner.get(&format!("{LEADS}?{query}")).await, 400).await;
        assert_eq!(body["code"], "invalid_list_query", "{query}");
        assert!(body["errors"].get(param).is_some(), "{query}: {body}");
    }
    app.stop().await;
}
