//! EMV application cryptograms (EMV 4.3 Book 2, Annex A1 and section 8): the ICC master key
//! from the issuer master key (option A, option B), the session key (EMV common session key,
//! Mastercard's with the unpredictable number), the cryptogram itself (ISO/IEC 9797-1 MAC
//! algorithm 3 over the transaction data) and the issuer's answer, the ARPC (method 1: the ARQC
//! XOR the response code, encrypted; method 2: a MAC over ARQC, CSU and proprietary data).
//!
//! Which choices a card makes is its cryptogram version number (CVN), carried in the issuer
//! application data (9F10). [`Cvn`] names the common ones and [`Cvn::from_iad`] reads it.

use sha1::{Digest, Sha1};

use super::{Key, KeyError, Padding, mac_alg3};
use crate::codec::tlv;

/// How the ICC master key is derived from the issuer master key (EMV Book 2, A1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MkDerivation {
    /// Option A: the rightmost 16 digits of PAN and PAN sequence number.
    OptionA,
    /// Option B: for PANs longer than 16 digits, a SHA-1 of PAN and PSN decimalised (the same
    /// as option A for 16 digits or fewer).
    OptionB,
}

/// Which session key the cryptogram (or the ARPC) is computed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Session {
    /// The ICC master key itself (Visa CVN 10; Mastercard's ARPC in CVN 16/17).
    None,
    /// The EMV common session key (Book 2, A1.3): diversified by the ATC.
    Common,
    /// Mastercard's session key: diversified by the ATC and the unpredictable number.
    Mastercard,
}

/// What follows the ATC in the cryptogram's data (the card's own part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardData {
    /// Visa: the 4-byte CVR from 9F10 (bytes 4 to 7).
    VisaCvr,
    /// The whole issuer application data, 9F10.
    Iad,
    /// Mastercard: the 6-byte CVR from 9F10 (bytes 3 to 8).
    McCvr,
    /// Mastercard: the CVR and the 8 bytes of counters that follow the DAC (bytes 11 to 18).
    McCvrCounters,
}

/// The ARPC method (EMV Book 2, 8.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArpcMethod {
    /// Method 1: TDES(ARQC XOR ARC‖000000000000), 8 bytes.
    One,
    /// Method 2: MAC algorithm 3 (padding 2) over ARQC‖CSU‖proprietary data, 4 bytes.
    Two,
}

/// A cryptogram version: every choice above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    pub mk: MkDerivation,
    pub ac_session: Session,
    pub padding: Padding,
    pub card_data: CardData,
    pub arpc_session: Session,
    pub arpc: ArpcMethod,
}

/// Cryptogram version numbers posresp knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cvn {
    Visa10,
    Visa18,
    Visa22,
    Mastercard16,
    Mastercard17,
    Mastercard20,
    Mastercard21,
    Interac133,
}

impl Cvn {
    /// Every known version.
    pub const ALL: [Cvn; 8] = [
        Cvn::Visa10,
        Cvn::Visa18,
        Cvn::Visa22,
        Cvn::Mastercard16,
        Cvn::Mastercard17,
        Cvn::Mastercard20,
        Cvn::Mastercard21,
        Cvn::Interac133,
    ];

    /// The name used on the command line (`visa10`, `mc16`, …).
    pub fn name(self) -> &'static str {
        match self {
            Cvn::Visa10 => "visa10",
            Cvn::Visa18 => "visa18",
            Cvn::Visa22 => "visa22",
            Cvn::Mastercard16 => "mc16",
            Cvn::Mastercard17 => "mc17",
            Cvn::Mastercard20 => "mc20",
            Cvn::Mastercard21 => "mc21",
            Cvn::Interac133 => "interac133",
        }
    }

    /// A version from its command-line name.
    pub fn parse(s: &str) -> Option<Cvn> {
        Cvn::ALL.into_iter().find(|c| c.name() == s)
    }

    /// The choices this version makes.
    pub fn profile(self) -> Profile {
        use ArpcMethod::*;
        use CardData::*;
        use MkDerivation::*;
        use Session as S;
        let p = |mk, ac_session, padding, card_data, arpc_session, arpc| Profile {
            mk,
            ac_session,
            padding,
            card_data,
            arpc_session,
            arpc,
        };
        match self {
            Cvn::Visa10 => p(OptionA, S::None, Padding::Method1, VisaCvr, S::None, One),
            Cvn::Visa18 | Cvn::Visa22 => {
                p(OptionB, S::Common, Padding::Method2, Iad, S::Common, Two)
            }
            Cvn::Mastercard16 => p(
                OptionA,
                S::Mastercard,
                Padding::Method2,
                McCvr,
                S::None,
                One,
            ),
            Cvn::Mastercard17 => p(
                OptionA,
                S::Mastercard,
                Padding::Method2,
                McCvrCounters,
                S::None,
                One,
            ),
            Cvn::Mastercard20 => p(OptionA, S::Common, Padding::Method2, McCvr, S::Common, One),
            Cvn::Mastercard21 => p(
                OptionA,
                S::Common,
                Padding::Method2,
                McCvrCounters,
                S::Common,
                One,
            ),
            Cvn::Interac133 => p(
                OptionA,
                S::Mastercard,
                Padding::Method2,
                Iad,
                S::Mastercard,
                One,
            ),
        }
    }

    /// The version the issuer application data (9F10) names, when it is a layout posresp
    /// knows: Visa formats 0/1/3 (`06|07 DKI CVN CVR…`), Visa format 2 (`1F CVN …`), and
    /// Mastercard M/Chip (`DKI CVN CVR(6) DAC(2) [counters]`, 18 bytes or more).
    pub fn from_iad(iad: &[u8]) -> Option<Cvn> {
        match iad {
            [0x06 | 0x07, _, 0x0A, ..] => Some(Cvn::Visa10),
            [0x06 | 0x07, _, 0x12, ..] => Some(Cvn::Visa18),
            [0x1F, 0x22, ..] | [0x06 | 0x07, _, 0x22, ..] => Some(Cvn::Visa22),
            [_, cvn, ..] if iad.len() >= 18 => match cvn {
                0x10 => Some(Cvn::Mastercard16),
                0x11 => Some(Cvn::Mastercard17),
                0x14 => Some(Cvn::Mastercard20),
                0x15 => Some(Cvn::Mastercard21),
                0x85 => Some(Cvn::Interac133),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Set each byte's lowest bit so that the byte has odd parity (DES key convention).
pub fn odd_parity(key: &mut [u8]) {
    for b in key {
        if b.count_ones() % 2 == 0 {
            *b ^= 1;
        }
    }
}

fn double(key: &Key, what: &str) -> Result<(), KeyError> {
    if key.is_double() {
        Ok(())
    } else {
        Err(KeyError(format!(
            "the {what} must be a double-length 3DES key (16 bytes, 32 hex digits)"
        )))
    }
}

fn digits_only(s: &str, what: &str) -> Result<(), KeyError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KeyError(format!("the {what} must be decimal digits")));
    }
    Ok(())
}

/// Encrypt `y` and its complement under the issuer master key: the ICC master key.
fn mk_from_y(imk: &Key, y: [u8; 8]) -> Result<Key, KeyError> {
    let mut l = y;
    let mut r = y.map(|b| !b);
    imk.encrypt(&mut l);
    imk.encrypt(&mut r);
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&l);
    k[8..].copy_from_slice(&r);
    odd_parity(&mut k);
    Key::from_bytes(&k)
}

fn bcd8(digits: &str) -> [u8; 8] {
    let mut y = [0u8; 8];
    for (i, b) in digits.bytes().take(16).enumerate() {
        y[i / 2] |= (b - b'0') << if i % 2 == 0 { 4 } else { 0 };
    }
    y
}

/// The ICC master key (EMV Book 2, A1.4). `psn` is the 2-digit PAN sequence number (5F34;
/// "00" when the card has none).
pub fn icc_master_key(imk: &Key, pan: &str, psn: &str, how: MkDerivation) -> Result<Key, KeyError> {
    double(imk, "issuer master key")?;
    digits_only(pan, "PAN")?;
    digits_only(psn, "PAN sequence number")?;
    let x = format!("{pan}{psn}");
    if how == MkDerivation::OptionB && pan.len() > 16 {
        let packed = if x.len() % 2 == 1 { format!("0{x}") } else { x };
        let bytes = crate::codec::encoding::from_hex(&packed)
            .map_err(|_| KeyError("the PAN must be decimal digits".into()))?;
        let hash = crate::codec::encoding::to_hex(&Sha1::digest(&bytes));
        let mut y: String = hash.chars().filter(char::is_ascii_digit).take(16).collect();
        if y.len() < 16 {
            let need = 16 - y.len();
            y.extend(
                hash.chars()
                    .filter(|c| !c.is_ascii_digit())
                    .take(need)
                    .map(|c| char::from(b'0' + (c as u8 - b'A'))),
            );
        }
        return mk_from_y(imk, bcd8(&y));
    }
    let tail = if x.len() >= 16 {
        x[x.len() - 16..].to_string()
    } else {
        format!("{x:0>16}")
    };
    mk_from_y(imk, bcd8(&tail))
}

/// The EMV common session key (Book 2, A1.3) for diversification value `r`: `r` with its third
/// byte F0 and 0F, each encrypted under the master key.
pub fn common_session_key(mk: &Key, r: [u8; 8]) -> Result<Key, KeyError> {
    double(mk, "ICC master key")?;
    let mut a = r;
    a[2] = 0xF0;
    let mut b = r;
    b[2] = 0x0F;
    mk.encrypt(&mut a);
    mk.encrypt(&mut b);
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&a);
    k[8..].copy_from_slice(&b);
    odd_parity(&mut k);
    Key::from_bytes(&k)
}

/// The session key of `how` for a transaction with this ATC (9F36) and unpredictable number
/// (9F37).
pub fn session_key(mk: &Key, how: Session, atc: [u8; 2], un: [u8; 4]) -> Result<Key, KeyError> {
    match how {
        Session::None => Ok(mk.clone()),
        Session::Common => common_session_key(mk, [atc[0], atc[1], 0, 0, 0, 0, 0, 0]),
        Session::Mastercard => {
            common_session_key(mk, [atc[0], atc[1], 0, 0, un[0], un[1], un[2], un[3]])
        }
    }
}

/// An application cryptogram (ARQC, TC, AAC): MAC algorithm 3 over `data` under the session key.
pub fn cryptogram(sk: &Key, data: &[u8], padding: Padding) -> Result<[u8; 8], KeyError> {
    double(sk, "session key")?;
    mac_alg3(sk, data, padding)
}

/// ARPC method 1: the ARQC XOR the 2-byte authorisation response code (padded with zeros),
/// encrypted under the session key; 8 bytes.
pub fn arpc_method1(sk: &Key, arqc: [u8; 8], arc: [u8; 2]) -> Result<[u8; 8], KeyError> {
    double(sk, "session key")?;
    let mut b = arqc;
    b[0] ^= arc[0];
    b[1] ^= arc[1];
    sk.encrypt(&mut b);
    Ok(b)
}

/// ARPC method 2: MAC algorithm 3 with padding method 2 over ARQC‖CSU‖proprietary
/// authentication data (0 to 8 bytes); the leftmost 4 bytes.
pub fn arpc_method2(
    sk: &Key,
    arqc: [u8; 8],
    csu: [u8; 4],
    proprietary: &[u8],
) -> Result<[u8; 4], KeyError> {
    double(sk, "session key")?;
    if proprietary.len() > 8 {
        return Err(KeyError(
            "proprietary authentication data is 0 to 8 bytes".into(),
        ));
    }
    let mut d = arqc.to_vec();
    d.extend_from_slice(&csu);
    d.extend_from_slice(proprietary);
    let m = mac_alg3(sk, &d, Padding::Method2)?;
    Ok([m[0], m[1], m[2], m[3]])
}

/// The tags a cryptogram is computed over, in order (EMV Book 2, 8.1.1, the recommended
/// minimum set), before the card's own part ([`CardData`]).
pub const AC_TAGS: [(&str, usize); 10] = [
    ("9F02", 6),
    ("9F03", 6),
    ("9F1A", 2),
    ("95", 5),
    ("5F2A", 2),
    ("9A", 3),
    ("9C", 1),
    ("9F37", 4),
    ("82", 2),
    ("9F36", 2),
];

/// The chip data of one message (field 55's tags), by tag.
#[derive(Clone, Debug, Default)]
pub struct ChipData {
    tags: Vec<(String, Vec<u8>)>,
}

impl ChipData {
    /// Read field 55's BER-TLV (constructed tags are searched too).
    pub fn parse(data: &[u8]) -> Result<ChipData, String> {
        let (list, err) = tlv::parse(data);
        if let Some(e) = err {
            return Err(e.to_string());
        }
        let mut tags = Vec::new();
        fn walk(list: &[tlv::Tlv], data: &[u8], out: &mut Vec<(String, Vec<u8>)>) {
            for t in list {
                if t.constructed {
                    walk(&t.children, data, out);
                } else {
                    let v = data[t.value_offset..t.value_offset + t.value_len].to_vec();
                    out.push((t.tag_hex(), v));
                }
            }
        }
        walk(&list, data, &mut tags);
        Ok(ChipData { tags })
    }

    /// The value of `tag` (uppercase hex), when present.
    pub fn get(&self, tag: &str) -> Option<&[u8]> {
        self.tags
            .iter()
            .find(|(t, _)| t == tag)
            .map(|(_, v)| v.as_slice())
    }

    fn need(&self, tag: &str, len: usize) -> Result<&[u8], String> {
        match self.get(tag) {
            None => Err(format!("tag {tag} is missing from the chip data")),
            Some(v) if v.len() != len => Err(format!(
                "tag {tag} has {} bytes, the cryptogram needs {len}",
                v.len()
            )),
            Some(v) => Ok(v),
        }
    }

    /// The ATC (9F36).
    pub fn atc(&self) -> Result<[u8; 2], String> {
        let v = self.need("9F36", 2)?;
        Ok([v[0], v[1]])
    }

    /// The unpredictable number (9F37).
    pub fn un(&self) -> Result<[u8; 4], String> {
        let v = self.need("9F37", 4)?;
        Ok([v[0], v[1], v[2], v[3]])
    }

    /// The cryptogram the card sent (9F26).
    pub fn arqc(&self) -> Result<[u8; 8], String> {
        let v = self.need("9F26", 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(v);
        Ok(a)
    }

    /// The cryptogram's input for `card_data`: the tags of [`AC_TAGS`] then the card's part.
    pub fn ac_input(&self, card_data: CardData) -> Result<Vec<u8>, String> {
        let mut d = Vec::new();
        for (tag, len) in AC_TAGS {
            d.extend_from_slice(self.need(tag, len)?);
        }
        let iad = self
            .get("9F10")
            .ok_or("tag 9F10 (issuer application data) is missing from the chip data")?;
        let part = |from: usize, to: usize| {
            iad.get(from..to).ok_or_else(|| {
                format!(
                    "9F10 has {} bytes; this cryptogram version reads bytes {}-{}",
                    iad.len(),
                    from + 1,
                    to
                )
            })
        };
        match card_data {
            CardData::VisaCvr => d.extend_from_slice(part(3, 7)?),
            CardData::Iad => d.extend_from_slice(iad),
            CardData::McCvr => d.extend_from_slice(part(2, 8)?),
            CardData::McCvrCounters => {
                d.extend_from_slice(part(2, 8)?);
                d.extend_from_slice(part(10, 18)?);
            }
        }
        Ok(d)
    }
}

/// What checking a card's cryptogram found.
#[derive(Clone, Debug)]
pub struct ArqcCheck {
    pub cvn: Cvn,
    pub expected: [u8; 8],
    pub actual: Option<[u8; 8]>,
}

impl ArqcCheck {
    /// Whether the card's cryptogram is the one computed.
    pub fn ok(&self) -> bool {
        self.actual == Some(self.expected)
    }
}

/// The keys and card of one cryptogram computation.
pub struct Card<'a> {
    pub imk: &'a Key,
    pub pan: &'a str,
    pub psn: &'a str,
}

/// The cryptogram for the chip data under `cvn`, and the one the card sent (9F26), if any.
pub fn check_arqc(card: &Card, chip: &ChipData, cvn: Cvn) -> Result<ArqcCheck, String> {
    let p = cvn.profile();
    let mk = icc_master_key(card.imk, card.pan, card.psn, p.mk).map_err(|e| e.0)?;
    let sk = session_key(
        &mk,
        p.ac_session,
        chip.atc()?,
        chip.un().unwrap_or_default(),
    )
    .map_err(|e| e.0)?;
    let expected = cryptogram(&sk, &chip.ac_input(p.card_data)?, p.padding).map_err(|e| e.0)?;
    Ok(ArqcCheck {
        cvn,
        expected,
        actual: chip.arqc().ok(),
    })
}

/// The ARPC for an ARQC: method 1 takes the 2-byte response code, method 2 the CSU and the
/// proprietary data. Returns the value of tag 91 (ARPC followed by the ARC, or by the CSU and
/// the proprietary data).
pub fn issuer_authentication(
    card: &Card,
    chip: &ChipData,
    cvn: Cvn,
    arc: [u8; 2],
    csu: [u8; 4],
    proprietary: &[u8],
) -> Result<Vec<u8>, String> {
    let p = cvn.profile();
    let mk = icc_master_key(card.imk, card.pan, card.psn, p.mk).map_err(|e| e.0)?;
    let sk = session_key(
        &mk,
        p.arpc_session,
        chip.atc()?,
        chip.un().unwrap_or_default(),
    )
    .map_err(|e| e.0)?;
    let arqc = chip.arqc()?;
    Ok(match p.arpc {
        ArpcMethod::One => {
            let mut v = arpc_method1(&sk, arqc, arc).map_err(|e| e.0)?.to_vec();
            v.extend_from_slice(&arc);
            v
        }
        ArpcMethod::Two => {
            let mut v = arpc_method2(&sk, arqc, csu, proprietary)
                .map_err(|e| e.0)?
                .to_vec();
            v.extend_from_slice(&csu);
            v.extend_from_slice(proprietary);
            v
        }
    })
}

/// A message's chip data (field 55) with the card it belongs to.
#[derive(Clone, Debug)]
pub struct CardChip {
    pub chip: ChipData,
    pub pan: String,
    pub psn: String,
}

impl CardChip {
    /// Field 55 of a decoded message read as BER-TLV; the PAN from field 2, track 2 or 5A;
    /// the sequence number from 5F34 or field 23 (else 00).
    pub fn of(dec: &crate::codec::Decoded) -> Result<CardChip, String> {
        let v = dec.get(55).ok_or("no field 55")?;
        let bytes = crate::codec::encoding::from_hex(v)
            .map_err(|_| "field 55 is not binary chip data".to_string())?;
        let chip = ChipData::parse(&bytes)?;
        let pan = dec
            .get(2)
            .map(str::to_string)
            .or_else(|| {
                dec.get(35)
                    .map(|t| t.split(['=', 'D']).next().unwrap_or("").to_string())
            })
            .or_else(|| {
                chip.get("5A").map(|p| {
                    crate::codec::encoding::to_hex(p)
                        .trim_end_matches('F')
                        .to_string()
                })
            })
            .unwrap_or_default();
        let psn = chip
            .get("5F34")
            .map(crate::codec::encoding::to_hex)
            .unwrap_or_else(|| {
                dec.get(23).map_or_else(
                    || "00".to_string(),
                    |s| s[s.len().saturating_sub(2)..].to_string(),
                )
            });
        Ok(CardChip { chip, pan, psn })
    }

    /// The cryptogram version: the one given, else the one 9F10 names.
    pub fn cvn(&self, given: Option<Cvn>) -> Result<Cvn, String> {
        given
            .or_else(|| self.chip.get("9F10").and_then(Cvn::from_iad))
            .ok_or_else(|| {
                "9F10 does not name a cryptogram version posresp knows; give --cvn".to_string()
            })
    }

    /// The value of tag 91 answering this card's ARQC with the response code `code` (method
    /// 1: its first two characters; method 2: a CSU of zeros, no proprietary data).
    pub fn answer(&self, imk: &Key, given: Option<Cvn>, code: &str) -> Result<Vec<u8>, String> {
        let cvn = self.cvn(given)?;
        let mut arc = [b'0'; 2];
        for (a, c) in arc.iter_mut().zip(code.bytes()) {
            *a = c;
        }
        let card = Card {
            imk,
            pan: &self.pan,
            psn: &self.psn,
        };
        issuer_authentication(&card, &self.chip, cvn, arc, [0; 4], &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encoding::{from_hex, to_hex};

    fn key(h: &str) -> Key {
        Key::from_hex(h).unwrap()
    }

    #[test]
    fn option_a_and_b_master_keys() {
        // EMV Book 2 A1.4: a 16-digit PAN derives the same key either way; a 19-digit one goes
        // through SHA-1 in option B. Values checked against pyemv 1.5 (tools/gen_crypto_vectors.py).
        let imk = key("0123456789ABCDEFFEDCBA9876543210");
        let a = icc_master_key(&imk, "4761739001010010", "00", MkDerivation::OptionA).unwrap();
        let b = icc_master_key(&imk, "4761739001010010", "00", MkDerivation::OptionB).unwrap();
        assert_eq!(a.kcv(), b.kcv());
        let b19 = icc_master_key(&imk, "4761739001010010123", "01", MkDerivation::OptionB).unwrap();
        assert_ne!(a.kcv(), b19.kcv());
        assert!(icc_master_key(&imk, "47617x", "00", MkDerivation::OptionA).is_err());
        assert!(
            icc_master_key(
                &key("0123456789ABCDEF"),
                "4761",
                "00",
                MkDerivation::OptionA
            )
            .is_err()
        );
    }

    #[test]
    fn arpc_method2_example() {
        // The example in pyemv's documentation of ARPC method 2.
        let sk = key("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB");
        let arqc: [u8; 8] = from_hex("1234567890ABCDEF").unwrap().try_into().unwrap();
        assert_eq!(
            to_hex(&arpc_method2(&sk, arqc, [0; 4], &[]).unwrap()),
            "9308BEBC"
        );
    }

    #[test]
    fn cvn_from_issuer_application_data() {
        assert_eq!(
            Cvn::from_iad(&from_hex("06010A03A4A002").unwrap()),
            Some(Cvn::Visa10)
        );
        assert_eq!(
            Cvn::from_iad(&from_hex("06011203A00000").unwrap()),
            Some(Cvn::Visa18)
        );
        let mc = from_hex("0110A00003220000000000000000000000FF").unwrap();
        assert_eq!(Cvn::from_iad(&mc), Some(Cvn::Mastercard16));
        assert_eq!(Cvn::from_iad(&[0x01, 0x02]), None);
        for c in Cvn::ALL {
            assert_eq!(Cvn::parse(c.name()), Some(c));
        }
    }
}
