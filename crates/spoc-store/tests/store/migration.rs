//! The migration that gives the change feed its tenant: a change recorded before it takes the
//! tenant of the record that changed, and the first tenant when that record is gone or has no
//! row of its own (a setting).

use std::path::{Path, PathBuf};

use spoc_domain::TenantId;
use spoc_store::{Store, StoreOptions};

use crate::{Backend, unique};

/// The first migration of the tenant on the change feed.
const CHANGES_TENANT: i64 = 20261209100000;

/// Rows of a desk migrated up to just before [`CHANGES_TENANT`]: a second tenant with a person,
/// a group and a calendar, and changes of those, of a setting, of a person that is gone and of
/// a policy that is gone.
const BEFORE: &[&str] = &[
    "INSERT INTO tenants (id, name, created_at) VALUES (2, 'Second', 0)",
    "INSERT INTO users (id, email, email_canonical, name, role, created_at, tenant_id) \
     VALUES (10, 'a@example.com', 'a@example.com', 'A', 'agent', 0, 2)",
    "INSERT INTO resolver_groups (id, name, tier, created_at, tenant_id) \
     VALUES (20, 'Second line', 2, 0, 2)",
    "INSERT INTO calendars (id, name, spec, created_at, updated_at, tenant_id) \
     VALUES (30, 'Office', '{}', 0, 0, 2)",
    "INSERT INTO changes (position, at, entity, entity_id, kind, public) VALUES \
     (1, 0, 'user', 10, 'created', FALSE), (2, 0, 'group', 20, 'created', FALSE), \
     (3, 0, 'sla', 30, 'calendar_created', FALSE), (4, 0, 'setting', 0, 'updated', FALSE), \
     (5, 0, 'user', 999, 'updated', FALSE), (6, 0, 'sla', 30, 'policy_created', FALSE)",
    "UPDATE feed_head SET position = 6 WHERE id = 1",
];

/// A copy of a backend's migrations older than `version`, in a directory of its own.
fn migrations_before(tree: &str, version: i64) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(tree);
    let to = std::env::temp_dir().join(unique("spoc_migrations"));
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let older = name
            .split('_')
            .next()
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|v| v < version);
        if older {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
    to
}

/// Migrates the database at `url` up to just before [`CHANGES_TENANT`] and writes [`BEFORE`].
async fn desk_before(tree: &str, url: &str) {
    let dir = migrations_before(tree, CHANGES_TENANT);
    let migrator = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
    if tree == "sqlite" {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for sql in BEFORE {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for sql in BEFORE {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_before_the_tenant_take_their_records_tenant() {
    let mut desks = Vec::new();
    let file = std::env::temp_dir().join(format!("{}.db", unique("spoc_store_migration")));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    desk_before("sqlite", &url).await;
    desks.push(("sqlite", url, Some(file), None));
    if let Ok(base) = std::env::var("SPOC_TEST_PG_URL") {
        let schema = unique("migration");
        let pool = sqlx::PgPool::connect(&base).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        desk_before("postgres", &url).await;
        desks.push(("postgres", url, None, Some((base, schema))));
    }
    for (name, url, sqlite_file, pg_schema) in desks {
        let store = Store::connect(&StoreOptions::new(url)).await.unwrap();
        store.migrate().await.unwrap();
        let backend = Backend {
            name,
            store,
            sqlite_file,
            pg_schema,
        };
        let tenants: Vec<(i64, TenantId)> = backend
            .store
            .changes_after(0, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.position, c.tenant))
            .collect();
        let (first, second) = (TenantId::FIRST, TenantId::new(2));
        assert_eq!(
            tenants,
            vec![
                (1, second),
                (2, second),
                (3, second),
                (4, first),
                (5, first),
                (6, first)
            ],
            "{}",
            backend.name
        );
        backend.remove().await;
    }
}
