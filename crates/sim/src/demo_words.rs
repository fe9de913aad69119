//! The words the demo catalogue is made of: ten Romanian product families (category code,
//! product type, base names, the variant axis) and twelve regional styles, so the demo shop
//! reads like a real Romanian store. Kept apart from the generation in `demo`.

/// (category code, product type, base names, variant axis)
pub(crate) const FAMILIES: [(&str, &str, &[&str], &[&str]); 10] = [
    (
        "TRI",
        "Tricouri",
        &["Tricou bumbac", "Tricou motiv popular", "Tricou sport"],
        &["S", "M", "L", "XL"],
    ),
    ("CAN", "Căni", &["Cană ceramică", "Cană emailată"], &["U"]),
    (
        "CAI",
        "Papetărie",
        &["Caiet dictando", "Agendă piele", "Caiet matematică"],
        &["A5", "A4"],
    ),
    (
        "LUM",
        "Lumânări",
        &["Lumânare parfumată", "Lumânare ceară de albine"],
        &["100g", "250g"],
    ),
    (
        "CEA",
        "Ceaiuri",
        &["Ceai de tei", "Ceai de mentă", "Ceai de munte"],
        &["50g", "100g"],
    ),
    (
        "MIE",
        "Miere",
        &["Miere de salcâm", "Miere polifloră", "Miere de tei"],
        &["250g", "500g", "1kg"],
    ),
    (
        "SAP",
        "Cosmetice",
        &["Săpun natural", "Săpun cu lavandă"],
        &["U"],
    ),
    (
        "ESA",
        "Accesorii",
        &["Eșarfă", "Batic tradițional"],
        &["Roșu", "Albastru", "Verde"],
    ),
    ("GEN", "Accesorii", &["Geantă pânză", "Rucsac"], &["U"]),
    (
        "DUL",
        "Dulcețuri",
        &["Dulceață de caise", "Dulceață de afine", "Zacuscă"],
        &["350g"],
    ),
];

pub(crate) const STYLES: [&str; 12] = [
    "Carpați",
    "Dobrogea",
    "Maramureș",
    "Bucovina",
    "Ardeal",
    "Oltenia",
    "Banat",
    "Muntenia",
    "Moldova",
    "Delta",
    "Făgăraș",
    "Bihor",
];
