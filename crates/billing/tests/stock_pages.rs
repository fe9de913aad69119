//! The warehouse's stock read one page at a time (the engine's paced sweep): every service's
//! pages, read until the one marked last, hold exactly what the whole-warehouse read holds, and
//! each service says how it pages and under which documented limit.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use punte_sim::ServiceKind;
use serde_json::json;

/// Receives `n` products (stock = index) in one NIR per 100 lines.
async fn stock_up(sim: &punte_sim::SimServer, n: usize) {
    let lines: Vec<_> = (0..n)
        .map(|i| {
            json!({"code": format!("P-{i:05}"), "name": format!("Produs {i}"), "unit": "buc",
            "quantity": i})
        })
        .collect();
    for chunk in lines.chunks(100) {
        let body = json!({"warehouse": WAREHOUSE, "lines": chunk});
        control_post(sim, "/billing/receive", body).await;
    }
}

async fn pages_equal_the_whole(kind: ServiceKind, n: usize, page_size: Option<usize>) {
    // FGO lists one page per 30 s: the simulator runs 100 times faster, and so does the client.
    let scale = 100.0;
    let sim = start(kind, scale).await;
    let client = client_for(&sim, options(scale)); // also installs the TLS provider
    stock_up(&sim, n).await;
    let paging = client.stock_paging();
    assert_eq!(paging.page_size, page_size, "{kind:?}");
    let per_second = |r: punte_billing::limit::Rate| f64::from(r.max) / r.window.as_secs_f64();
    assert!(
        per_second(paging.paced) <= per_second(paging.limit),
        "{kind:?}: the client never goes faster than the documented limit"
    );

    let wh = warehouse_id(&sim);
    let whole: BTreeMap<String, String> = client
        .stock(wh, None)
        .await
        .expect("whole warehouse")
        .into_iter()
        .map(|p| (p.code.0, p.stock.to_string()))
        .collect();
    assert!(whole.len() >= n, "{kind:?}: {}", whole.len());
    let mut paged = BTreeMap::new();
    let mut pages = 0;
    for page in 0.. {
        let p = client.stock_page(wh, page).await.expect("page");
        pages += 1;
        if let Some(size) = page_size {
            assert!(p.products.len() <= size);
        }
        for product in p.products {
            assert!(
                paged
                    .insert(product.code.0, product.stock.to_string())
                    .is_none(),
                "{kind:?}: a code on two pages"
            );
        }
        if p.last {
            break;
        }
        assert!(page < 100, "{kind:?}: no last page");
    }
    assert_eq!(paged, whole, "{kind:?}");
    let want = page_size.map_or(1, |s| whole.len().div_ceil(s).max(1));
    assert!(
        pages == want || pages == want + 1,
        "{kind:?}: {pages} pages for {} products",
        whole.len()
    );
}

#[tokio::test]
async fn smartbill_answers_the_whole_warehouse_as_one_page() {
    pages_equal_the_whole(ServiceKind::SmartBill, 700, None).await;
}

#[tokio::test]
async fn oblio_pages_are_250_products_by_offset() {
    pages_equal_the_whole(ServiceKind::Oblio, 700, Some(250)).await;
}

#[tokio::test]
async fn fgo_pages_are_200_articles() {
    tokio::time::timeout(
        Duration::from_secs(60),
        pages_equal_the_whole(ServiceKind::Fgo, 450, Some(200)),
    )
    .await
    .expect("FGO's pages at 100x");
}
