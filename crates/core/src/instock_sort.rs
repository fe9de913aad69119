//! The InStock walk order: oldest first by creation time, ties broken by order id, sorted on
//! compact keys so the sort moves 16 bytes per order rather than whole orders.

use chrono::{DateTime, Utc};

use crate::order::OrderId;

/// An order's sort key: creation time (sign bit flipped, so unsigned order is time order) in
/// the high 64 bits, its id in the low 64.
pub(crate) fn order_key(id: OrderId, created_at: DateTime<Utc>) -> u128 {
    let time = nanos(created_at) as u64 ^ (1 << 63);
    (u128::from(time) << 64) | u128::from(id.0)
}

/// The id in a [`walk_order`] entry.
pub(crate) fn order_id(entry: u128) -> OrderId {
    OrderId((entry >> 32) as u64)
}

/// Reserving orders oldest first, from their [`order_key`]s (indexed by reserving number r),
/// the order id breaking ties so the walk never depends on input order. Each entry is
/// `id << 32 | r`. When the spread of times and ids allows (it does for any real shop), the
/// keys are packed in place as (time, id, r) and the sort moves 16-byte keys.
pub(crate) fn walk_order(mut keys: Vec<u128>) -> Vec<u128> {
    let time = |k: u128| (k >> 64) as u64;
    let id = |k: u128| k as u64;
    let entry = |k: u128, r: u32| (u128::from(id(k)) << 32) | u128::from(r);
    // One pass for both spreads.
    let Some(&first) = keys.first() else {
        return keys;
    };
    let (mut t_min, mut t_max, mut id_min, mut id_max) =
        (time(first), time(first), id(first), id(first));
    for &k in &keys {
        (t_min, t_max) = (t_min.min(time(k)), t_max.max(time(k)));
        (id_min, id_max) = (id_min.min(id(k)), id_max.max(id(k)));
    }
    let bits = |span: u64| 64 - span.leading_zeros();
    let t_bits = bits(t_max - t_min);
    let id_bits = bits(id_max - id_min);
    if t_bits + id_bits + 32 > 128 {
        let mut walk: Vec<u32> = (0..keys.len() as u32).collect();
        walk.sort_unstable_by_key(|&r| keys[r as usize]);
        return walk
            .into_iter()
            .map(|r| entry(keys[r as usize], r))
            .collect();
    }
    for (r, k) in keys.iter_mut().enumerate() {
        let t = u128::from(time(*k) - t_min);
        let i = u128::from(id(*k) - id_min);
        *k = (t << (id_bits + 32)) | (i << 32) | r as u128;
    }
    keys.sort_unstable();
    let mask = if id_bits == 64 {
        u64::MAX
    } else {
        (1 << id_bits) - 1
    };
    for k in &mut keys {
        let i = ((*k >> 32) as u64 & mask) + id_min;
        *k = (u128::from(i) << 32) | (*k as u32 as u128);
    }
    keys
}

/// Creation time in nanoseconds since 1970 (exact for 1677–2262, clamped outside).
pub(crate) fn nanos(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pairs: &[(i64, u64)]) {
        let key = |&(t, id): &(i64, u64)| (u128::from(t as u64 ^ (1 << 63)) << 64) | u128::from(id);
        let walk = walk_order(pairs.iter().map(key).collect());
        let mut want: Vec<(i64, u64, u32)> = (0..pairs.len() as u32)
            .map(|r| (pairs[r as usize].0, pairs[r as usize].1, r))
            .collect();
        want.sort_unstable();
        let got: Vec<(u64, u32)> = walk.iter().map(|&k| (order_id(k).0, k as u32)).collect();
        let want: Vec<(u64, u32)> = want.iter().map(|&(_, id, r)| (id, r)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn packed_and_wide_keys_give_the_same_walk() {
        // Narrow spread: packed keys.
        check(&[(5, 9), (3, 2), (5, 1), (3, 7), (4, 4), (3, 2)]);
        check(&[(0, u64::MAX), (0, u64::MAX - 1), (-1, 3)]);
        // Times and ids spanning everything: the index sort.
        check(&[
            (i64::MAX, 0),
            (i64::MIN, u64::MAX),
            (0, 7),
            (i64::MIN, 0),
            (-1, 1 << 40),
        ]);
        check(&[]);
    }
}
