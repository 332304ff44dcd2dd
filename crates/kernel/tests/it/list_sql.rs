//! The list engine's SQL run against real PostgreSQL: for each operator, exactly which rows
//! come back (case-insensitivity, NULLs, LIKE escaping, nesting, pages and totals).

mod list_on_postgres {
    use kernel::list::{self, Field, FieldType, Order, Resource};
    use sqlx::postgres::PgArguments;
    use sqlx::{Arguments, PgPool};

    static THINGS: Resource = Resource::new(
        "things",
        &[
            Field::new("id", "t.id", FieldType::Int),
            Field::new("name", "t.name", FieldType::Text),
            Field::new("score", "t.score", FieldType::Int),
            Field::new("active", "t.active", FieldType::Bool),
            Field::new("created_at", "t.created_at", FieldType::Timestamp),
            Field::new("ref", "t.ref", FieldType::Uuid),
            Field::new("tags", "t.tags", FieldType::TextArray),
            Field::new("ratio", "t.ratio", FieldType::Float),
            Field::new("due_on", "t.due_on", FieldType::Date),
        ],
    )
    .search("to_tsvector('simple', coalesce(t.name, '')) @@ websearch_to_tsquery('simple', $q)")
    .default_sort(&[("created_at", Order::Asc)]);

    const SCHEMA: &str = r"
        CREATE TABLE things (
            id bigint PRIMARY KEY, name text, score int, active boolean,
            created_at timestamptz, ref uuid, tags text[], ratio float8, due_on date
        );
        INSERT INTO things VALUES
          (1, 'Ada',          10, true,  '2024-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000001', '{vip,new}',  0.5, '2024-01-10'),
          (2, 'ada lovelace', 20, false, '2024-02-01T00:00:00Z', '00000000-0000-0000-0000-000000000002', '{vip}',      1.5, '2024-02-10'),
          (3, 'BOB',          30, true,  '2024-03-01T00:00:00Z', '00000000-0000-0000-0000-000000000003', '{}',         2.5, '2024-03-10'),
          (4, 'bobby',      NULL, NULL,  '2024-04-01T00:00:00Z', '00000000-0000-0000-0000-000000000004', NULL,        NULL, NULL),
          (5, NULL,           50, false, '2024-05-01T00:00:00Z', NULL,                                   '{new}',      5.0, '2024-05-10'),
          (6, '50% off',      60, true,  '2024-06-01T00:00:00Z', '00000000-0000-0000-0000-000000000006', '{sale}',     6.0, '2024-06-10'),
          (7, '5_0 deal',     70, false, '2024-07-01T00:00:00Z', '00000000-0000-0000-0000-000000000007', '{sale,vip}', 7.0, '2024-07-10'),
          (8, 'back\slash',   80, true,  '2024-08-01T00:00:00Z', '00000000-0000-0000-0000-000000000008', '{VIP}',      8.0, '2024-08-10'),
          (9, 'Zoë',          90, true,  NULL,                   '00000000-0000-0000-0000-000000000009', '{}',         9.0, '2024-09-10'),
          (10, 'carol',       -5, false, '2024-10-01T00:00:00Z', '00000000-0000-0000-0000-000000000010', '{x}',       -1.0, '2024-10-10');
    ";

    const ALL: [i64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    async fn seed(pool: &PgPool) {
        sqlx::raw_sql(SCHEMA).execute(pool).await.unwrap();
    }

    /// The ids matching a query string, in id order.
    async fn ids(pool: &PgPool, query: &str) -> Vec<i64> {
        let parsed = list::parse(&THINGS, query).unwrap_or_else(|e| panic!("{query}: {e}"));
        let parts = parsed.to_sql(&THINGS, 1);
        let sql = format!(
            "SELECT t.id FROM things t WHERE {} ORDER BY t.id",
            parts.where_sql
        );
        sqlx::query_scalar_with(&sql, parts.arguments().unwrap())
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{query} -> {sql}: {e}"))
    }

    fn except(excluded: &[i64]) -> Vec<i64> {
        ALL.into_iter()
            .filter(|id| !excluded.contains(id))
            .collect()
    }

    fn native(field: &str, op: &str, value: &str) -> String {
        let value: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
        format!("filters[0][field]={field}&filters[0][operator]={op}&filters[0][value]={value}")
    }

    fn native_list(field: &str, op: &str, values: &[&str]) -> String {
        let mut q = format!("filters[0][field]={field}&filters[0][operator]={op}");
        for (i, v) in values.iter().enumerate() {
            let v: String = form_urlencoded::byte_serialize(v.as_bytes()).collect();
            q.push_str(&format!("&filters[0][value][{i}]={v}"));
        }
        q
    }

    /// Asserts each (query, ids) case.
    async fn check(pool: &PgPool, cases: &[(String, Vec<i64>)]) {
        for (query, expected) in cases {
            assert_eq!(&ids(pool, query).await, expected, "{query}");
        }
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn equality_is_case_insensitive_unless_asked_and_negations_keep_nulls(pool: PgPool) {
        seed(&pool).await;
        check(
            &pool,
            &[
                (native("name", "eq", "ADA"), vec![1]),
                (native("name", "ne", "ada"), except(&[1])),
                (native("name", "eqs", "ada lovelace"), vec![2]),
                (native("name", "eqs", "ADA LOVELACE"), vec![]),
                (native("name", "nes", "Ada"), except(&[1])),
                (native("name", "nes", "ada"), ALL.to_vec()),
                (native("score", "eq", "30"), vec![3]),
                (native("score", "ne", "30"), except(&[3])),
                (native("active", "eq", "true"), vec![1, 3, 6, 8, 9]),
                (native("active", "ne", "1"), vec![2, 4, 5, 7, 10]),
                (
                    native("ref", "eq", "00000000-0000-0000-0000-000000000003"),
                    vec![3],
                ),
                (native("ratio", "eq", "0.5"), vec![1]),
            ],
        )
        .await;
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn comparisons_and_ranges(pool: PgPool) {
        seed(&pool).await;
        check(
            &pool,
            &[
                (native("score", "lt", "20"), vec![1, 10]),
                (native("score", "gt", "80"), vec![9]),
                (native("score", "lte", "20"), vec![1, 2, 10]),
                (native("score", "gte", "80"), vec![8, 9]),
                (
                    native("created_at", "gte", "2024-09-01T00:00:00Z"),
                    vec![10],
                ),
                (
                    native("created_at", "lt", "2024-02-01T03:00:00+02:00"),
                    vec![1, 2],
                ),
                (native("due_on", "lte", "2024-02-10"), vec![1, 2]),
                (native("ratio", "gt", "7.5"), vec![8, 9]),
                (
                    native_list("score", "between", &["20", "60"]),
                    vec![2, 3, 5, 6],
                ),
                (
                    native_list("score", "nbetween", &["20", "60"]),
                    vec![1, 4, 7, 8, 9, 10],
                ),
                (
                    native_list(
                        "created_at",
                        "between",
                        &["2024-02-01T00:00:00Z", "2024-04-01T00:00:00Z"],
                    ),
                    vec![2, 3, 4],
                ),
            ],
        )
        .await;
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn lists_and_text_arrays(pool: PgPool) {
        seed(&pool).await;
        check(
            &pool,
            &[
                (native_list("name", "in", &["ADA", "bob"]), vec![1, 3]),
                (native_list("name", "nin", &["ada", "bob"]), except(&[1, 3])),
                (native_list("name", "ina", &["Ada", "bob"]), vec![1]),
                (native_list("name", "nina", &["Ada"]), except(&[1])),
                (native_list("score", "in", &["10", "30", "999"]), vec![1, 3]),
                (native_list("score", "nin", &["10", "30"]), except(&[1, 3])),
                (
                    native_list(
                        "ref",
                        "in",
                        &[
                            "00000000-0000-0000-0000-000000000001",
                            "00000000-0000-0000-0000-000000000002",
                        ],
                    ),
                    vec![1, 2],
                ),
                (
                    native_list("ref", "nin", &["00000000-0000-0000-0000-000000000001"]),
                    except(&[1]),
                ),
                (native_list("score", "in", &[]), vec![]),
                (native("tags", "eq", "vip"), vec![1, 2, 7]),
                (native("tags", "ne", "vip"), vec![3, 4, 5, 6, 8, 9, 10]),
                (
                    native_list("tags", "in", &["new", "sale"]),
                    vec![1, 5, 6, 7],
                ),
                (
                    native_list("tags", "nin", &["new", "sale"]),
                    vec![2, 3, 4, 8, 9, 10],
                ),
            ],
        )
        .await;
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn pattern_operators_escape_like_wildcards(pool: PgPool) {
        seed(&pool).await;
        check(
            &pool,
            &[
                (native("name", "contains", "ob"), vec![3, 4]),
                (native("name", "contains", "ADA"), vec![1, 2]),
                (native("name", "contains", "%"), vec![6]),
                (native("name", "contains", "_"), vec![7]),
                (native("name", "contains", "\\"), vec![8]),
                (native("name", "ncontains", "ob"), except(&[3, 4])),
                (native("name", "containss", "ob"), vec![4]),
                (native("name", "ncontainss", "ob"), except(&[4])),
                (native("name", "startswith", "b"), vec![3, 4, 8]),
                (native("name", "startswith", "5_"), vec![7]),
                (native("name", "startswith", "50%"), vec![6]),
                (native("name", "nstartswith", "b"), except(&[3, 4, 8])),
                (native("name", "startswiths", "b"), vec![4, 8]),
                (native("name", "nstartswiths", "b"), except(&[4, 8])),
                (native("name", "endswith", "BY"), vec![4]),
                (native("name", "nendswith", "by"), except(&[4])),
                (native("name", "endswiths", "OB"), vec![3]),
                (native("name", "nendswiths", "OB"), except(&[3])),
            ],
        )
        .await;
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn null_checks_and_nested_groups(pool: PgPool) {
        seed(&pool).await;
        // name = ada OR (score >= 60 AND (tags has vip OR name contains slash))
        let nested = "filters[0][operator]=or\
            &filters[0][value][0][field]=name&filters[0][value][0][operator]=eq&filters[0][value][0][value]=ada\
            &filters[0][value][1][operator]=and\
            &filters[0][value][1][value][0][field]=score&filters[0][value][1][value][0][operator]=gte&filters[0][value][1][value][0][value]=60\
            &filters[0][value][1][value][1][operator]=or\
            &filters[0][value][1][value][1][value][0][field]=tags&filters[0][value][1][value][1][value][0][operator]=eq&filters[0][value][1][value][1][value][0][value]=vip\
            &filters[0][value][1][value][1][value][1][field]=name&filters[0][value][1][value][1][value][1][operator]=contains&filters[0][value][1][value][1][value][1][value]=slash";
        check(
            &pool,
            &[
                (
                    "filters[0][field]=name&filters[0][operator]=null".to_owned(),
                    vec![5],
                ),
                (native("name", "nnull", "true"), except(&[5])),
                (native("score", "null", ""), vec![4]),
                (nested.to_owned(), vec![1, 7, 8]),
                ("q=bob".to_owned(), vec![3]),
            ],
        )
        .await;
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn simple_rest_filters(pool: PgPool) {
        seed(&pool).await;
        check(
            &pool,
            &[
                ("name=ada".to_owned(), vec![1]),
                ("name_ne=ada".to_owned(), except(&[1])),
                ("score_gte=60&score_lte=80".to_owned(), vec![6, 7, 8]),
                ("name_like=OB".to_owned(), vec![3, 4]),
                ("name_like=%25".to_owned(), vec![6]),
                ("id=1&id=3".to_owned(), vec![1, 3]),
                ("tags=sale".to_owned(), vec![6, 7]),
            ],
        )
        .await;
    }

    #[derive(Debug, sqlx::FromRow)]
    struct Row {
        id: i64,
    }

    async fn page(pool: &PgPool, query: &str, base_where: Option<&str>) -> (Vec<i64>, i64) {
        let parts = list::parse(&THINGS, query).unwrap().to_sql(&THINGS, 1);
        let mut conn = pool.acquire().await.unwrap();
        let (rows, total) =
            list::fetch_page::<Row>(&mut conn, "SELECT t.id FROM things t", base_where, &parts)
                .await
                .unwrap();
        (rows.into_iter().map(|r| r.id).collect(), total)
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn fetch_page_returns_the_page_and_the_total(pool: PgPool) {
        seed(&pool).await;
        // DESC puts the NULL score first; the id breaks ties.
        let by_score = "sorters[0][field]=score&sorters[0][order]=desc&pagination[pageSize]=3";
        assert_eq!(
            page(
                &pool,
                &format!("{by_score}&pagination[currentPage]=1"),
                None
            )
            .await,
            (vec![4, 9, 8], 10)
        );
        assert_eq!(
            page(
                &pool,
                &format!("{by_score}&pagination[currentPage]=4"),
                None
            )
            .await,
            (vec![10], 10)
        );
        assert_eq!(
            page(
                &pool,
                &format!("{by_score}&pagination[currentPage]=5"),
                None
            )
            .await,
            (vec![], 10)
        );
        assert_eq!(
            page(
                &pool,
                "_start=0&_end=2&_sort=active,id&_order=desc,desc",
                None
            )
            .await,
            (vec![4, 9], 10)
        );
        assert_eq!(
            page(&pool, "_sort=active&_order=asc&_start=0&_end=3", None).await,
            (vec![2, 5, 7], 10)
        );
        assert_eq!(
            page(
                &pool,
                "active=true&_sort=score&_order=desc&_start=0&_end=2",
                Some("t.id <> 1")
            )
            .await,
            (vec![9, 8], 4)
        );
        assert_eq!(page(&pool, "name=nobody", None).await, (vec![], 0));
        // Default sort: created_at ASC (NULL last), then id.
        assert_eq!(
            page(&pool, "_start=8&_end=10", None).await,
            (vec![10, 9], 10)
        );
    }

    #[sqlx::test(migrations = "../../migrations")]
    async fn a_slice_can_bind_its_own_parameters_first(pool: PgPool) {
        seed(&pool).await;
        let parts = list::parse(&THINGS, &native("name", "contains", "a"))
            .unwrap()
            .to_sql(&THINGS, 2);
        let mut args = PgArguments::default();
        args.add(0_i32).unwrap();
        parts.add_to(&mut args).unwrap();
        let sql = format!(
            "SELECT t.id FROM things t WHERE t.score > $1 AND {} ORDER BY t.id",
            parts.where_sql
        );
        let got: Vec<i64> = sqlx::query_scalar_with(&sql, args)
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(got, vec![1, 2, 7, 8]);
    }
}
