//! Oblio request bodies from the core's invoice draft: VAT-included prices, `useStock` with the
//! document's `workStation` and a per-line `management` (a warehouse is the pair, see
//! [`super::warehouse_parts`]), the order's `idempotencyKey` and `punte:<id>` mention (what
//! recovery finds the invoice by), value discounts on the line above, and the storno bodies
//! (`referenceDocument`: the whole invoice, or a refund's lines at negative quantities).

use punte_core::client::Client;
use punte_core::credit_note::CreditDraft;
use punte_core::invoice::{DraftLine, DraftLineKind, InvoiceDraft};
use punte_core::spv_check::person_code;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{InvoiceRef, credit_mention, order_key, order_mention};
use crate::wire::Num;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceBody<'a> {
    cif: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<ClientBody<'a>>,
    series_name: &'a str,
    language: &'static str,
    precision: u8,
    currency: &'a str,
    use_stock: u8,
    work_station: &'a str,
    mentions: String,
    idempotency_key: String,
    /// A partial storno names the invoice it corrects.
    #[serde(skip_serializing_if = "Option::is_none")]
    reference_document: Option<Reference<'a>>,
    products: Vec<LineBody<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientBody<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cif: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rc: Option<&'a str>,
    address: &'a str,
    state: &'a str,
    city: &'a str,
    country: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    vat_payer: u8,
    save: u8,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum LineBody<'a> {
    Item(ItemBody<'a>),
    Discount(DiscountBody<'a>),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemBody<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    price: Num,
    measuring_unit: &'a str,
    currency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    vat_name: Option<&'a str>,
    vat_percentage: Num,
    vat_included: u8,
    quantity: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    management: Option<&'a str>,
    product_type: &'static str,
    save: u8,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DiscountBody<'a> {
    name: &'a str,
    discount: Num,
    discount_type: &'static str,
    discount_all_above: u8,
}

fn client_body(client: &Client) -> ClientBody<'_> {
    let (name, cui, rc, email, address) = match client {
        Client::Person {
            name,
            email,
            address,
        } => (name, None, None, email, address),
        // (a person's `cif` is the e-Factura default for a buyer without CNP, below)
        Client::Company {
            name,
            cui,
            reg_com,
            email,
            address,
        } => (name, Some(cui), reg_com.as_deref(), email, address),
    };
    ClientBody {
        name,
        cif: Some(cui.map_or_else(|| person_code(None), |c| c.display())),
        rc,
        address: &address.street,
        state: &address.county,
        city: &address.city,
        country: if address.country.is_empty() {
            "Romania"
        } else {
            &address.country
        },
        email: email.as_deref(),
        vat_payer: u8::from(cui.is_some_and(|c| c.vat_payer)),
        save: 0,
    }
}

fn line_body<'a>(line: &'a DraftLine, stock: bool, unit: &'a str, cur: &'a str) -> LineBody<'a> {
    let management = line
        .warehouse
        .as_deref()
        .filter(|_| stock)
        .map(|w| super::warehouse_parts(w).1);
    let item = |product_type, management| ItemBody {
        name: &line.name,
        code: line.code.as_ref().map(|c| c.as_str()),
        price: Num(line.unit_price),
        measuring_unit: unit,
        currency: cur,
        vat_name: line.vat_name.as_deref(),
        vat_percentage: Num(line.vat_rate.0),
        vat_included: 1,
        quantity: Num(Decimal::from(line.quantity)),
        management,
        product_type,
        save: 0,
    };
    match line.kind {
        DraftLineKind::Product => LineBody::Item(item("Marfa", management)),
        DraftLineKind::Shipping => LineBody::Item(item("Serviciu", None)),
        DraftLineKind::Discount => LineBody::Discount(DiscountBody {
            name: &line.name,
            discount: Num(line.total().abs()),
            discount_type: "valoric",
            discount_all_above: 0,
        }),
    }
}

/// The `POST /docs/invoice` body for `draft`.
pub fn invoice<'a>(
    draft: &'a InvoiceDraft,
    cif: &'a str,
    series: &'a str,
    unit: &'a str,
) -> InvoiceBody<'a> {
    let cur = draft.currency.0.as_str();
    let work_station = draft
        .lines
        .iter()
        .find_map(|l| l.warehouse.as_deref())
        .filter(|_| draft.use_stock)
        .map_or(super::DEFAULT_WORK_STATION, |w| super::warehouse_parts(w).0);
    InvoiceBody {
        cif,
        client: Some(client_body(&draft.client)),
        series_name: series,
        language: "RO",
        precision: 2,
        currency: cur,
        use_stock: u8::from(draft.use_stock),
        work_station,
        mentions: order_mention(&draft.order_name, draft.order_id.0),
        idempotency_key: order_key(draft.order_id.0),
        reference_document: None,
        products: draft
            .lines
            .iter()
            .map(|l| line_body(l, draft.use_stock, unit, cur))
            .collect(),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StornoBody<'a> {
    cif: &'a str,
    series_name: &'a str,
    reference_document: Reference<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mentions: Option<String>,
    idempotency_key: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Reference<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    series_name: &'a str,
    number: &'a str,
    refund: u8,
}

/// A whole-invoice storno, keyed so a repeat returns the same storno.
pub fn storno<'a>(cif: &'a str, invoice: &'a InvoiceRef) -> StornoBody<'a> {
    StornoBody {
        cif,
        series_name: &invoice.series,
        reference_document: Reference {
            kind: "Factura",
            series_name: &invoice.series,
            number: &invoice.number,
            refund: 0,
        },
        mentions: None,
        idempotency_key: format!("punte-storno-{}-{}", invoice.series, invoice.number),
    }
}

/// A refund's credit when it is the whole invoice: Oblio's storno of it (no products), keyed
/// and mentioned by the refund so recovery finds it.
pub fn whole_credit<'a>(cif: &'a str, series: &'a str, credit: &'a CreditDraft) -> StornoBody<'a> {
    StornoBody {
        cif,
        series_name: series,
        reference_document: Reference {
            kind: "Factura",
            series_name: &credit.invoice_series,
            number: &credit.invoice_number,
            refund: 0,
        },
        mentions: Some(credit_mention(
            &credit.invoice_label(),
            &credit.order_name,
            credit.refund_id,
        )),
        idempotency_key: credit.key(),
    }
}

/// A refund's credit for part of the invoice: Oblio's partial storno ([OB-FGS]
/// `RefundService.php`; Oblio's help "Cum stornez partial o Factura"): the invoice as
/// `referenceDocument` and the credited lines at negative quantities. `useStock` with a line's
/// `management` puts it back in stock; a line without one does not move stock.
pub fn partial_credit<'a>(
    draft: &'a InvoiceDraft,
    credit: &'a CreditDraft,
    cif: &'a str,
    series: &'a str,
    unit: &'a str,
) -> InvoiceBody<'a> {
    let mut body = invoice(draft, cif, series, unit);
    body.client = None;
    body.mentions = credit_mention(
        &credit.invoice_label(),
        &credit.order_name,
        credit.refund_id,
    );
    body.idempotency_key = credit.key();
    body.reference_document = Some(Reference {
        kind: "Factura",
        series_name: &credit.invoice_series,
        number: &credit.invoice_number,
        refund: 0,
    });
    body
}
