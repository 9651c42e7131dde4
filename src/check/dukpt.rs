//! DUKPT (derived unique key per transaction) with triple DES, as ANSI X9.24-1:2009 defines
//! it: the initial key (IPEK) from the base derivation key (BDK) and the key serial number
//! (KSN), the transaction key of a KSN by the non-reversible key generation process over the
//! set bits of its 21-bit transaction counter, and the key variants each use takes.
//!
//! Keys here are 16-byte double-length keys; the KSN is 10 bytes (20 hex digits): key set id,
//! device id and the counter in its rightmost 21 bits.

use des::cipher::{Array, BlockCipherEncrypt, KeyInit};
use des::{Des, TdesEde2};

/// Masks the BDK and the key register with for the right halves (X9.24-1 `C0C0C0C0 00000000`).
const KEY_MASK: [u8; 16] = [
    0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0, 0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0,
];

/// What a derived key is used for; each takes its variant of the transaction key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// PIN encryption (variant `00000000000000FF` on both halves).
    Pin,
    /// MAC of a request (`000000000000FF00`).
    MacRequest,
    /// MAC of a response (`00000000FF000000`).
    MacResponse,
    /// Data encryption, request (`0000000000FF0000`, then the key encrypted under itself).
    DataRequest,
    /// Data encryption, response (`000000FF00000000`, then likewise).
    DataResponse,
}

impl Usage {
    /// From `pin`, `mac` (request), `mac-response`, `data`, `data-response`.
    pub fn parse(s: &str) -> Option<Usage> {
        Some(match s {
            "pin" => Usage::Pin,
            "mac" | "mac-request" => Usage::MacRequest,
            "mac-response" => Usage::MacResponse,
            "data" | "data-request" => Usage::DataRequest,
            "data-response" => Usage::DataResponse,
            _ => return None,
        })
    }
}

/// A key serial number: 10 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ksn(pub [u8; 10]);

impl Ksn {
    /// From 20 hex digits (spaces ignored).
    pub fn from_hex(text: &str) -> Result<Ksn, String> {
        let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let b = crate::codec::encoding::from_hex(&clean)
            .map_err(|_| "a KSN is hex digits".to_string())?;
        let arr: [u8; 10] = b
            .as_slice()
            .try_into()
            .map_err(|_| format!("a KSN is 10 bytes (20 hex digits), not {}", b.len()))?;
        Ok(Ksn(arr))
    }

    /// The transaction counter: the rightmost 21 bits.
    pub fn counter(&self) -> u32 {
        let k = &self.0;
        (u32::from(k[7] & 0x1F) << 16) | (u32::from(k[8]) << 8) | u32::from(k[9])
    }

    /// The KSN with its counter cleared (the initial KSN).
    pub fn initial(&self) -> Ksn {
        let mut k = self.0;
        k[7] &= 0xE0;
        k[8] = 0;
        k[9] = 0;
        Ksn(k)
    }
}

fn des_encrypt(key: &[u8], block: &mut [u8; 8]) {
    let d = Des::new(&Array::try_from(key).unwrap_or_default());
    let mut b = Array::from(*block);
    d.encrypt_block(&mut b);
    *block = b.into();
}

fn tdes_encrypt(key: &[u8; 16], block: &mut [u8; 8]) {
    let d = TdesEde2::new(&Array::from(*key));
    let mut b = Array::from(*block);
    d.encrypt_block(&mut b);
    *block = b.into();
}

fn xor<const N: usize>(a: &[u8; N], b: &[u8; N]) -> [u8; N] {
    let mut out = *a;
    for (x, y) in out.iter_mut().zip(b) {
        *x ^= y;
    }
    out
}

/// The initial PIN encryption key (IPEK) of the device `ksn` names, from the BDK.
pub fn ipek(bdk: &[u8; 16], ksn: &Ksn) -> [u8; 16] {
    let init = ksn.initial().0;
    let mut left: [u8; 8] = init[..8].try_into().unwrap_or_default();
    let mut right = left;
    tdes_encrypt(bdk, &mut left);
    tdes_encrypt(&xor(bdk, &KEY_MASK), &mut right);
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&left);
    out[8..].copy_from_slice(&right);
    out
}

/// The non-reversible key generation process: a new key from `key` and the KSN register.
fn nrkgp(key: &[u8; 16], reg: &[u8; 8]) -> [u8; 16] {
    let half = |k: &[u8; 16]| -> [u8; 8] {
        let (l, r) = (&k[..8], &k[8..]);
        let mut m: [u8; 8] = std::array::from_fn(|i| reg[i] ^ r[i]);
        des_encrypt(l, &mut m);
        std::array::from_fn(|i| m[i] ^ r[i])
    };
    let right = half(key);
    let left = half(&xor(key, &KEY_MASK));
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&left);
    out[8..].copy_from_slice(&right);
    out
}

/// The transaction key of `ksn` from the device's IPEK: one step per set counter bit, from
/// the highest.
pub fn transaction_key(ipek: &[u8; 16], ksn: &Ksn) -> [u8; 16] {
    let counter = ksn.counter();
    let mut reg: [u8; 8] = ksn.initial().0[2..].try_into().unwrap_or_default();
    let mut key = *ipek;
    for bit in (0..21).rev() {
        let b = 1u32 << bit;
        if counter & b != 0 {
            reg[5] |= (b >> 16) as u8;
            reg[6] |= (b >> 8) as u8;
            reg[7] |= b as u8;
            key = nrkgp(&key, &reg);
        }
    }
    key
}

/// The key for `usage` from a transaction key.
pub fn usage_key(key: &[u8; 16], usage: Usage) -> [u8; 16] {
    let v: [u8; 8] = match usage {
        Usage::Pin => [0, 0, 0, 0, 0, 0, 0, 0xFF],
        Usage::MacRequest => [0, 0, 0, 0, 0, 0, 0xFF, 0],
        Usage::MacResponse => [0, 0, 0, 0, 0xFF, 0, 0, 0],
        Usage::DataRequest => [0, 0, 0, 0, 0, 0xFF, 0, 0],
        Usage::DataResponse => [0, 0, 0, 0xFF, 0, 0, 0, 0],
    };
    let mut mask = [0u8; 16];
    mask[..8].copy_from_slice(&v);
    mask[8..].copy_from_slice(&v);
    let k = xor(key, &mask);
    if matches!(usage, Usage::DataRequest | Usage::DataResponse) {
        // The data keys are the variant encrypted under itself, half by half.
        let mut l: [u8; 8] = k[..8].try_into().unwrap_or_default();
        let mut r: [u8; 8] = k[8..].try_into().unwrap_or_default();
        tdes_encrypt(&k, &mut l);
        tdes_encrypt(&k, &mut r);
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&l);
        out[8..].copy_from_slice(&r);
        return out;
    }
    k
}

/// The key of `usage` for `ksn`, from the BDK.
pub fn derive(bdk: &[u8; 16], ksn: &Ksn, usage: Usage) -> [u8; 16] {
    usage_key(&transaction_key(&ipek(bdk, ksn), ksn), usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encoding::{from_hex, to_hex};

    fn k16(h: &str) -> [u8; 16] {
        from_hex(h).unwrap().try_into().unwrap()
    }

    #[test]
    fn ansi_x9_24_1_2009_annex_a_vectors() {
        // The BDK and KSN of the standard's worked examples.
        let bdk = k16("0123456789ABCDEFFEDCBA9876543210");
        let ksn = Ksn::from_hex("FFFF9876543210E00000").unwrap();
        assert_eq!(
            to_hex(&ipek(&bdk, &ksn)),
            "6AC292FAA1315B4D858AB3A3D7D5933A"
        );
        // Transaction keys of the first counters (the standard's list; the PyPI `dukpt`
        // 1.0.1 package gives the same), and the PIN variant of the first.
        let ipek = ipek(&bdk, &ksn);
        let tk = |c: &str| to_hex(&transaction_key(&ipek, &Ksn::from_hex(c).unwrap()));
        assert_eq!(
            tk("FFFF9876543210E00001"),
            "042666B49184CFA368DE9628D0397BC9"
        );
        assert_eq!(
            tk("FFFF9876543210E00002"),
            "C46551CEF9FD24B0AA9AD834130D3BC7"
        );
        assert_eq!(
            tk("FFFF9876543210E00003"),
            "0DF3D9422ACA56E547676D07AD6BADFA"
        );
        assert_eq!(
            tk("FFFF9876543210E00010"),
            "59598DCBD9BD94C094165CE453585F57"
        );
        let k1 = Ksn::from_hex("FFFF9876543210E00001").unwrap();
        assert_eq!(
            to_hex(&derive(&bdk, &k1, Usage::Pin)),
            "042666B49184CF5C68DE9628D0397B36"
        );
        assert_eq!(
            to_hex(&derive(&bdk, &k1, Usage::MacRequest)),
            "042666B4918430A368DE9628D03984C9"
        );
        // The data key: its variant encrypted under itself (pycryptodome's TDES agrees).
        assert_eq!(
            to_hex(&derive(&bdk, &k1, Usage::DataRequest)),
            "448D3F076D8304036A55A3D7E0055A78"
        );
        assert_eq!(Ksn::from_hex("FFFF9876543210E00003").unwrap().counter(), 3);
        assert!(Ksn::from_hex("FFFF98").is_err());
    }
}
