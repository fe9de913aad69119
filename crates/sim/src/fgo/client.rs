//! The checks FGO makes on `/factura/emitere`'s `Client` and `IdExtern`: a name (it is also
//! hashed), PF/PJ, a country given as a `Valoare` of `/nomenclator/tara` (an ISO code: the
//! public SDKs send "RO"; a country name is refused, the stricter reading), and for Romania a
//! county from FGO's ASCII nomenclature (`/nomenclator/judet`: "Bucuresti", …); `IdExtern` is
//! a string(36).

use serde_json::Value;

/// FGO's county names (41 counties and Bucharest), plain ASCII, matched exactly.
pub const COUNTIES: [&str; 42] = [
    "Alba",
    "Arad",
    "Arges",
    "Bacau",
    "Bihor",
    "Bistrita-Nasaud",
    "Botosani",
    "Braila",
    "Brasov",
    "Bucuresti",
    "Buzau",
    "Calarasi",
    "Caras-Severin",
    "Cluj",
    "Constanta",
    "Covasna",
    "Dambovita",
    "Dolj",
    "Galati",
    "Giurgiu",
    "Gorj",
    "Harghita",
    "Hunedoara",
    "Ialomita",
    "Iasi",
    "Ilfov",
    "Maramures",
    "Mehedinti",
    "Mures",
    "Neamt",
    "Olt",
    "Prahova",
    "Salaj",
    "Satu Mare",
    "Sibiu",
    "Suceava",
    "Teleorman",
    "Timis",
    "Tulcea",
    "Valcea",
    "Vaslui",
    "Vrancea",
];

/// The countries of `/nomenclator/tara`: (`Nume`, `Valoare`), the value an ISO 3166-1 code.
pub const COUNTRIES: [(&str, &str); 12] = [
    ("Romania", "RO"),
    ("Republica Moldova", "MD"),
    ("Austria", "AT"),
    ("Bulgaria", "BG"),
    ("Franta", "FR"),
    ("Germania", "DE"),
    ("Italia", "IT"),
    ("Marea Britanie", "GB"),
    ("Spania", "ES"),
    ("Statele Unite ale Americii", "US"),
    ("Ucraina", "UA"),
    ("Ungaria", "HU"),
];

/// Longest `IdExtern` FGO stores.
pub const ID_EXTERN_MAX: usize = 36;

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The refusal message for `body`'s client or external id, if any.
pub fn check(body: &Value) -> Result<(), String> {
    let client = body.get("Client").unwrap_or(&Value::Null);
    let name = text(client, "Denumire");
    if name.trim().is_empty() {
        return Err("Parametrul Client[Denumire] este obligatoriu.".into());
    }
    if name.chars().count() > 255 {
        return Err("Parametrul Client[Denumire] depaseste 255 de caractere.".into());
    }
    if !matches!(text(client, "Tip"), "PF" | "PJ") {
        return Err("Parametrul Client[Tip] trebuie sa fie PF sau PJ.".into());
    }
    let country = text(client, "Tara");
    if country.is_empty() {
        return Err("Parametrul Client[Tara] este obligatoriu.".into());
    }
    if !COUNTRIES.iter().any(|(_, code)| *code == country) {
        return Err(format!(
            "Valoarea {country} asociata parametrului Client[Tara] nu a fost identificata \
             (vezi /nomenclator/tara)."
        ));
    }
    if country == "RO" {
        let county = text(client, "Judet");
        if county.is_empty() {
            return Err("Parametrul Client[Judet] este obligatoriu pentru Romania.".into());
        }
        if !COUNTIES.contains(&county) {
            return Err(format!(
                "Valoarea {county} asociata parametrului Client[Judet] nu a fost identificata \
                 (vezi /nomenclator/judet)."
            ));
        }
    }
    if let Some(id) = body.get("IdExtern") {
        let id = id
            .as_str()
            .ok_or("Parametrul IdExtern trebuie sa fie text.")?;
        if id.chars().count() > ID_EXTERN_MAX {
            return Err(format!(
                "Parametrul IdExtern depaseste {ID_EXTERN_MAX} de caractere."
            ));
        }
    }
    Ok(())
}
