//! CSV exports are safe to open in a spreadsheet: cells that would start a formula are
//! prefixed with `'`, and every line (the header included) ends with CRLF.

mod common;

use common::{at, change, order};
use punte_core::product::ProductCode;
use punte_store::{StockChange, Store};

fn assert_crlf_only(csv: &str) {
    assert!(csv.ends_with("\r\n"), "{csv:?}");
    for (i, b) in csv.bytes().enumerate() {
        if b == b'\n' {
            assert_eq!(csv.as_bytes()[i - 1], b'\r', "bare LF at byte {i}: {csv:?}");
        }
    }
}

#[test]
fn orders_export_defuses_formulas_and_uses_crlf() {
    let mut s = Store::open_in_memory().unwrap();
    let mut o = order(1, 0, &[("A", 1), ("B", 2)]);
    o.customer.name = "=HYPERLINK(\"http://x\",\"click\")".into();
    o.customer.email = Some("@SUM(1+1)".into());
    o.lines[0].title = "+cmd|' /C calc'!A0".into();
    o.lines[1].title = "-2+3".into();
    s.import_orders(&[o], &change(1, "imported")).unwrap();
    let mut csv = Vec::new();
    assert_eq!(s.export_orders_csv(&mut csv).unwrap(), 2);
    let csv = String::from_utf8(csv).unwrap();
    assert_crlf_only(&csv);
    assert!(csv.starts_with("order_id,order_name,"), "{csv}");
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\","),
        "{csv}"
    );
    assert!(csv.contains(",'@SUM(1+1),"), "{csv}");
    assert!(csv.contains(",'+cmd|' /C calc'!A0,"), "{csv}");
    assert!(csv.contains(",'-2+3,"), "{csv}");
    for line in csv.split("\r\n").filter(|l| !l.is_empty()) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']),
                "{cell:?} in {line}"
            );
        }
    }
}

#[test]
fn audit_export_defuses_formulas_and_keeps_numbers() {
    let mut s = Store::open_in_memory().unwrap();
    let change = StockChange {
        at: at(1),
        code: ProductCode::from("=1+1"),
        inventory_item_id: None,
        before: Some(-3),
        after: 0,
        reason: "\tTAB=1".into(),
        source: "-sync".into(),
        run: None,
    };
    s.record_stock_changes(&[change]).unwrap();
    let mut csv = Vec::new();
    assert_eq!(s.export_audit_csv(&mut csv).unwrap(), 1);
    let csv = String::from_utf8(csv).unwrap();
    assert_crlf_only(&csv);
    let row = csv.split("\r\n").nth(1).unwrap();
    assert!(row.contains(",'=1+1,,-3,0,'\tTAB=1,'-sync,"), "{row:?}");
}
