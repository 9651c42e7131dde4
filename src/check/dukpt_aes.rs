//! AES DUKPT (ANSI X9.24-3:2017): the initial key from the BDK and the initial key ID, the
//! transaction-originating key for a 32-bit counter, and the working keys (PIN, MAC, data,
//! key encryption) derived from it.
//!
//! Every derivation is one or two AES-ECB encryptions, under the deriving key, of 16 bytes:
//! version 01, block counter, key usage (2 bytes), algorithm (2), length in bits (2), and 8
//! bytes that are the initial key ID (for the initial key) or the last 4 bytes of the initial
//! key ID followed by the counter.

use super::KeyError;
use super::aes::AesKey;

/// The type (and length) of a derived key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Tdes2,
    Tdes3,
    Aes128,
    Aes192,
    Aes256,
}

impl KeyType {
    fn indicator(self) -> u16 {
        match self {
            KeyType::Tdes2 => 0,
            KeyType::Tdes3 => 1,
            KeyType::Aes128 => 2,
            KeyType::Aes192 => 3,
            KeyType::Aes256 => 4,
        }
    }

    /// Length in bits.
    pub fn bits(self) -> u16 {
        match self {
            KeyType::Tdes2 | KeyType::Aes128 => 128,
            KeyType::Tdes3 | KeyType::Aes192 => 192,
            KeyType::Aes256 => 256,
        }
    }

    /// The AES type of a key of `len` bytes.
    pub fn aes_of_len(len: usize) -> Option<KeyType> {
        match len {
            16 => Some(KeyType::Aes128),
            24 => Some(KeyType::Aes192),
            32 => Some(KeyType::Aes256),
            _ => None,
        }
    }

    /// From a command-line name: `aes128`, `aes192`, `aes256`, `2tdea`, `3tdea`.
    pub fn parse(s: &str) -> Option<KeyType> {
        match s {
            "aes128" => Some(KeyType::Aes128),
            "aes192" => Some(KeyType::Aes192),
            "aes256" => Some(KeyType::Aes256),
            "2tdea" => Some(KeyType::Tdes2),
            "3tdea" => Some(KeyType::Tdes3),
            _ => None,
        }
    }
}

/// What a working key is for (X9.24-3 table 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    KeyEncryption,
    Pin,
    MacGeneration,
    MacVerification,
    MacBoth,
    DataEncrypt,
    DataDecrypt,
    DataBoth,
}

impl Usage {
    fn indicator(self) -> u16 {
        match self {
            Usage::KeyEncryption => 0x0002,
            Usage::Pin => 0x1000,
            Usage::MacGeneration => 0x2000,
            Usage::MacVerification => 0x2001,
            Usage::MacBoth => 0x2002,
            Usage::DataEncrypt => 0x3000,
            Usage::DataDecrypt => 0x3001,
            Usage::DataBoth => 0x3002,
        }
    }

    /// From a command-line name.
    pub fn parse(s: &str) -> Option<Usage> {
        Some(match s {
            "kek" => Usage::KeyEncryption,
            "pin" => Usage::Pin,
            "mac" => Usage::MacGeneration,
            "mac-verify" => Usage::MacVerification,
            "mac-both" => Usage::MacBoth,
            "data" => Usage::DataEncrypt,
            "data-decrypt" => Usage::DataDecrypt,
            "data-both" => Usage::DataBoth,
            _ => return None,
        })
    }
}

const DERIVATION: u16 = 0x8000;
const INITIAL_KEY: u16 = 0x8001;

/// A 12-byte AES DUKPT key serial number: the initial key ID (8 bytes) and the counter (4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ksn(pub [u8; 12]);

impl Ksn {
    /// A KSN from 24 hex digits.
    pub fn from_hex(text: &str) -> Result<Ksn, String> {
        let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let b = crate::codec::encoding::from_hex(&clean)
            .map_err(|_| "the KSN is not hex".to_string())?;
        let k: [u8; 12] = b.try_into().map_err(|_| {
            format!(
                "an AES DUKPT KSN is 12 bytes (24 hex digits), not {} digits",
                clean.len()
            )
        })?;
        Ok(Ksn(k))
    }

    /// The initial key ID (BDK ID and derivation ID).
    pub fn ikid(&self) -> [u8; 8] {
        let mut i = [0u8; 8];
        i.copy_from_slice(&self.0[..8]);
        i
    }

    /// The transaction counter.
    pub fn counter(&self) -> u32 {
        u32::from_be_bytes([self.0[8], self.0[9], self.0[10], self.0[11]])
    }
}

fn derive(key: &[u8], usage: u16, out: KeyType, tail: [u8; 8]) -> Result<Vec<u8>, KeyError> {
    let k = AesKey::from_bytes(key)?;
    let bits = out.bits();
    let mut v = Vec::with_capacity(32);
    for block in 1..=bits.div_ceil(128) as u8 {
        let mut d = [0u8; 16];
        d[0] = 1;
        d[1] = block;
        d[2..4].copy_from_slice(&usage.to_be_bytes());
        d[4..6].copy_from_slice(&out.indicator().to_be_bytes());
        d[6..8].copy_from_slice(&bits.to_be_bytes());
        d[8..].copy_from_slice(&tail);
        k.encrypt(&mut d);
        v.extend_from_slice(&d);
    }
    v.truncate(bits as usize / 8);
    Ok(v)
}

fn kind_of(key: &[u8]) -> Result<KeyType, KeyError> {
    KeyType::aes_of_len(key.len()).ok_or_else(|| {
        KeyError(format!(
            "an AES DUKPT key is 16, 24 or 32 bytes, not {}",
            key.len()
        ))
    })
}

/// The initial key (IK) of a device from the BDK and its initial key ID.
pub fn initial_key(bdk: &[u8], ikid: [u8; 8]) -> Result<Vec<u8>, KeyError> {
    derive(bdk, INITIAL_KEY, kind_of(bdk)?, ikid)
}

/// The transaction-originating key for the KSN's counter, from the initial key: one
/// derivation per one bit of the counter, from the highest.
pub fn transaction_key(ik: &[u8], ksn: &Ksn) -> Result<Vec<u8>, KeyError> {
    let kind = kind_of(ik)?;
    let counter = ksn.counter();
    if counter == 0 {
        return Err(KeyError(
            "the KSN's counter is 0: a device's first transaction has counter 1".into(),
        ));
    }
    if counter.count_ones() > 16 {
        return Err(KeyError(format!(
            "the KSN's counter {counter:#x} has {} one bits; X9.24-3 allows at most 16",
            counter.count_ones()
        )));
    }
    let id = ksn.ikid();
    let mut key = ik.to_vec();
    let mut working = 0u32;
    for bit in (0..32).rev() {
        let b = 1u32 << bit;
        if counter & b != 0 {
            working |= b;
            let mut tail = [0u8; 8];
            tail[..4].copy_from_slice(&id[4..]);
            tail[4..].copy_from_slice(&working.to_be_bytes());
            key = derive(&key, DERIVATION, kind, tail)?;
        }
    }
    Ok(key)
}

/// A working key of `usage` and type `out` from the transaction-originating key.
pub fn working_key(txn: &[u8], ksn: &Ksn, usage: Usage, out: KeyType) -> Result<Vec<u8>, KeyError> {
    let id = ksn.ikid();
    let mut tail = [0u8; 8];
    tail[..4].copy_from_slice(&id[4..]);
    tail[4..].copy_from_slice(&ksn.counter().to_be_bytes());
    derive(txn, usage.indicator(), out, tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encoding::{from_hex, to_hex};

    #[test]
    fn x9_24_3_2017_supplement_vectors() {
        // ANSI X9.24-3:2017 supplement test vectors (as quoted in openemv/dukpt's tests):
        // BDK FEDCBA9876543210F1F1F1F1F1F1F1F1, initial key ID 1234567890123456.
        let bdk = from_hex("FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap();
        let ikid: [u8; 8] = from_hex("1234567890123456").unwrap().try_into().unwrap();
        let ik = initial_key(&bdk, ikid).unwrap();
        assert_eq!(to_hex(&ik), "1273671EA26AC29AFA4D1084127652A1");
        for (counter, key) in [
            ("00000001", "4F21B565BAD9835E112B6465635EAE44"),
            ("00000008", "718EE6CF0B27E53D5F7AF99C4D8146A2"),
            ("0001FFFE", "E21E8C8D347F8561A2BE752DAA85A111"),
            ("00020001", "692C8EA4013645135B36497131DF9D2C"),
            ("FFFF0000", "F6BA59389BD14A9855BE9727E7C52E3C"),
        ] {
            let ksn = Ksn::from_hex(&format!("1234567890123456{counter}")).unwrap();
            assert_eq!(
                to_hex(&transaction_key(&ik, &ksn).unwrap()),
                key,
                "{counter}"
            );
        }
        // The working keys of counter 1 and 8 (supplement section 2.2).
        let k1 = Ksn::from_hex("123456789012345600000001").unwrap();
        let t1 = transaction_key(&ik, &k1).unwrap();
        for (usage, key) in [
            (Usage::Pin, "AF8CB133A78F8DC2D1359F18527593FB"),
            (Usage::MacGeneration, "A2DC23DE6FDE0824A2BC321E08E4B8B7"),
            (Usage::MacVerification, "DBB463945B286C07CD3AD82EE96FD9C9"),
            (Usage::MacBoth, "85675439D18D7F1158BD8E3EAA3D502B"),
            (Usage::DataEncrypt, "A35C412EFD41FDB98B69797C02DCD08F"),
            (Usage::DataDecrypt, "16292C6EA8F64C5420A0584BFBC577BE"),
            (Usage::DataBoth, "A308E080DD15A1B741F1721BF67DE11C"),
            (Usage::KeyEncryption, "36A724B7BEFA5A25F5E7B5782A4554A2"),
        ] {
            let w = working_key(&t1, &k1, usage, KeyType::Aes128).unwrap();
            assert_eq!(to_hex(&w), key, "{usage:?}");
        }
        let k8 = Ksn::from_hex("123456789012345600000008").unwrap();
        let t8 = transaction_key(&ik, &k8).unwrap();
        assert_eq!(
            to_hex(&working_key(&t8, &k8, Usage::Pin, KeyType::Aes128).unwrap()),
            "4D9DF3FBEE3448FC3E676D04320A90F5"
        );
        // AES-256: two blocks per key.
        let bdk =
            from_hex("FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1").unwrap();
        let ik = initial_key(&bdk, ikid).unwrap();
        assert_eq!(
            to_hex(&ik),
            "CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F"
        );
        let ksn = Ksn::from_hex("123456789012345600000001").unwrap();
        assert_eq!(
            to_hex(&transaction_key(&ik, &ksn).unwrap()),
            "54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3"
        );
        let ksn = Ksn::from_hex("1234567890123456FFFF0000").unwrap();
        assert_eq!(
            to_hex(&transaction_key(&ik, &ksn).unwrap()),
            "6D6DB7AAAE8B3EA90E57A39E4BBA71E173B21B446B30A78D64BFC6A8806C55EE"
        );
    }

    #[test]
    fn counters_out_of_range_are_refused() {
        let ik = [0u8; 16];
        let zero = Ksn::from_hex("123456789012345600000000").unwrap();
        assert!(
            transaction_key(&ik, &zero)
                .unwrap_err()
                .0
                .contains("counter is 0")
        );
        let many = Ksn::from_hex("12345678901234560001FFFF").unwrap();
        assert!(
            transaction_key(&ik, &many)
                .unwrap_err()
                .0
                .contains("17 one bits")
        );
        assert!(Ksn::from_hex("FFFF9876543210E00001").is_err());
    }
}
