//! SmartBill request bodies built from the core's invoice draft, field for field as the vendored
//! OpenAPI schema names them (the service refuses unknown fields), with prices VAT-included and
//! every amount written as exact decimal text.

use punte_core::client::{Address, Client};
use punte_core::invoice::{DraftLine, DraftLineKind, InvoiceDraft};
use punte_core::spv_check::person_code;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{credit_mention, order_mention};
use crate::wire::Num;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceBody<'a> {
    company_vat_code: &'a str,
    client: ClientBody,
    series_name: &'a str,
    is_draft: bool,
    currency: &'a str,
    language: &'static str,
    precision: u8,
    use_stock: bool,
    mentions: String,
    products: Vec<ProductBody<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientBody {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    vat_code: Option<String>,
    is_tax_payer: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reg_com: Option<String>,
    address: String,
    city: String,
    county: String,
    country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    save_to_db: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductBody<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    is_service: bool,
    measuring_unit_name: &'a str,
    currency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<Num>,
    is_tax_included: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_name: Option<&'a str>,
    tax_percentage: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    warehouse_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_discount: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number_of_items: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    discount_type: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    discount_value: Option<Num>,
    save_to_db: bool,
}

/// A private person goes out with the e-Factura default for a buyer without CNP (13 zeros,
/// OUG 138/2024), so SPV never refuses the invoice for a missing identifier.
fn client_body(client: &Client) -> ClientBody {
    let (name, vat_code, payer, reg_com, email, address) = match client {
        Client::Person {
            name,
            email,
            address,
        } => (name, Some(person_code(None)), false, None, email, address),
        Client::Company {
            name,
            cui,
            reg_com,
            email,
            address,
        } => (
            name,
            Some(cui.display()),
            cui.vat_payer,
            reg_com.clone(),
            email,
            address,
        ),
    };
    let Address {
        street,
        city,
        county,
        country,
    } = address;
    ClientBody {
        name: name.clone(),
        vat_code,
        is_tax_payer: payer,
        reg_com,
        address: street.clone(),
        city: city.clone(),
        county: county.clone(),
        country: if country.is_empty() {
            "Romania".to_owned()
        } else {
            country.clone()
        },
        email: email.clone(),
        save_to_db: false,
    }
}

fn product_body<'a>(
    line: &'a DraftLine,
    use_stock: bool,
    unit: &'a str,
    currency: &'a str,
) -> ProductBody<'a> {
    let mut p = ProductBody {
        name: &line.name,
        code: line.code.as_ref().map(|c| c.as_str()),
        is_service: false,
        measuring_unit_name: unit,
        currency,
        quantity: Some(Num(Decimal::from(line.quantity))),
        price: Some(Num(line.unit_price)),
        is_tax_included: true,
        // The account's name for the rate (the VAT check sets it): at 0 % SmartBill would
        // otherwise assume reverse charge.
        tax_name: line.vat_name.as_deref(),
        tax_percentage: Num(line.vat_rate.0),
        warehouse_name: line.warehouse.as_deref().filter(|_| use_stock),
        is_discount: None,
        number_of_items: None,
        discount_type: None,
        discount_value: None,
        save_to_db: false,
    };
    match line.kind {
        DraftLineKind::Product => {}
        DraftLineKind::Shipping => {
            p.is_service = true;
            p.warehouse_name = None;
        }
        DraftLineKind::Discount => {
            // A value discount (type 1) on the one line above it; SmartBill wants it negative.
            p.quantity = None;
            p.price = None;
            p.code = None;
            p.warehouse_name = None;
            p.is_discount = Some(true);
            p.number_of_items = Some(1);
            p.discount_type = Some(1);
            p.discount_value = Some(Num(-line.total().abs()));
        }
    }
    p
}

/// The `POST /invoice/v2` body for `draft`.
pub fn invoice<'a>(
    draft: &'a InvoiceDraft,
    cif: &'a str,
    series: &'a str,
    unit: &'a str,
) -> InvoiceBody<'a> {
    let currency = draft.currency.0.as_str();
    InvoiceBody {
        company_vat_code: cif,
        client: client_body(&draft.client),
        series_name: series,
        is_draft: false,
        currency,
        language: "RO",
        precision: 2,
        use_stock: draft.use_stock,
        mentions: order_mention(&draft.order_name, draft.order_id.0),
        products: draft
            .lines
            .iter()
            .map(|l| product_body(l, draft.use_stock, unit, currency))
            .collect(),
    }
}

/// The credit document of a refund that is not the whole invoice: an invoice (`POST
/// /invoice/v2`) with the credited lines at negative quantities (SmartBill's storno takes only
/// whole invoices and its invoice schema has no reference field, so the mention names the
/// invoice it corrects); lines with a warehouse re-enter stock there.
pub fn credit<'a>(
    draft: &'a InvoiceDraft,
    invoice_label: &str,
    refund_id: u64,
    cif: &'a str,
    series: &'a str,
    unit: &'a str,
) -> InvoiceBody<'a> {
    let mut body = invoice(draft, cif, series, unit);
    body.mentions = credit_mention(invoice_label, &draft.order_name, refund_id);
    body
}

/// The `POST /invoice/reverse` body.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReverseBody<'a> {
    pub company_vat_code: &'a str,
    pub series_name: &'a str,
    pub number: &'a str,
}
