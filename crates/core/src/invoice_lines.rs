//! The draft lines of one Shopify order line: its name (the billing nomenclature's when the
//! merchant asks), its VAT rate (a per-code override first), the warehouses its units leave
//! from, a kit's component parts, unit prices that add up to what the customer paid, and the
//! discount as its own line. `invoice` puts them together with shipping into the draft.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::invoice::{DraftLine, DraftLineKind, InvoiceSettings, split_evenly};
use crate::invoice_discharge::{Discharge, cut, kit_parts};
use crate::order::{Order, OrderLine};
use crate::product::ProductCode;

/// What one line's drafting looks things up in.
pub(crate) struct Lookups<'a> {
    pub(crate) settings: &'a InvoiceSettings,
    pub(crate) billing_names: &'a HashMap<ProductCode, String>,
    pub(crate) discharge: &'a Discharge,
}

/// The draft lines of one order line, appended to `out`: its product (or a kit's parts), split
/// over the warehouses its units leave from, and its discount line when prices include VAT.
pub(crate) fn product_lines(
    order: &Order,
    line: &OrderLine,
    at: &Lookups<'_>,
    out: &mut Vec<DraftLine>,
) {
    let settings = at.settings;
    let override_rate = line
        .code
        .as_ref()
        .and_then(|c| settings.vat_by_code.get(c))
        .copied();
    let vat_rate = settings
        .vat
        .rate_for(override_rate.or(line.vat_rate), line.taxable);
    let name = line
        .code
        .as_ref()
        .filter(|_| settings.use_warehouse_name)
        .and_then(|c| at.billing_names.get(c))
        .unwrap_or(&line.title)
        .clone();
    // Where the line's units leave from: the warehouses its locations map to, else the one.
    let places: Vec<(Option<String>, i64)> = match (&line.code, &settings.discharge_from) {
        (Some(_), Some(one)) => match at.discharge.by_line.get(&line.id) {
            Some(p) if !p.is_empty() => p.iter().map(|(w, q)| (Some(w.clone()), *q)).collect(),
            _ => vec![(Some(one.clone()), line.quantity)],
        },
        _ => vec![(None, line.quantity)],
    };
    let kit = line
        .code
        .as_ref()
        .filter(|_| settings.discharge_from.is_some())
        .and_then(|c| at.discharge.kits.get(c));
    let gross = if order.taxes_included {
        line.unit_price * Decimal::from(line.quantity)
    } else {
        // Net prices: discount and Shopify's own tax folded into VAT-included unit prices.
        line.unit_price * Decimal::from(line.quantity) - line.discount + line.tax
    };
    let product =
        |code: Option<ProductCode>, name: String, quantity, unit_price, warehouse| DraftLine {
            kind: DraftLineKind::Product,
            name,
            code,
            quantity,
            unit_price,
            vat_rate,
            warehouse,
            line: Some(line.id),
            vat_name: None,
        };
    if let Some(kit) = kit {
        for p in kit_parts(kit, line.quantity, gross, &places) {
            let part = at.billing_names.get(&p.code).unwrap_or(&p.code.0);
            let name = format!("{} — {part}", kit.title);
            out.push(product(
                Some(p.code),
                name,
                p.units,
                p.unit_price,
                p.warehouse,
            ));
        }
    } else {
        let groups = if order.taxes_included {
            vec![(line.quantity, line.unit_price)]
        } else {
            // Split so that the line totals add up to exactly what the customer paid.
            split_evenly(gross, line.quantity)
        };
        for (quantity, unit, warehouse) in cut(&groups, &places) {
            out.push(product(
                line.code.clone(),
                name.clone(),
                quantity,
                unit,
                warehouse,
            ));
        }
    }
    if order.taxes_included && line.discount > Decimal::ZERO {
        let of = kit.map_or(&name, |k| &k.title);
        out.push(DraftLine {
            kind: DraftLineKind::Discount,
            name: format!("{} {}", settings.discount_name, of),
            code: None,
            quantity: 1,
            unit_price: -line.discount,
            vat_rate,
            warehouse: None,
            line: Some(line.id),
            vat_name: None,
        });
    }
}
