//! An order's money the way Shopify computes it: a discount code allocated over the lines (odd
//! bani included), line and shipping taxes, what refund line items carry, and the `current*`
//! totals after refunds and edits. The GraphQL objects only read these.

use rust_decimal::{Decimal, RoundingStrategy};

use super::model::{DiscountCode, LineItem, Order, RefundedLine};

/// Shipping is taxed at the standard rate.
pub const SHIPPING_VAT: Decimal = Decimal::from_parts(21, 0, 0, false, 0);

/// Rounds to the ban (0.01), half away from zero.
pub fn ban(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The tax in `amount` (tax-included prices) or on it (tax-excluded), at `percent`.
pub fn tax_of(amount: Decimal, percent: Decimal, included: bool) -> Decimal {
    let base = if included {
        Decimal::ONE_HUNDRED + percent
    } else {
        Decimal::ONE_HUNDRED
    };
    ban(amount * percent / base)
}

pub fn original_total(l: &LineItem) -> Decimal {
    l.unit_price * Decimal::from(l.quantity)
}

/// All ordered units after the discount, before refunds (`subtotalPriceSet`'s share).
pub fn paid_total(l: &LineItem) -> Decimal {
    original_total(l) - l.discount
}

/// Shopify's approximate unit price after all discounts, over every ordered unit.
pub fn approx_unit_after_discounts(l: &LineItem) -> Decimal {
    if l.quantity == 0 {
        return l.unit_price;
    }
    ban(paid_total(l) / Decimal::from(l.quantity))
}

/// Allocates a discount code over the lines at checkout: a percentage line by line, a fixed
/// amount in proportion to the lines' totals with the leftover bani to the largest remainders.
pub fn allocate(lines: &mut [LineItem], code: &DiscountCode) {
    let totals: Vec<Decimal> = lines.iter().map(original_total).collect();
    if code.kind == "percentage" {
        for (l, t) in lines.iter_mut().zip(&totals) {
            l.discount = ban(t * code.value / Decimal::ONE_HUNDRED);
        }
        return;
    }
    let sum: Decimal = totals.iter().sum();
    if sum <= Decimal::ZERO {
        return;
    }
    let bani = ban(code.value.min(sum)) * Decimal::ONE_HUNDRED;
    let exact: Vec<Decimal> = totals.iter().map(|t| bani * t / sum).collect();
    let mut shares: Vec<Decimal> = exact.iter().map(|e| e.floor()).collect();
    let mut left = bani - shares.iter().sum::<Decimal>();
    let mut by_remainder: Vec<usize> = (0..lines.len()).collect();
    by_remainder.sort_by(|&a, &b| (exact[b] - shares[b]).cmp(&(exact[a] - shares[a])));
    for i in by_remainder {
        if left <= Decimal::ZERO {
            break;
        }
        shares[i] += Decimal::ONE;
        left -= Decimal::ONE;
    }
    for (l, s) in lines.iter_mut().zip(shares) {
        l.discount = s / Decimal::ONE_HUNDRED;
    }
}

pub fn line_tax(o: &Order, l: &LineItem) -> Decimal {
    tax_of(paid_total(l), l.vat_percent, o.taxes_included)
}

fn refunded(o: &Order, line_id: u64) -> impl Iterator<Item = &RefundedLine> {
    o.refunds
        .iter()
        .flat_map(|r| &r.lines)
        .filter(move |r| r.line_id == line_id)
}

/// The line's current cost after discounts (`priceAfterAllDiscounts…` plus tax when included).
pub fn current_total(o: &Order, l: &LineItem) -> Decimal {
    paid_total(l) - refunded(o, l.id).map(|r| r.subtotal).sum::<Decimal>()
}

pub fn current_tax(o: &Order, l: &LineItem) -> Decimal {
    line_tax(o, l) - refunded(o, l.id).map(|r| r.tax).sum::<Decimal>()
}

/// The discount still carried by the line's current units.
pub fn current_discount(o: &Order, l: &LineItem) -> Decimal {
    let given_back: Decimal = refunded(o, l.id)
        .map(|r| l.unit_price * Decimal::from(r.quantity) - r.subtotal)
        .sum();
    l.discount - given_back
}

/// Takes `quantity` current units off line `idx`, priced as Shopify prices refund line items:
/// the line's remaining cost (and tax) shared evenly, the last units taking what is left.
pub fn remove_units(
    o: &mut Order,
    idx: usize,
    quantity: i64,
    restock: &str,
    id: u64,
) -> RefundedLine {
    let l = &o.lines[idx];
    let current = l.current_quantity();
    let share = |x: Decimal| {
        if quantity >= current {
            x
        } else {
            ban(x * Decimal::from(quantity) / Decimal::from(current))
        }
    };
    let out = RefundedLine {
        id,
        line_id: l.id,
        quantity,
        restock_type: restock.to_owned(),
        subtotal: share(current_total(o, l)),
        tax: share(current_tax(o, l)),
    };
    o.lines[idx].removed += quantity;
    out
}

pub fn shipping_discount(o: &Order) -> Decimal {
    if o.free_shipping {
        o.shipping
    } else {
        Decimal::ZERO
    }
}

pub fn discounted_shipping(o: &Order) -> Decimal {
    o.shipping - shipping_discount(o)
}

pub fn current_shipping(o: &Order) -> Decimal {
    if o.shipping_refunded {
        Decimal::ZERO
    } else {
        discounted_shipping(o)
    }
}

pub fn shipping_tax(o: &Order, current: bool) -> Decimal {
    let amount = if current {
        current_shipping(o)
    } else {
        discounted_shipping(o)
    };
    tax_of(amount, SHIPPING_VAT, o.taxes_included)
}

/// Tax lines grouped by rate, before returns (`taxLines`) or after (`currentTaxLines`).
pub fn tax_lines(o: &Order, current: bool) -> Vec<(Decimal, Decimal)> {
    let mut out: Vec<(Decimal, Decimal)> = Vec::new();
    let lines = o.lines.iter().map(|l| {
        let tax = if current {
            current_tax(o, l)
        } else {
            line_tax(o, l)
        };
        (l.vat_percent, tax)
    });
    for (rate, tax) in lines.chain([(SHIPPING_VAT, shipping_tax(o, current))]) {
        match out.iter_mut().find(|(r, _)| *r == rate) {
            Some((_, sum)) => *sum += tax,
            None => out.push((rate, tax)),
        }
    }
    out.retain(|(_, t)| !t.is_zero());
    out
}

pub struct Totals {
    pub subtotal: Decimal,
    pub tax: Decimal,
    pub shipping: Decimal,
    pub discounts: Decimal,
    pub total: Decimal,
}

/// The order's totals before returns (`current == false`) or after them.
pub fn totals(o: &Order, current: bool) -> Totals {
    let (subtotal, line_tax_sum, line_discounts): (Decimal, Decimal, Decimal) = if current {
        o.lines.iter().fold(Default::default(), |(s, t, d), l| {
            (
                s + current_total(o, l),
                t + current_tax(o, l),
                d + current_discount(o, l),
            )
        })
    } else {
        o.lines.iter().fold(Default::default(), |(s, t, d), l| {
            (s + paid_total(l), t + line_tax(o, l), d + l.discount)
        })
    };
    let shipping = if current {
        current_shipping(o)
    } else {
        discounted_shipping(o)
    };
    let tax = line_tax_sum + shipping_tax(o, current);
    let added_tax = if o.taxes_included { Decimal::ZERO } else { tax };
    Totals {
        subtotal,
        tax,
        shipping,
        discounts: line_discounts + shipping_discount(o),
        total: subtotal + shipping + added_tax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test decimal")
    }

    fn line(id: u64, qty: i64, price: &str) -> LineItem {
        LineItem {
            id,
            variant_id: None,
            sku: None,
            title: String::new(),
            quantity: qty,
            removed: 0,
            fulfilled: 0,
            unit_price: d(price),
            vat_percent: d("21"),
            discount: Decimal::ZERO,
            location_id: 1,
            group: None,
        }
    }

    fn code(kind: &str, value: &str) -> DiscountCode {
        DiscountCode {
            code: "X".into(),
            kind: kind.into(),
            value: d(value),
        }
    }

    #[test]
    fn a_fixed_code_is_spread_to_the_ban() {
        let mut lines = vec![
            line(1, 3, "33.33"),
            line(2, 2, "19.99"),
            line(3, 1, "59.90"),
        ];
        allocate(&mut lines, &code("fixed_amount", "20.00"));
        let got: Vec<Decimal> = lines.iter().map(|l| l.discount).collect();
        assert_eq!(
            got,
            vec![d("10.01"), d("4.00"), d("5.99")],
            "leftover ban to line 1"
        );
        // More than the order is worth takes the order's worth only.
        let mut small = vec![line(1, 1, "5.00")];
        allocate(&mut small, &code("fixed_amount", "9.00"));
        assert_eq!(small[0].discount, d("5.00"));
    }

    #[test]
    fn a_percentage_is_rounded_line_by_line() {
        let mut lines = vec![line(1, 3, "49.99"), line(2, 1, "12.50")];
        allocate(&mut lines, &code("percentage", "15"));
        let got: Vec<Decimal> = lines.iter().map(|l| l.discount).collect();
        assert_eq!(got, vec![d("22.50"), d("1.88")]);
        assert_eq!(approx_unit_after_discounts(&lines[0]), d("42.49"));
    }
}
