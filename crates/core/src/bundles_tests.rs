use super::*;

fn c(code: &str, quantity: i64) -> Component {
    Component {
        code: ProductCode::from(code),
        quantity,
    }
}

fn kit(code: &str, components: Vec<Component>) -> Kit {
    Kit {
        code: ProductCode::from(code),
        title: format!("Kit {code}"),
        components,
    }
}

fn product(code: &str, stock: i64) -> BillingProduct {
    BillingProduct {
        code: ProductCode::from(code),
        name: code.into(),
        stock: Decimal::from(stock),
        vat_rate: None,
    }
}

#[test]
fn availability_is_the_least_over_the_components() {
    let parts = [c("A", 2), c("B", 1)];
    let have = |code: &ProductCode| match code.as_str() {
        "A" => Some(9),
        "B" => Some(3),
        _ => None,
    };
    assert_eq!(bundle_availability(&parts, have), Some(3));
    let short = |code: &ProductCode| {
        if code.as_str() == "A" {
            Some(5)
        } else {
            Some(-2)
        }
    };
    assert_eq!(bundle_availability(&parts, short), Some(0));
    assert_eq!(bundle_availability(&[c("X", 1)], have), None);
}

#[test]
fn a_kit_becomes_the_product_its_components_make() {
    let kits = [
        kit("BOX", vec![c("A", 2), c("B", 1)]),
        kit("BAD", vec![c("Z", 1)]),
    ];
    let reserved: Reservations = [(ProductCode::from("A"), 4), (ProductCode::from("B"), 2)]
        .into_iter()
        .collect();
    let billing = vec![product("A", 10), product("B", 10), product("BOX", 99)];
    let (out, missing) = with_kits(billing, &kits, &reserved, |_| 0);
    let bx = out.iter().find(|p| p.code.as_str() == "BOX").expect("kit");
    // A: (10 − 4) / 2 = 3, B: (10 − 2) / 1 = 8.
    assert_eq!(bx.stock, Decimal::from(3));
    assert_eq!(out.iter().filter(|p| p.code.as_str() == "BOX").count(), 1);
    assert_eq!(
        missing,
        vec![MissingComponent {
            kit: ProductCode::from("BAD"),
            component: ProductCode::from("Z")
        }]
    );
}

#[test]
fn a_recipe_is_checked_before_it_is_saved() {
    let others = [ProductCode::from("OTHER")];
    assert_eq!(kit("K", vec![c("A", 1)]).validate(&others), Ok(()));
    assert_eq!(
        kit(" ", vec![c("A", 1)]).validate(&others),
        Err(KitError::NoCode)
    );
    assert_eq!(
        kit("K", vec![]).validate(&others),
        Err(KitError::NoComponents)
    );
    assert_eq!(
        kit("K", vec![c("A", 0)]).validate(&others),
        Err(KitError::BadQuantity { code: "A".into() })
    );
    assert_eq!(
        kit("K", vec![c("K", 1)]).validate(&others),
        Err(KitError::ContainsItself)
    );
    assert_eq!(
        kit("K", vec![c("OTHER", 1)]).validate(&others),
        Err(KitError::NestedKit {
            code: "OTHER".into()
        })
    );
    assert_eq!(
        kit("K", vec![c("A", 1), c("A", 2)]).validate(&others),
        Err(KitError::DuplicateComponent { code: "A".into() })
    );
}
