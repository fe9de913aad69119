//! The billing side behind one `BillingService` trait: SmartBill Cloud, Oblio and FGO clients for
//! warehouse stock reads and invoices issued with stock discharge.
