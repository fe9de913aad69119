//! The InStock walk order: oldest first by creation time, ties broken by order id, sorted on
//! compact keys so the sort moves 16 bytes per order rather than whole orders.

use chrono::{DateTime, Utc};

/// Reserving orders (numbers into `index`) oldest first, the order id breaking ties so the walk
/// never depends on input order. When the spread of times and ids allows (it does for any real
/// shop), each order is one `u128` (time, id, number) and the sort moves 16-byte keys.
pub(crate) fn walk_order(times: &[i64], ids: &[u64]) -> Vec<u32> {
    let (t_min, t_max) = (times.iter().min(), times.iter().max());
    let (id_min, id_max) = (ids.iter().min(), ids.iter().max());
    let (Some(&t_min), Some(&t_max), Some(&id_min), Some(&id_max)) = (t_min, t_max, id_min, id_max)
    else {
        return Vec::new();
    };
    let bits = |span: u64| 64 - span.leading_zeros();
    let t_bits = bits(t_max.wrapping_sub(t_min) as u64);
    let id_bits = bits(id_max - id_min);
    if t_bits + id_bits + 32 > 128 {
        let mut walk: Vec<u32> = (0..times.len() as u32).collect();
        walk.sort_unstable_by_key(|&r| (times[r as usize], ids[r as usize]));
        return walk;
    }
    let mut packed: Vec<u128> = times
        .iter()
        .zip(ids)
        .enumerate()
        .map(|(r, (&t, &id))| {
            let t = u128::from(t.wrapping_sub(t_min) as u64);
            let id = u128::from(id - id_min);
            (t << (id_bits + 32)) | (id << 32) | r as u128
        })
        .collect();
    packed.sort_unstable();
    packed.into_iter().map(|k| k as u32).collect()
}

/// Creation time in nanoseconds since 1970 (exact for 1677–2262, clamped outside).
pub(crate) fn nanos(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}
