//! A terminal's batch: the financial transactions a host approved since the last settlement,
//! as debit and credit totals, and the settlement (batch close) that compares the terminal's
//! totals with the host's. Both ends keep a [`Book`]: `posresp test` counts what the host
//! approved for it and sends the totals in its settlement request, `posresp serve` counts what
//! it approved and answers in balance or out of balance.
//!
//! What counts, per dialect:
//! - Financial requests (MTI class 2: 0200, 0220, 1200, 1220) that the host approved. The
//!   processing code (field 3) says the side: transaction types 00–19 are debits (purchase,
//!   cash, completion), 20–29 credits (refund, void in CUP, deposit); inquiries (30–39) and
//!   others are not totalled. Authorisations (class 1) are not settled.
//! - An approved reversal (class 4) of a counted transaction takes it out: the original is
//!   found by terminal (41) and trace number (11, or the original's trace in field 90).
//! - CUP (China UnionPay POS): field 48 of the 0500 carries, for domestic then foreign cards
//!   (foreign when the answer's 63.1 names a card organisation other than CUP), debit amount
//!   n12, debit count n3, credit amount n12, credit count n3 and a reconciliation code n1 (0
//!   from the terminal; 1 in balance, 2 out of balance from the host); 62 digits. Reversed
//!   transactions are left out of the totals.
//! - ISO 8583:1987 and 1993: credits number 74, credits reversal number 75, debits number 76,
//!   debits reversal number 77 (n10), the amounts 86–89 (n16) and the net amount 97 (`D` when
//!   debits exceed credits, else `C`, then 16 digits). The 1987 host answers field 66 = 1 in
//!   balance (2 out of balance, with code 95, reconcile error); the 1993 host answers 39 = 500
//!   or 501.

use std::collections::HashMap;

use crate::codec::Dialect;

/// A count and an amount (in the currency's minor unit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u64,
    pub amount: u64,
}

impl Tally {
    fn add(&mut self, amount: u64) {
        self.count += 1;
        self.amount += amount;
    }
}

/// Debit and credit totals, with the reversals of each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub debits: Tally,
    pub credits: Tally,
    pub debit_reversals: Tally,
    pub credit_reversals: Tally,
}

impl Totals {
    /// Debits less their reversals.
    pub fn net_debits(&self) -> Tally {
        Tally {
            count: self.debits.count.saturating_sub(self.debit_reversals.count),
            amount: self
                .debits
                .amount
                .saturating_sub(self.debit_reversals.amount),
        }
    }

    /// Credits less their reversals.
    pub fn net_credits(&self) -> Tally {
        Tally {
            count: self
                .credits
                .count
                .saturating_sub(self.credit_reversals.count),
            amount: self
                .credits
                .amount
                .saturating_sub(self.credit_reversals.amount),
        }
    }

    fn sum(&self, o: &Totals) -> Totals {
        let t = |a: Tally, b: Tally| Tally {
            count: a.count + b.count,
            amount: a.amount + b.amount,
        };
        Totals {
            debits: t(self.debits, o.debits),
            credits: t(self.credits, o.credits),
            debit_reversals: t(self.debit_reversals, o.debit_reversals),
            credit_reversals: t(self.credit_reversals, o.credit_reversals),
        }
    }
}

/// Which side of the batch a transaction is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Debit,
    Credit,
}

/// The side of a financial request (MTI class 2) by its processing code; `None` for other
/// classes, inquiries and codes that are not totalled.
pub fn side(mti: &str, processing_code: Option<&str>) -> Option<Side> {
    if mti.as_bytes().get(1) != Some(&b'2') {
        return None;
    }
    match processing_code?.as_bytes().first()? {
        b'0' | b'1' => Some(Side::Debit),
        b'2' => Some(Side::Credit),
        _ => None,
    }
}

/// One transaction as the batch sees it, from a request's fields and its answer.
#[derive(Debug, Clone, Default)]
pub struct Txn {
    pub mti: String,
    /// Field 41, trailing spaces trimmed.
    pub terminal: String,
    /// Field 11.
    pub stan: String,
    /// The trace number of the original (a reversal's field 90 positions 5–10, else its 11).
    pub original_stan: String,
    pub processing_code: Option<String>,
    /// Field 4 (minor units); 0 when absent or not a number.
    pub amount: u64,
    /// A foreign card (the answer's 63.1 is a card organisation other than CUP).
    pub foreign: bool,
}

impl Txn {
    /// The transaction of request MTI `mti` whose fields `get` gives; `answer_63` is the
    /// answer's field 63, when it has one.
    pub fn of<'a>(mti: &str, get: impl Fn(u16) -> Option<&'a str>, answer_63: Option<&str>) -> Txn {
        let stan = get(11).unwrap_or("").trim().to_string();
        let original_stan = get(90)
            .and_then(|v| v.get(4..10))
            .map_or_else(|| stan.clone(), str::to_string);
        Txn {
            mti: mti.to_string(),
            terminal: get(41).unwrap_or("").trim_end().to_string(),
            stan,
            original_stan,
            processing_code: get(3).map(str::to_string),
            amount: get(4).and_then(|a| a.trim().parse().ok()).unwrap_or(0),
            foreign: answer_63
                .and_then(|v| v.get(..3))
                .is_some_and(|org| org.trim() != "" && org != "CUP"),
        }
    }
}

/// A terminal's open batch.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub domestic: Totals,
    pub foreign: Totals,
    /// Counted transactions by trace number, so that a reversal finds its original.
    open: HashMap<String, (Side, u64, bool)>,
}

impl Batch {
    /// Domestic and foreign together.
    pub fn all(&self) -> Totals {
        self.domestic.sum(&self.foreign)
    }

    /// CUP field 48: domestic then foreign, each debit amount n12, debit count n3, credit
    /// amount n12, credit count n3 and the reconciliation code `code` (n1); reversals left out.
    pub fn cup48(&self, domestic_code: char, foreign_code: char) -> String {
        let part = |t: &Totals, code: char| {
            let (d, c) = (t.net_debits(), t.net_credits());
            format!(
                "{:012}{:03}{:012}{:03}{code}",
                d.amount % 1_000_000_000_000,
                d.count % 1000,
                c.amount % 1_000_000_000_000,
                c.count % 1000
            )
        };
        format!(
            "{}{}",
            part(&self.domestic, domestic_code),
            part(&self.foreign, foreign_code)
        )
    }

    /// The value of field `id` for a settlement request: 48 (CUP), 74–77, 86–89 or 97 (ISO).
    pub fn field(&self, id: u16) -> Option<String> {
        let t = self.all();
        let n10 = |x: Tally| format!("{:010}", x.count % 10_000_000_000);
        let n16 = |x: Tally| format!("{:016}", x.amount % 10_000_000_000_000_000);
        Some(match id {
            48 => self.cup48('0', '0'),
            74 => n10(t.credits),
            75 => n10(t.credit_reversals),
            76 => n10(t.debits),
            77 => n10(t.debit_reversals),
            86 => n16(t.credits),
            87 => n16(t.credit_reversals),
            88 => n16(t.debits),
            89 => n16(t.debit_reversals),
            97 => {
                let (d, c) = (t.net_debits().amount, t.net_credits().amount);
                let (sign, v) = if d > c { ('D', d - c) } else { ('C', c - d) };
                format!("{sign}{:016}", v % 10_000_000_000_000_000)
            }
            _ => return None,
        })
    }

    /// Whether the totals of a settlement request (its fields by `get`) agree with this
    /// batch: CUP compares field 48 (both parts, without their codes); ISO compares whichever
    /// of 74–77, 86–89 the request carries. `(domestic, foreign)` agreement for CUP; ISO
    /// gives the same answer twice.
    pub fn agrees<'a>(
        &self,
        dialect: Dialect,
        get: impl Fn(u16) -> Option<&'a str>,
    ) -> (bool, bool) {
        if dialect == Dialect::Cup {
            let mine = self.cup48('0', '0');
            let theirs = get(48).unwrap_or("");
            let same = |a: std::ops::Range<usize>| matches!((mine.get(a.clone()), theirs.get(a)), (Some(x), Some(y)) if x == y);
            return (same(0..30), same(31..61));
        }
        let ok = [74u16, 75, 76, 77, 86, 87, 88, 89]
            .iter()
            .all(|&id| match get(id) {
                None => true,
                Some(v) => {
                    let theirs: Option<u64> = v.trim().parse().ok();
                    let mine: Option<u64> = self.field(id).and_then(|m| m.parse().ok());
                    theirs == mine
                }
            });
        (ok, ok)
    }
}

/// Batches by terminal.
#[derive(Debug, Default)]
pub struct Book {
    terminals: HashMap<String, Batch>,
}

impl Book {
    /// Note the answer to `txn`: an approved financial request is counted; an approved
    /// reversal takes its original out (when it was counted). Returns whether the batch
    /// changed.
    pub fn answered(&mut self, txn: &Txn, approved: bool) -> bool {
        if !approved {
            return false;
        }
        let class = txn.mti.as_bytes().get(1).copied();
        if let Some(side) = side(&txn.mti, txn.processing_code.as_deref()) {
            let b = self.terminals.entry(txn.terminal.clone()).or_default();
            if b.open.contains_key(&txn.stan) {
                // A repeat of a counted request (0221 after 0220): not counted twice.
                return false;
            }
            let t = if txn.foreign {
                &mut b.foreign
            } else {
                &mut b.domestic
            };
            match side {
                Side::Debit => t.debits.add(txn.amount),
                Side::Credit => t.credits.add(txn.amount),
            }
            b.open
                .insert(txn.stan.clone(), (side, txn.amount, txn.foreign));
            return true;
        }
        if class == Some(b'4')
            && let Some(b) = self.terminals.get_mut(&txn.terminal)
            && let Some((side, amount, foreign)) = b.open.remove(&txn.original_stan)
        {
            let t = if foreign {
                &mut b.foreign
            } else {
                &mut b.domestic
            };
            match side {
                Side::Debit => t.debit_reversals.add(amount),
                Side::Credit => t.credit_reversals.add(amount),
            }
            return true;
        }
        false
    }

    /// The open batch of `terminal` (every terminal's together when `terminal` is empty).
    pub fn batch(&self, terminal: &str) -> Batch {
        if terminal.is_empty() {
            let mut all = Batch::default();
            for b in self.terminals.values() {
                all.domestic = all.domestic.sum(&b.domestic);
                all.foreign = all.foreign.sum(&b.foreign);
            }
            return all;
        }
        self.terminals.get(terminal).cloned().unwrap_or_default()
    }

    /// Close the batch of `terminal`: its totals, and a new empty batch.
    pub fn close(&mut self, terminal: &str) -> Batch {
        self.terminals.remove(terminal).unwrap_or_default()
    }
}

/// Whether `mti` is a settlement (reconciliation) request: class 5 (0500, 0520, 1520…).
pub fn is_settlement(mti: &str) -> bool {
    mti.len() == 4 && mti.as_bytes()[1] == b'5' && super::respond::is_request(mti)
}

/// The host's answer to a settlement request whose fields `get` gives, against its own
/// `batch` of that terminal: the response code (`approved` unless out of balance where the
/// dialect says so) and the fields to set.
pub fn settlement_answer<'a, 'c>(
    dialect: Dialect,
    batch: &Batch,
    approved: &'c str,
    get: impl Fn(u16) -> Option<&'a str>,
) -> (&'c str, Vec<(u16, String)>) {
    let (dom, fgn) = batch.agrees(dialect, &get);
    match dialect {
        Dialect::Cup => {
            let code = |ok: bool| if ok { '1' } else { '2' };
            // The terminal's totals, with the host's verdict in each part's code.
            let theirs = get(48).unwrap_or("");
            let mut v: Vec<char> = if theirs.len() == 62 {
                theirs.chars().collect()
            } else {
                batch.cup48('0', '0').chars().collect()
            };
            v[30] = code(dom);
            v[61] = code(fgn);
            (approved, vec![(48, v.into_iter().collect())])
        }
        Dialect::Iso87 => {
            if dom {
                (approved, vec![(66, "1".into())])
            } else {
                ("95", vec![(66, "2".into())])
            }
        }
        Dialect::Iso93 => (if dom { "500" } else { "501" }, Vec::new()),
    }
}

/// Whether a settlement answer says in balance: CUP both codes of 48 are 1 (or 0, a part
/// with nothing in it); ISO 1987 field 66 is 1; ISO 1993 code 500. `None` when the answer
/// does not say.
pub fn in_balance<'a>(dialect: Dialect, get: impl Fn(u16) -> Option<&'a str>) -> Option<bool> {
    match dialect {
        Dialect::Cup => {
            let v = get(48)?;
            let (a, b) = (v.as_bytes().get(30)?, v.as_bytes().get(61)?);
            Some(matches!(a, b'0' | b'1') && matches!(b, b'0' | b'1') && (*a == b'1' || *b == b'1'))
        }
        Dialect::Iso87 => get(66).map(|v| v == "1"),
        Dialect::Iso93 => get(39).map(|v| v == "500"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn txn(mti: &str, fields: &[(u16, &str)], a63: Option<&str>) -> Txn {
        let m: BTreeMap<u16, &str> = fields.iter().copied().collect();
        Txn::of(mti, |id| m.get(&id).copied(), a63)
    }

    #[test]
    fn debits_credits_reversals() {
        let mut book = Book::default();
        let buy = |stan, amt| {
            txn(
                "0200",
                &[(3, "000000"), (4, amt), (11, stan), (41, "T1      ")],
                None,
            )
        };
        assert!(book.answered(&buy("000001", "000000001000"), true));
        assert!(book.answered(&buy("000002", "000000000250"), true));
        assert!(
            !book.answered(&buy("000003", "000000009999"), false),
            "declined: not counted"
        );
        // A void (CUP 200000) is a credit.
        let void = txn(
            "0200",
            &[
                (3, "200000"),
                (4, "000000000250"),
                (11, "000004"),
                (41, "T1"),
            ],
            None,
        );
        assert!(book.answered(&void, true));
        // A balance inquiry is not totalled.
        assert!(!book.answered(
            &txn("0200", &[(3, "310000"), (11, "000005"), (41, "T1")], None),
            true
        ));
        // The reversal of 000001 takes it out; a reversal of something unknown changes nothing.
        assert!(book.answered(
            &txn(
                "0400",
                &[
                    (3, "000000"),
                    (4, "000000001000"),
                    (11, "000001"),
                    (41, "T1")
                ],
                None
            ),
            true
        ));
        assert!(!book.answered(&txn("0400", &[(11, "000077"), (41, "T1")], None), true));
        let b = book.batch("T1");
        assert_eq!(
            b.domestic.debits,
            Tally {
                count: 2,
                amount: 1250
            }
        );
        assert_eq!(
            b.domestic.debit_reversals,
            Tally {
                count: 1,
                amount: 1000
            }
        );
        assert_eq!(
            b.domestic.credits,
            Tally {
                count: 1,
                amount: 250
            }
        );
        assert_eq!(
            b.cup48('0', '0'),
            format!("{}0{}", "000000000250001000000000250001", "0".repeat(31))
        );
        assert_eq!(b.field(76).unwrap(), "0000000002");
        assert_eq!(b.field(89).unwrap(), "0000000000001000");
        assert_eq!(b.field(97).unwrap(), "C0000000000000000");
        assert_eq!(book.batch("T2").all(), Totals::default());
        assert_eq!(book.close("T1").domestic.credits.count, 1);
        assert_eq!(book.batch("T1").all(), Totals::default());
    }

    #[test]
    fn iso_reversal_finds_original_through_90() {
        let mut book = Book::default();
        let t = txn(
            "0200",
            &[
                (3, "000000"),
                (4, "000000000500"),
                (11, "000123"),
                (41, "T1"),
            ],
            None,
        );
        book.answered(&t, true);
        let rev = txn(
            "0400",
            &[
                (11, "000124"),
                (41, "T1"),
                (90, "020000012312010000000000000000000000000000"),
            ],
            None,
        );
        assert!(book.answered(&rev, true));
        assert_eq!(book.batch("T1").all().debit_reversals.amount, 500);
    }

    #[test]
    fn foreign_cards_go_to_the_second_part() {
        let mut book = Book::default();
        let t = txn(
            "0200",
            &[
                (3, "000000"),
                (4, "000000000700"),
                (11, "000001"),
                (41, "T1"),
            ],
            Some("VIS"),
        );
        book.answered(&t, true);
        let v = book.batch("T1").cup48('0', '0');
        assert_eq!(&v[..31], "0000000000000000000000000000000");
        assert_eq!(&v[31..46], "000000000700001");
    }

    #[test]
    fn host_says_balanced_or_not() {
        let mut book = Book::default();
        let t = txn(
            "0200",
            &[
                (3, "000000"),
                (4, "000000001000"),
                (11, "000001"),
                (41, "T1"),
            ],
            None,
        );
        book.answered(&t, true);
        let b = book.batch("T1");
        let right = b.cup48('0', '0');
        let (code, set) = settlement_answer(Dialect::Cup, &b, "00", |id| {
            (id == 48).then_some(right.as_str())
        });
        assert_eq!(code, "00");
        let v = &set[0].1;
        assert_eq!(
            in_balance(Dialect::Cup, |id| (id == 48).then_some(v.as_str())),
            Some(true)
        );
        let wrong = right.replacen("001", "002", 1);
        let (_, set) = settlement_answer(Dialect::Cup, &b, "00", |id| {
            (id == 48).then_some(wrong.as_str())
        });
        let v = &set[0].1;
        assert_eq!(&v[30..31], "2");
        assert_eq!(
            in_balance(Dialect::Cup, |id| (id == 48).then_some(v.as_str())),
            Some(false)
        );

        let f76 = b.field(76).unwrap();
        let f88 = b.field(88).unwrap();
        let get = |id: u16| match id {
            76 => Some(f76.as_str()),
            88 => Some(f88.as_str()),
            _ => None,
        };
        assert_eq!(
            settlement_answer(Dialect::Iso87, &b, "00", get),
            ("00", vec![(66, "1".into())])
        );
        assert_eq!(settlement_answer(Dialect::Iso93, &b, "000", get).0, "500");
        let bad = |id: u16| (id == 88).then_some("0000000000000001");
        assert_eq!(
            settlement_answer(Dialect::Iso87, &b, "00", bad),
            ("95", vec![(66, "2".into())])
        );
        assert_eq!(settlement_answer(Dialect::Iso93, &b, "000", bad).0, "501");
        assert!(is_settlement("0500") && is_settlement("1520") && !is_settlement("0510"));
    }
}
