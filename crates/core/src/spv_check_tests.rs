//! Table tests of the pre-issue SPV checks: CUI control digit, Bucharest sector, CNP default.

use rstest::rstest;

use super::*;

fn address(street: &str, city: &str, county: &str) -> Address {
    Address {
        street: street.into(),
        city: city.into(),
        county: county.into(),
        country: "Romania".into(),
    }
}

#[rstest]
#[case::with_ro_prefix("RO37311090", true)]
#[case::without_prefix("37311090", true)]
#[case::lower_case_spaced("ro 18547290", true)]
#[case::short("19", true)]
#[case::wrong_digit_with_prefix("RO37311091", false)]
#[case::wrong_digit_without_prefix("18547291", false)]
#[case::too_long("12345678901", false)]
#[case::letters("RO3731A090", false)]
#[case::leading_zero("0123", false)]
fn the_cui_control_digit_is_checked(#[case] text: &str, #[case] valid: bool) {
    assert_eq!(check_cui(text).is_ok(), valid, "{text}");
}

#[rstest]
#[case::city_sector("Str. Lunga 1", "București, Sector 3", "București", Some(3))]
#[case::sectorul_in_street("Bd. Unirii 2, Sectorul 4", "Bucuresti", "Bucuresti", Some(4))]
#[case::glued("Calea Victoriei 10", "Sector1", "B", Some(1))]
#[case::abbreviated("Str. Mare 5, sect. 6", "Bucharest", "", Some(6))]
#[case::short_word("Str. Mare 5, S2", "Bucuresti", "Bucuresti", Some(2))]
#[case::no_sector("Str. Lunga 1", "București", "București", None)]
#[case::sector_seven_is_none("Str. Lunga 1, Sector 7", "București", "București", None)]
#[case::street_named_sos("Sos. Berceni 3", "Bucuresti", "Bucuresti", None)]
fn the_sector_is_found(
    #[case] street: &str,
    #[case] city: &str,
    #[case] county: &str,
    #[case] want: Option<u8>,
) {
    let a = address(street, city, county);
    assert!(is_bucharest(&a), "{a:?}");
    assert_eq!(sector(&a), want, "{a:?}");
}

#[rstest]
#[case::cluj("Str. Lunga 1", "Cluj-Napoca", "Cluj", false)]
#[case::ilfov_voluntari("Str. Mare 2", "Voluntari", "Ilfov", false)]
#[case::county_code("Str. Mare 2", "Bucuresti", "B", true)]
#[case::municipiul("Str. Mare 2", "Municipiul București", "", true)]
#[case::cedilla("Str. Mare 2", "Bucureşti", "", true)]
fn bucharest_is_recognised(
    #[case] street: &str,
    #[case] city: &str,
    #[case] county: &str,
    #[case] want: bool,
) {
    assert_eq!(is_bucharest(&address(street, city, county)), want);
}

#[rstest]
#[case::none(None, NO_CNP)]
#[case::empty(Some(""), NO_CNP)]
#[case::valid(Some("1960523120013"), "1960523120013")]
#[case::valid_trimmed(Some(" 2850101221147 "), "2850101221147")]
#[case::wrong_control(Some("1960523120014"), NO_CNP)]
#[case::too_short(Some("196052312001"), NO_CNP)]
#[case::letters(Some("19605231200A8"), NO_CNP)]
fn a_person_without_a_valid_cnp_gets_thirteen_zeros(#[case] cnp: Option<&str>, #[case] want: &str) {
    assert_eq!(person_code(cnp), want);
}

fn company(cui: &str, a: Address) -> Client {
    let digits: String = cui.chars().filter(char::is_ascii_digit).collect();
    Client::Company {
        name: "Firma SRL".into(),
        cui: Cui {
            digits,
            vat_payer: cui.starts_with("RO"),
        },
        reg_com: None,
        email: None,
        address: a,
    }
}

#[test]
fn client_checks_name_each_problem() {
    let cluj = address("Str. Lunga 1", "Cluj-Napoca", "Cluj");
    let buc = address("Str. Lunga 1", "București", "București");
    assert!(check_client(&company("RO37311090", cluj.clone())).is_empty());
    assert_eq!(
        check_client(&company("RO37311091", cluj)),
        vec![SpvProblem::CuiInvalid {
            cui: "RO37311091".into()
        }]
    );
    let person = Client::Person {
        name: "Ana".into(),
        email: None,
        address: buc.clone(),
    };
    assert_eq!(
        check_client(&person),
        vec![SpvProblem::BucharestSector {
            city: "București".into(),
            street: "Str. Lunga 1".into()
        }]
    );
    assert_eq!(buyer_code(&person), NO_CNP);
    let with_sector = address("Str. Lunga 1, Sector 2", "București", "București");
    assert!(check_client(&company("RO37311090", with_sector)).is_empty());
}
