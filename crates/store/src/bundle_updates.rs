//! A look's update of Shopify's bundle parents (issue 18): the full cycle replaces them all
//! (`kits::record_bundles`); a look re-reads only the variants Shopify changed, so it replaces
//! the recipes of those variants alone: a parent read again gets its components as read now,
//! and a changed variant that is no longer a parent loses its recipe. The others stay.

use punte_core::product::VariantId;
use rusqlite::{Transaction, params};

use crate::error::Result;
use crate::kits::BundleParent;
use crate::open::Store;

impl Store {
    /// Replaces the recipes of `changed` (variants Shopify changed) and of `parents` (the
    /// parents among them as read now) in one transaction.
    ///
    /// # Errors
    /// SQLite failure (nothing is written then).
    pub fn update_bundles(
        &mut self,
        changed: &[VariantId],
        parents: &[BundleParent],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut drop =
                tx.prepare_cached("DELETE FROM bundle_components WHERE parent_variant_id = ?1")?;
            let ids = changed.iter().chain(parents.iter().map(|p| &p.variant_id));
            for id in ids {
                drop.execute([id.0])?;
            }
        }
        insert_parents(&tx, parents)?;
        tx.commit()?;
        Ok(())
    }
}

/// Stores `parents` with their components in Shopify's order (the full read and a look alike).
pub(crate) fn insert_parents(tx: &Transaction<'_>, parents: &[BundleParent]) -> Result<()> {
    let mut add = tx.prepare_cached(
        "INSERT OR REPLACE INTO bundle_components
            (parent_variant_id, position, component_variant_id, quantity)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for p in parents {
        for (i, (c, q)) in p.components.iter().enumerate() {
            add.execute(params![p.variant_id.0, i, c.0, q])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent(id: u64, components: &[(u64, i64)]) -> BundleParent {
        BundleParent {
            variant_id: VariantId(id),
            components: components
                .iter()
                .map(|(c, q)| (VariantId(*c), *q))
                .collect(),
        }
    }

    #[test]
    fn a_look_replaces_only_the_changed_recipes() {
        let mut s = Store::open_in_memory().expect("store");
        s.record_bundles(&[parent(10, &[(1, 2), (2, 1)]), parent(20, &[(3, 1)])])
            .expect("full read");
        // Variant 10 stopped being a bundle, 20 was not changed, 30 is a new bundle and 40 is
        // a plain variant that changed.
        let ids = [VariantId(10), VariantId(30), VariantId(40)];
        s.update_bundles(&ids, &[parent(30, &[(2, 4)])])
            .expect("look");
        assert_eq!(
            s.bundles().expect("bundles"),
            vec![parent(20, &[(3, 1)]), parent(30, &[(2, 4)])]
        );
        // A parent read again with other components: the new recipe, not both.
        s.update_bundles(&[VariantId(20)], &[parent(20, &[(1, 1)])])
            .expect("edit");
        assert_eq!(
            s.bundles().expect("bundles"),
            vec![parent(20, &[(1, 1)]), parent(30, &[(2, 4)])]
        );
    }
}
