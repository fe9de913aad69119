//! The checks an invoice passes before any billing write: what SPV would refuse about the buyer
//! (core `spv_check`: the CUI's control digit, a Bucharest address's sector) and every line's
//! VAT rate against the billing company's rates and the product's rate there (core
//! `vat_check`). A failing order is held in needs-review with the field and the fix named in
//! Romanian and English, and nothing is sent; the merchant fixes it (in Shopify, or in the
//! billing service) and retries from needs-review, which drafts the order again and checks it
//! anew with freshly read rates. A passing draft carries the service's names for its rates.

use std::collections::BTreeSet;

use punte_billing::{BillingError, BillingService, ServiceKind};
use punte_core::invoice::{DraftLineKind, InvoiceDraft};
use punte_core::money::VatRate;
use punte_core::product::ProductCode;
use punte_core::spv_check::{SpvProblem, check_client};
use punte_core::vat_check::{CompanyVat, VatProblem, check_vat};

use crate::context::Ctx;
use crate::error::{EngineError, ErrorInfo};
use crate::kv;
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

fn waitable(e: &BillingError) -> bool {
    e.is_transient() || matches!(e, BillingError::Unavailable { .. })
}

/// Runs the checks on `draft` for outbox item `id`. Rates are read afresh when the item was
/// held before (the merchant retried after fixing them).
pub(crate) async fn check(
    ctx: &Ctx,
    billing: &dyn BillingService,
    id: i64,
    mut draft: InvoiceDraft,
) -> Result<Verdict, EngineError> {
    let retried = was_held(ctx, id).await?;
    let spv = check_client(&draft.client);
    let known = match vat_cache::company_vat(ctx, billing, retried).await? {
        Ok(k) => k,
        Err(e) if waitable(&e) => return Ok(Verdict::Waiting(EngineError::from(e).info())),
        // A service that refuses the read for good: the product rates are still compared.
        Err(_) => KnownVat::default(),
    };
    let codes: Vec<ProductCode> = draft
        .lines
        .iter()
        .filter(|l| l.kind == DraftLineKind::Product)
        .filter_map(|l| l.code.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let warehouse = ctx.config.connections.warehouse.clone();
    if billing.kind() != ServiceKind::SmartBill && !codes.is_empty() {
        ctx.billing_call();
    }
    let products = match billing.product_vat_rates(&warehouse, &codes).await {
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

fn service_name(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::SmartBill => "SmartBill",
        ServiceKind::Oblio => "Oblio",
        ServiceKind::Fgo => "FGO",
    }
}

fn pct(r: VatRate) -> String {
    format!("{} %", r.0.normalize())
}

/// The review text: each problem in Romanian, then " / ", then each in English.
pub(crate) fn words(
    spv: &[SpvProblem],
    vat: &[VatProblem],
    service: &str,
    known: &KnownVat,
) -> String {
    let mut ro = Vec::new();
    let mut en = Vec::new();
    for p in spv {
        match p {
            SpvProblem::CuiInvalid { cui } => {
                ro.push(format!(
                    "CUI-ul clientului „{cui}” are cifra de control greșită și SPV ar respinge \
                     factura: corectați CUI-ul (rândul Companie al adresei de facturare sau nota \
                     comenzii) și reîncercați."
                ));
                en.push(format!(
                    "The customer's CUI \"{cui}\" has a wrong control digit and SPV would reject \
                     the invoice: fix the CUI (the billing address's Company line or the order \
                     note) and retry."
                ));
            }
            SpvProblem::BucharestSector { city, street } => {
                ro.push(format!(
                    "Adresa de facturare din București („{street}, {city}”) nu are sectorul, pe \
                     care SPV îl cere: adăugați „Sector 1”…„Sector 6” la oraș sau adresă și \
                     reîncercați."
                ));
                en.push(format!(
                    "The Bucharest billing address (\"{street}, {city}\") has no sector, which \
                     SPV requires: add \"Sector 1\"…\"Sector 6\" to the city or address and retry."
                ));
            }
        }
    }
    for p in vat {
        match p {
            VatProblem::UnknownRate {
                line,
                ours,
                billing,
            } => {
                let list: Vec<String> = billing.iter().map(|r| pct(*r)).collect();
                let list = list.join(", ");
                ro.push(format!(
                    "Linia „{line}” are TVA {}, cotă pe care firma nu o are în {service} (cotele \
                     de acolo: {list}): corectați cota produsului în Shopify sau în {service} și \
                     reîncercați.",
                    pct(*ours)
                ));
                en.push(format!(
                    "Line \"{line}\" carries {} VAT, a rate the company does not have in \
                     {service} (its rates there: {list}): fix the product's rate in Shopify or \
                     in {service} and retry.",
                    pct(*ours)
                ));
            }
            VatProblem::ProductRate {
                line,
                code,
                ours,
                billing,
            } => {
                let code = code.as_str();
                ro.push(format!(
                    "Linia „{line}” ({code}) are TVA {} în comandă, dar produsul are {} în \
                     {service}: aduceți cotele la aceeași valoare (produsul în {service} sau \
                     comanda) și reîncercați.",
                    pct(*ours),
                    pct(*billing)
                ));
                en.push(format!(
                    "Line \"{line}\" ({code}) carries {} VAT in the order, but the product has {} \
                     in {service}: make the rates agree (the product in {service} or the order) \
                     and retry.",
                    pct(*ours),
                    pct(*billing)
                ));
            }
            VatProblem::NotPayer { line, ours } => {
                ro.push(format!(
                    "Firma nu este plătitoare de TVA în {service} (scutită), dar linia „{line}” \
                     are TVA {}: vindeți fără TVA în Shopify sau corectați regimul în {service} \
                     și reîncercați.",
                    pct(*ours)
                ));
                en.push(format!(
                    "The company is not a VAT payer in {service} (exempt), yet line \"{line}\" \
                     carries {} VAT: sell without VAT in Shopify or fix the regime in {service} \
                     and retry.",
                    pct(*ours)
                ));
            }
        }
    }
    if let (Some(f), Some(v)) = (&known.failed, &known.vat) {
        let when = v.read_at.format("%Y-%m-%d %H:%M UTC");
        ro.push(format!(
            "(Cotele TVA sunt cele citite la {when}; ultima citire a eșuat: {}.)",
            f.code
        ));
        en.push(format!(
            "(The VAT rates are those read at {when}; the last read failed: {}.)",
            f.code
        ));
    }
    format!("{} / {}", ro.join(" "), en.join(" "))
}
