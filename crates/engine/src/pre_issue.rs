//! The checks an invoice passes before any billing write: the order is still open (never an
//! invoice for an order cancelled since its intent was written), what SPV would refuse about
//! the buyer (core `spv_check`: the CUI's control digit, a Bucharest address's sector) and
//! every line's VAT rate against the billing company's rates and the product's rate there (core
//! `vat_check`). A failing order is held in needs-review with the field and the fix named in
//! Romanian and English, and nothing is sent; the merchant fixes it (in Shopify, or in the
//! billing service) and retries from needs-review, which drafts the order again and checks it
//! anew with freshly read rates. A passing draft carries the service's names for its rates.

use std::collections::{BTreeSet, HashMap};

use punte_billing::{BillingError, BillingService, ServiceKind};
use punte_core::invoice::{DraftLineKind, InvoiceDraft};
use punte_core::money::VatRate;
use punte_core::order::{OrderId, OrderState};
use punte_core::product::ProductCode;
use punte_core::spv_check::check_client;
use punte_core::vat_check::{CompanyVat, check_vat};
use punte_store::{OutboxItem, OutboxState};

use crate::context::Ctx;
use crate::error::{EngineError, ErrorInfo};
use crate::kv;
use crate::pre_issue_words::{service_name, words};
use crate::vat_cache::{self, KnownVat};

/// What the checks decided for one draft.
pub(crate) enum Verdict {
    /// Issue this draft (its rates named as the service names them).
    Pass(Box<InvoiceDraft>),
    /// Hold the order in needs-review with this text (Romanian / English).
    Hold(String),
    /// The service could not be asked; the intent waits.
    Waiting(ErrorInfo),
}

/// The settings row that marks outbox item `id` as held by these checks (never sent).
pub fn held_key(id: i64) -> String {
    format!("engine.invoice_held.{id}")
}

/// Whether outbox item `id` was held by these checks and not sent since.
pub(crate) async fn was_held(ctx: &Ctx, id: i64) -> Result<bool, EngineError> {
    let key = held_key(id);
    let held: Option<bool> = ctx.store().call(move |s| kv::read(s, &key)).await?;
    Ok(held == Some(true))
}

/// Marks (or clears) item `id` as held by these checks.
pub(crate) async fn set_held(ctx: &Ctx, id: i64, held: bool) -> Result<(), EngineError> {
    kv::put(ctx.store(), held_key(id), held, ctx.now()).await
}

/// Why `order` can no longer be invoiced (Romanian / English), if it is not open: an intent is
/// never sent for an order cancelled, dispatched or invoiced since the intent was written.
pub(crate) async fn not_open(ctx: &Ctx, order: OrderId) -> Result<Option<String>, EngineError> {
    let state = ctx
        .store()
        .call(move |s| s.order(order))
        .await?
        .map(|d| d.order.state);
    let (ro, en) = match state {
        Some(OrderState::Open) => return Ok(None),
        Some(OrderState::Cancelled) => ("anulată", "cancelled"),
        Some(OrderState::Dispatched) => ("marcată expediată", "marked dispatched"),
        Some(OrderState::Invoiced { .. }) => ("deja facturată", "already invoiced"),
        None => ("ștearsă din Punte", "gone from Punte"),
    };
    Ok(Some(format!(
        "Comanda a fost {ro} după ce factura a fost pregătită; nu s-a emis nicio factură. \
         Verificați comanda în Shopify. / The order was {en} after its invoice was prepared; \
         no invoice was issued. Check the order in Shopify."
    )))
}

fn waitable(e: &BillingError) -> bool {
    e.is_transient() || matches!(e, BillingError::Unavailable { .. })
}

/// The product VAT rates read for a draft's codes, before the outbox lock is taken.
pub(crate) struct ProductRates {
    asked: Vec<ProductCode>,
    read: Result<HashMap<ProductCode, VatRate>, BillingError>,
}

/// The distinct product codes of `draft`'s lines.
pub(crate) fn product_codes(draft: &InvoiceDraft) -> Vec<ProductCode> {
    draft
        .lines
        .iter()
        .filter(|l| l.kind == DraftLineKind::Product)
        .filter_map(|l| l.code.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Reads the VAT rate of each of `codes` in the billing service, one product at a time (a few
/// single reads, never the whole warehouse). The invoice lane does it before taking the outbox
/// lock, so other billing writes do not wait for these reads.
pub(crate) async fn read_product_rates(
    ctx: &Ctx,
    billing: &dyn BillingService,
    codes: Vec<ProductCode>,
) -> ProductRates {
    if billing.kind() != ServiceKind::SmartBill {
        for _ in &codes {
            ctx.billing_call();
        }
    }
    let warehouse = ctx.config.connections.warehouse.clone();
    let read = billing.product_vat_rates(&warehouse, &codes).await;
    ProductRates { asked: codes, read }
}

/// An intent's product VAT rates, read before the outbox lock is taken (the invoice lane's
/// `process`): other billing writes never wait for these reads; the draft read again under the
/// lock is checked against the codes asked.
pub(crate) async fn rates_before_lock(
    ctx: &Ctx,
    item: &OutboxItem,
) -> Result<Option<ProductRates>, EngineError> {
    if item.state != OutboxState::Intent {
        return Ok(None);
    }
    let Ok(draft) = serde_json::from_str::<InvoiceDraft>(&item.intent.draft) else {
        return Ok(None);
    };
    let billing = ctx.billing().await?;
    let codes = product_codes(&draft);
    Ok(Some(read_product_rates(ctx, &*billing, codes).await))
}

/// Runs the checks on `draft` for outbox item `id`, with the product rates `read` before the
/// lock (read now if they were not, or were read for other codes). The product rates are always
/// read afresh; the company's are read afresh when the item was held before (the merchant
/// retried after fixing them).
pub(crate) async fn check(
    ctx: &Ctx,
    billing: &dyn BillingService,
    id: i64,
    mut draft: InvoiceDraft,
    read: Option<ProductRates>,
) -> Result<Verdict, EngineError> {
    let retried = was_held(ctx, id).await?;
    let spv = check_client(&draft.client);
    let known = match vat_cache::company_vat(ctx, billing, retried).await? {
        Ok(k) => k,
        Err(e) if waitable(&e) => return Ok(Verdict::Waiting(EngineError::from(e).info())),
        // A service that refuses the read for good: the product rates are still compared.
        Err(_) => KnownVat::default(),
    };
    let codes = product_codes(&draft);
    let read = match read {
        Some(r) if codes.iter().all(|c| r.asked.contains(c)) => r,
        _ => read_product_rates(ctx, billing, codes).await,
    };
    let products = match read.read {
        Ok(p) => p,
        Err(e) if waitable(&e) => return Ok(Verdict::Waiting(EngineError::from(e).info())),
        Err(e) => {
            tracing::warn!(code = e.code(), "product VAT rates not read: {e}");
            Default::default()
        }
    };
    let company = known.vat.clone().unwrap_or(CompanyVat {
        rates: Vec::new(),
        payer: None,
        read_at: ctx.now(),
    });
    let vat = check_vat(&mut draft, &company, &products);
    if spv.is_empty() && vat.is_empty() {
        if retried {
            set_held(ctx, id, false).await?;
        }
        return Ok(Verdict::Pass(Box::new(draft)));
    }
    set_held(ctx, id, true).await?;
    Ok(Verdict::Hold(words(
        &spv,
        &vat,
        service_name(billing.kind()),
        &known,
    )))
}
