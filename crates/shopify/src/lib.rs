//! Client for the Shopify Admin GraphQL API 2026-07: authentication (client-credentials or a legacy
//! `shpat_` token), products and inventory levels, orders, and compare-and-set quantity writes.
