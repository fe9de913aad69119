//! What the first-run billing step shows after "Test" (issue 15): the company's name where the
//! service's API tells it (Oblio's `nomenclature/companies`; SmartBill v1 and FGO have no such
//! read, so `None`, never a made-up name), against each simulator over loopback.

mod common;

use common::*;
use punte_sim::ServiceKind;

#[tokio::test]
async fn the_company_name_comes_from_oblio_and_is_absent_where_the_api_has_none() {
    let oblio = start(ServiceKind::Oblio, 1.0).await;
    let bill = client_for(&oblio, options(1.0));
    assert_eq!(
        bill.company_name().await.expect("read").as_deref(),
        Some("PUNTE DEMO SRL")
    );
    for kind in [ServiceKind::SmartBill, ServiceKind::Fgo] {
        let sim = start(kind, 1.0).await;
        let bill = client_for(&sim, options(1.0));
        assert_eq!(
            bill.company_name().await.expect("no read"),
            None,
            "{kind:?}"
        );
        assert_eq!(
            logged(&sim),
            0,
            "{kind:?}: nothing is asked for a name the API does not give"
        );
    }
}
