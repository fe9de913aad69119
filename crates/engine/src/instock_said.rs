//! The InStock verdict last written for an order, kept as the numbers its stored form is made of
//! (`punte_store`'s `instock_detail`: per shortfall the product, needed, available, left and the
//! earlier orders that took it), so a refresh can tell whether a new walk says the same without
//! building the explanation, and writes only the verdicts that changed.

use punte_core::instock::Allocation;
use punte_store::TAKER_NAMES;

/// The verdict last written for an order, as the numbers its stored form is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Written {
    /// Not written since the order was (re)read.
    Unknown,
    InStock,
    NotInStock(Box<[Said]>),
}

/// One shortfall as stored (`punte_store`'s `instock_detail`): product (interned code), the
/// numbers, how many earlier orders took the product and the first ones, which it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Said {
    code: u32,
    needed: i64,
    available: i64,
    left: i64,
    earlier_takers: u32,
    named: [u64; TAKER_NAMES],
}

/// The verdict at `position` as the numbers its stored form is made of.
pub(crate) fn said(allocation: &Allocation, position: usize, codes: &[u32]) -> Written {
    if allocation.fits(position) {
        return Written::InStock;
    }
    Written::NotInStock(shorts(allocation, position, codes).collect())
}

/// Whether the verdict at `position` is the one `written` says, without building it.
pub(crate) fn said_again(
    allocation: &Allocation,
    position: usize,
    codes: &[u32],
    written: &Written,
) -> bool {
    match written {
        Written::Unknown => false,
        Written::InStock => allocation.fits(position),
        Written::NotInStock(was) => {
            !allocation.fits(position)
                && shorts(allocation, position, codes).eq(was.iter().copied())
        }
    }
}

fn shorts<'a>(
    allocation: &'a Allocation,
    position: usize,
    codes: &'a [u32],
) -> impl Iterator<Item = Said> + 'a {
    let takers = allocation.takers();
    allocation.shortfall_numbers(position).map(move |n| {
        let start = n.takers_start as usize;
        let earlier = &takers[start..start + n.earlier_takers as usize];
        let mut named = [0; TAKER_NAMES];
        for (slot, id) in named.iter_mut().zip(earlier) {
            *slot = id.0;
        }
        Said {
            code: codes[n.product.0 as usize],
            needed: n.needed,
            available: n.available,
            left: n.left,
            earlier_takers: n.earlier_takers,
            named,
        }
    })
}
