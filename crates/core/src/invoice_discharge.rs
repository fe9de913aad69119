//! Where an invoice's stock leaves from when that is more than one warehouse: a line Shopify
//! fulfilled from two locations is cut into one invoice line per warehouse (same unit price,
//! so the total does not move), and a merchant-defined kit is invoiced as its components, the
//! kit line's money shared over the component units to the ban, each component discharged
//! from the warehouse its kit units were fulfilled from.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::bundles::Kit;
use crate::invoice::split_evenly;
use crate::money::round_to_ban;
use crate::order::LineId;
use crate::product::ProductCode;

/// What the engine knows beyond the order itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discharge {
    /// (warehouse, units) per order line, when the line is not simply discharged from the
    /// settings' `discharge_from` (several locations mapped).
    pub by_line: HashMap<LineId, Vec<(String, i64)>>,
    /// Kit recipes by kit code: a kit line discharges its components.
    pub kits: HashMap<ProductCode, Kit>,
}

/// Cuts (units, unit price) groups into lines per warehouse: `places` says how many units
/// each warehouse gives (in order). Units beyond `places` go to the last place.
#[must_use]
pub fn cut(
    groups: &[(i64, Decimal)],
    places: &[(Option<String>, i64)],
) -> Vec<(i64, Decimal, Option<String>)> {
    let mut out: Vec<(i64, Decimal, Option<String>)> = Vec::new();
    let mut place = 0usize;
    let mut left_here = places.first().map_or(i64::MAX, |p| p.1);
    for &(units, price) in groups {
        let mut units = units;
        while units > 0 {
            while left_here <= 0 && place + 1 < places.len() {
                place += 1;
                left_here = places[place].1;
            }
            let take = if place + 1 == places.len() || places.is_empty() {
                units
            } else {
                units.min(left_here)
            };
            let warehouse = places.get(place).and_then(|p| p.0.clone());
            match out.last_mut() {
                Some(last) if last.1 == price && last.2 == warehouse => last.0 += take,
                _ => out.push((take, price, warehouse)),
            }
            units -= take;
            left_here -= take;
        }
    }
    out
}

/// Shares `total` (rounded to the ban) over `weights`, largest remainders first, so the shares
/// add up to it exactly.
#[must_use]
pub fn share_by(total: Decimal, weights: &[i64]) -> Vec<Decimal> {
    let bani = (round_to_ban(total) * Decimal::ONE_HUNDRED)
        .to_i128()
        .unwrap_or(0);
    let sum: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    if sum == 0 {
        return vec![Decimal::ZERO; weights.len()];
    }
    let mut parts: Vec<(i128, i128)> = weights
        .iter()
        .map(|w| {
            let n = bani * i128::from((*w).max(0));
            (n.div_euclid(sum), n.rem_euclid(sum))
        })
        .collect();
    let mut left = bani - parts.iter().map(|p| p.0).sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].1.cmp(&parts[*a].1).then(a.cmp(b)));
    for i in order.into_iter().cycle().take(parts.len() * 2) {
        if left <= 0 {
            break;
        }
        parts[i].0 += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|(b, _)| Decimal::from_i128_with_scale(b, 2))
        .collect()
}

/// One component line of an invoiced kit, before it becomes a draft line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitPart {
    pub code: ProductCode,
    pub units: i64,
    pub unit_price: Decimal,
    pub warehouse: Option<String>,
}

/// A kit line of `kits` kits worth `gross` (VAT included), fulfilled from `places` (kit units
/// per warehouse), as component lines.
#[must_use]
pub fn kit_parts(
    kit: &Kit,
    kits: i64,
    gross: Decimal,
    places: &[(Option<String>, i64)],
) -> Vec<KitPart> {
    let units: Vec<i64> = kit
        .components
        .iter()
        .map(|c| kits.saturating_mul(c.quantity))
        .collect();
    let shares = share_by(gross, &units);
    let mut out = Vec::new();
    for ((c, n), share) in kit.components.iter().zip(&units).zip(shares) {
        let groups = split_evenly(share, *n);
        let at: Vec<(Option<String>, i64)> = places
            .iter()
            .map(|(w, k)| (w.clone(), k.saturating_mul(c.quantity)))
            .collect();
        for (units, unit_price, warehouse) in cut(&groups, &at) {
            out.push(KitPart {
                code: c.code.clone(),
                units,
                unit_price,
                warehouse,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundles::Component;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn cuts_groups_by_warehouse() {
        let w = |s: &str| Some(s.to_owned());
        assert_eq!(
            cut(&[(3, d("10"))], &[(w("A"), 2), (w("B"), 1)]),
            vec![(2, d("10"), w("A")), (1, d("10"), w("B"))]
        );
        assert_eq!(
            cut(
                &[(2, d("33.33")), (1, d("33.34"))],
                &[(w("A"), 1), (w("B"), 2)]
            ),
            vec![
                (1, d("33.33"), w("A")),
                (1, d("33.33"), w("B")),
                (1, d("33.34"), w("B"))
            ]
        );
        assert_eq!(cut(&[(2, d("5"))], &[]), vec![(2, d("5"), None)]);
        assert_eq!(
            cut(&[(3, d("5"))], &[(w("A"), 1)]),
            vec![(3, d("5"), w("A"))]
        );
    }

    #[test]
    fn shares_add_up_to_the_ban() {
        assert_eq!(share_by(d("100"), &[2, 1]), vec![d("66.67"), d("33.33")]);
        assert_eq!(share_by(d("0.01"), &[1, 1]), vec![d("0.01"), d("0")]);
        assert_eq!(share_by(d("10"), &[0, 0]), vec![d("0"), d("0")]);
    }

    #[test]
    fn a_kit_is_invoiced_as_its_components() {
        let kit = Kit {
            code: ProductCode::from("BOX"),
            title: "Box".into(),
            components: vec![
                Component {
                    code: ProductCode::from("A"),
                    quantity: 2,
                },
                Component {
                    code: ProductCode::from("B"),
                    quantity: 1,
                },
            ],
        };
        let w = |s: &str| Some(s.to_owned());
        let parts = kit_parts(&kit, 2, d("100"), &[(w("W1"), 1), (w("W2"), 1)]);
        let total: Decimal = parts
            .iter()
            .map(|p| p.unit_price * Decimal::from(p.units))
            .sum();
        assert_eq!(total, d("100"));
        let a_w1: i64 = parts
            .iter()
            .filter(|p| p.code.as_str() == "A" && p.warehouse == w("W1"))
            .map(|p| p.units)
            .sum();
        let b: i64 = parts
            .iter()
            .filter(|p| p.code.as_str() == "B")
            .map(|p| p.units)
            .sum();
        assert_eq!((a_w1, b), (2, 2));
    }
}
