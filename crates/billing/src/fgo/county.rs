//! FGO's county nomenclature (`/nomenclator/judet`): plain ASCII names such as "Bucuresti",
//! "Bistrita-Nasaud". Shopify gives a province as a name with diacritics ("București", "Cluj"),
//! an English name ("Bucharest") or a code ("B", "CJ"); [`fgo_county`] maps all of them.

/// (code, FGO name) for the 41 counties and Bucharest.
pub const COUNTIES: [(&str, &str); 42] = [
    ("AB", "Alba"),
    ("AR", "Arad"),
    ("AG", "Arges"),
    ("BC", "Bacau"),
    ("BH", "Bihor"),
    ("BN", "Bistrita-Nasaud"),
    ("BT", "Botosani"),
    ("BR", "Braila"),
    ("BV", "Brasov"),
    ("B", "Bucuresti"),
    ("BZ", "Buzau"),
    ("CL", "Calarasi"),
    ("CS", "Caras-Severin"),
    ("CJ", "Cluj"),
    ("CT", "Constanta"),
    ("CV", "Covasna"),
    ("DB", "Dambovita"),
    ("DJ", "Dolj"),
    ("GL", "Galati"),
    ("GR", "Giurgiu"),
    ("GJ", "Gorj"),
    ("HR", "Harghita"),
    ("HD", "Hunedoara"),
    ("IL", "Ialomita"),
    ("IS", "Iasi"),
    ("IF", "Ilfov"),
    ("MM", "Maramures"),
    ("MH", "Mehedinti"),
    ("MS", "Mures"),
    ("NT", "Neamt"),
    ("OT", "Olt"),
    ("PH", "Prahova"),
    ("SJ", "Salaj"),
    ("SM", "Satu Mare"),
    ("SB", "Sibiu"),
    ("SV", "Suceava"),
    ("TR", "Teleorman"),
    ("TM", "Timis"),
    ("TL", "Tulcea"),
    ("VL", "Valcea"),
    ("VS", "Vaslui"),
    ("VN", "Vrancea"),
];

/// Romanian letters folded to ASCII (both comma and cedilla forms of ș and ț).
#[must_use]
pub fn ascii_fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ă' | 'â' => 'a',
            'Ă' | 'Â' => 'A',
            'î' => 'i',
            'Î' => 'I',
            'ș' | 'ş' => 's',
            'Ș' | 'Ş' => 'S',
            'ț' | 'ţ' => 't',
            'Ț' | 'Ţ' => 'T',
            other => other,
        })
        .collect()
}

/// Lower-case letters only, for comparing names that differ in spaces, hyphens or case.
fn key(text: &str) -> String {
    ascii_fold(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The FGO county for what a shop calls the province: by code ("CJ", "RO-CJ"), by name with or
/// without diacritics, Bucharest in any of its spellings. Anything else comes back ASCII-folded
/// and trimmed, for FGO to judge.
#[must_use]
pub fn fgo_county(province: &str) -> String {
    let trimmed = province.trim();
    let code = trimmed
        .strip_prefix("RO-")
        .or_else(|| trimmed.strip_prefix("ro-"))
        .unwrap_or(trimmed);
    if let Some((_, name)) = COUNTIES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)) {
        return (*name).to_owned();
    }
    let k = key(trimmed);
    let k = k.strip_prefix("judetul").unwrap_or(&k);
    let bucharest = ["bucuresti", "bucharest", "municipiulbucuresti", "bucurest"];
    if bucharest.contains(&k) || k.starts_with("sector") {
        return "Bucuresti".to_owned();
    }
    COUNTIES
        .iter()
        .find(|(_, name)| key(name) == k)
        .map_or_else(|| ascii_fold(trimmed), |(_, name)| (*name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopify_provinces_become_fgo_counties() {
        for (given, want) in [
            ("București", "Bucuresti"),
            ("Bucharest", "Bucuresti"),
            ("Bucuresti", "Bucuresti"),
            ("B", "Bucuresti"),
            ("Sector 3", "Bucuresti"),
            ("CJ", "Cluj"),
            ("RO-CJ", "Cluj"),
            ("cj", "Cluj"),
            ("Cluj", "Cluj"),
            ("Bistrița-Năsăud", "Bistrita-Nasaud"),
            ("Bistrita Nasaud", "Bistrita-Nasaud"),
            ("Caraş-Severin", "Caras-Severin"),
            ("Dâmbovița", "Dambovita"),
            ("Județul Iași", "Iasi"),
            ("Satu Mare", "Satu Mare"),
            ("  Vâlcea ", "Valcea"),
            ("Mureș", "Mures"),
            ("Ilfov", "Ilfov"),
            ("Île-de-France", "Ile-de-France"),
        ] {
            assert_eq!(fgo_county(given), want, "{given}");
        }
    }

    #[test]
    fn every_county_is_ascii_and_unique() {
        for (i, (code, name)) in COUNTIES.iter().enumerate() {
            assert!(name.is_ascii(), "{name}");
            assert_eq!(fgo_county(code), *name);
            assert_eq!(fgo_county(name), *name);
            assert!(
                COUNTIES[i + 1..]
                    .iter()
                    .all(|(c, n)| c != code && n != name)
            );
        }
    }
}
