//! Controlled documents' workflow logs record who acted as ticket history does: a person by id,
//! the system by the part that acted, never both.

use spoc_domain::access::{Principal, SystemActor};
use spoc_domain::{SopId, Timestamp};
use spoc_store::{SopWrite, StoreError};

use crate::{FIRST, T0, backends, desk, sop};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_log_records_a_person_or_the_system() {
    for backend in backends().await {
        let store = &backend.store;
        let desk = desk(store).await;
        let id = SopId::new(sop(store, desk.agent).await);
        let tenant = FIRST.tenant().unwrap();
        store
            .update_sop(tenant, id, |_, _, _| {
                let write = SopWrite {
                    log: vec![(1, "review_due".to_owned(), Some("Scheduled".to_owned()))],
                    ..SopWrite::default()
                };
                let by = Principal::System(SystemActor::SopReview);
                Ok::<_, StoreError>((write, Some(by), Timestamp::from_micros(T0 + 1_000_000)))
            })
            .await
            .unwrap();
        store
            .update_sop(tenant, id, |_, _, _| {
                let write = SopWrite {
                    log: vec![(1, "noted".to_owned(), None)],
                    ..SopWrite::default()
                };
                let by = Principal::User(desk.agent);
                Ok::<_, StoreError>((write, Some(by), Timestamp::from_micros(T0 + 2_000_000)))
            })
            .await
            .unwrap();
        let who: Vec<_> = store
            .sop_log(id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.actor_id, e.actor_system))
            .collect();
        assert_eq!(
            who,
            vec![
                ("created".to_owned(), Some(desk.agent), None),
                ("review_due".to_owned(), None, Some(SystemActor::SopReview)),
                ("noted".to_owned(), Some(desk.agent), None),
            ],
            "{}",
            backend.name
        );
        backend.remove().await;
    }
}
