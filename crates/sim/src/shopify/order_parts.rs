//! Small GraphQL objects hanging off orders: money bags, VAT tax lines, the customer and the
//! mailing address.

use apollo_compiler::resolvers::{ObjectValue, ResolveInfo, ResolvedValue};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use apollo_compiler::resolvers::FieldError;

use super::catalog::{R, gid, opt_str};
use super::model::{Address, Order};
use super::page::not_simulated;

/// Shopify's words for a protected field the app may not read (shopify.dev, "Protected customer
/// data"); graphql.rs adds `extensions.code: ACCESS_DENIED`.
pub const WITHHELD: &str = "This app is not approved to access the Customer object. See \
    https://partners.shopify.com/1/apps/1/customer_data for more details.";

/// The field error of a withheld field: the field comes back null, the rest of the answer stays.
pub fn withheld() -> FieldError {
    FieldError {
        message: WITHHELD.into(),
    }
}

pub struct MoneyBag(pub Decimal);

impl ObjectValue for MoneyBag {
    fn type_name(&self) -> &str {
        "MoneyBag"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        match info.field_name() {
            "shopMoney" | "presentmentMoney" => Ok(ResolvedValue::object(Money(self.0))),
            _ => Err(not_simulated(info, "MoneyBag")),
        }
    }
}

pub struct Money(pub Decimal);

impl ObjectValue for Money {
    fn type_name(&self) -> &str {
        "MoneyV2"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "amount" => ResolvedValue::leaf(self.0.round_dp(2).to_string()),
            "currencyCode" => ResolvedValue::leaf("RON"),
            _ => return Err(not_simulated(info, "MoneyV2")),
        })
    }
}

/// A tax line: rate in percent, and amount.
pub struct TaxLine(pub Decimal, pub Decimal);

impl TaxLine {
    pub fn list<'a>(lines: Vec<(Decimal, Decimal)>) -> ResolvedValue<'a> {
        ResolvedValue::list(
            lines
                .into_iter()
                .map(|(rate, amount)| ResolvedValue::object(TaxLine(rate, amount))),
        )
    }
}

impl ObjectValue for TaxLine {
    fn type_name(&self) -> &str {
        "TaxLine"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        Ok(match info.field_name() {
            "title" => ResolvedValue::leaf("TVA"),
            "rate" => ResolvedValue::leaf((self.0 / Decimal::ONE_HUNDRED).to_f64().unwrap_or(0.0)),
            "ratePercentage" => ResolvedValue::leaf(self.0.to_f64().unwrap_or(0.0)),
            "channelLiable" => ResolvedValue::leaf(false),
            "priceSet" => ResolvedValue::object(MoneyBag(self.1)),
            _ => return Err(not_simulated(info, "TaxLine")),
        })
    }
}

pub struct CustomerObj<'s> {
    pub o: &'s Order,
    /// The app may read names, emails and phones (protected customer data, level 2).
    pub allowed: bool,
}

impl ObjectValue for CustomerObj<'_> {
    fn type_name(&self) -> &str {
        "Customer"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let a = &self.o.address;
        let name = info.field_name();
        if !self.allowed && name != "id" && name != "__typename" {
            return Err(withheld());
        }
        Ok(match name {
            "id" => ResolvedValue::leaf(gid("Customer", self.o.id + 500_000)),
            "firstName" => ResolvedValue::leaf(a.first_name.clone()),
            "lastName" => ResolvedValue::leaf(a.last_name.clone()),
            "displayName" => ResolvedValue::leaf(format!("{} {}", a.first_name, a.last_name)),
            "defaultEmailAddress" => ResolvedValue::object(EmailObj(self.o.email.clone())),
            _ => return Err(not_simulated(info, "Customer")),
        })
    }
}

struct EmailObj(String);

impl ObjectValue for EmailObj {
    fn type_name(&self) -> &str {
        "CustomerEmailAddress"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        match info.field_name() {
            "emailAddress" => Ok(ResolvedValue::leaf(self.0.clone())),
            _ => Err(not_simulated(info, "CustomerEmailAddress")),
        }
    }
}

pub struct AddressObj<'s>(pub &'s Address);

impl ObjectValue for AddressObj<'_> {
    fn type_name(&self) -> &str {
        "MailingAddress"
    }
    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> R<'a> {
        let a = self.0;
        Ok(match info.field_name() {
            "name" => ResolvedValue::leaf(format!("{} {}", a.first_name, a.last_name)),
            "firstName" => ResolvedValue::leaf(a.first_name.clone()),
            "lastName" => ResolvedValue::leaf(a.last_name.clone()),
            "company" => opt_str(a.company.as_deref()),
            "address1" => ResolvedValue::leaf(a.address1.clone()),
            "address2" => ResolvedValue::null(),
            "zip" => ResolvedValue::leaf(a.zip.clone()),
            "city" => ResolvedValue::leaf(a.city.clone()),
            "province" => ResolvedValue::leaf(a.province.clone()),
            "provinceCode" => ResolvedValue::null(),
            "country" => ResolvedValue::leaf("Romania"),
            "countryCodeV2" => ResolvedValue::leaf("RO"),
            "phone" => opt_str(a.phone.as_deref()),
            _ => return Err(not_simulated(info, "MailingAddress")),
        })
    }
}
