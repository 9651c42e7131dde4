//! AES keys (RustCrypto `aes`), CMAC (NIST SP 800-38B = ISO/IEC 9797-1 MAC algorithm 5,
//! RustCrypto `cmac`) for AES and triple DES, and key check values: the AES KCV of ANSI X9.24-3
//! (the CMAC of a zero block) and the older "encrypt a zero block" KCV.

use aes::cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::{Aes128, Aes192, Aes256};
use cmac::{Cmac, Mac};

use super::{Cipher, Key, KeyError};

/// An AES key: 16, 24 or 32 bytes.
#[derive(Clone)]
pub enum AesKey {
    A128(Box<Aes128>, [u8; 16]),
    A192(Box<Aes192>, [u8; 24]),
    A256(Box<Aes256>, [u8; 32]),
}

impl std::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(f, "AesKey(AES-{}, hidden)", self.bits())
    }
}

impl AesKey {
    /// A key from raw bytes.
    pub fn from_bytes(k: &[u8]) -> Result<AesKey, KeyError> {
        Ok(match k.len() {
            16 => {
                let b: [u8; 16] = k.try_into().unwrap_or_default();
                AesKey::A128(Box::new(Aes128::new(&Array::from(b))), b)
            }
            24 => {
                let b: [u8; 24] = k.try_into().unwrap_or([0; 24]);
                AesKey::A192(Box::new(Aes192::new(&Array::from(b))), b)
            }
            32 => {
                let b: [u8; 32] = k.try_into().unwrap_or_default();
                AesKey::A256(Box::new(Aes256::new(&Array::from(b))), b)
            }
            n => {
                return Err(KeyError(format!(
                    "an AES key is 16, 24 or 32 bytes (32, 48 or 64 hex digits), not {n} bytes"
                )));
            }
        })
    }

    /// A key from hex text (spaces ignored).
    pub fn from_hex(text: &str) -> Result<AesKey, KeyError> {
        AesKey::from_bytes(&super::key_bytes(text)?)
    }

    /// 128, 192 or 256.
    pub fn bits(&self) -> usize {
        match self {
            AesKey::A128(..) => 128,
            AesKey::A192(..) => 192,
            AesKey::A256(..) => 256,
        }
    }

    /// Encrypt one 16-byte block (ECB).
    pub fn encrypt(&self, block: &mut [u8; 16]) {
        let mut b = Array::from(*block);
        match self {
            AesKey::A128(k, _) => k.encrypt_block(&mut b),
            AesKey::A192(k, _) => k.encrypt_block(&mut b),
            AesKey::A256(k, _) => k.encrypt_block(&mut b),
        }
        *block = b.into();
    }

    /// Decrypt one 16-byte block (ECB).
    pub fn decrypt(&self, block: &mut [u8; 16]) {
        let mut b = Array::from(*block);
        match self {
            AesKey::A128(k, _) => k.decrypt_block(&mut b),
            AesKey::A192(k, _) => k.decrypt_block(&mut b),
            AesKey::A256(k, _) => k.decrypt_block(&mut b),
        }
        *block = b.into();
    }

    /// AES-CMAC of `data` (16 bytes).
    pub fn cmac(&self, data: &[u8]) -> [u8; 16] {
        fn run<C: aes::cipher::BlockCipherEncrypt + Clone + cmac::block_api::CmacCipher>(
            c: &C,
            data: &[u8],
        ) -> [u8; 16]
        where
            Cmac<C>: Mac + digest_init::InnerInit<Inner = C>,
        {
            let mut m = <Cmac<C> as digest_init::InnerInit>::inner_init(c.clone());
            m.update(data);
            let out = m.finalize().into_bytes();
            let mut r = [0u8; 16];
            r.copy_from_slice(&out[..16]);
            r
        }
        match self {
            AesKey::A128(k, _) => run(&**k, data),
            AesKey::A192(k, _) => run(&**k, data),
            AesKey::A256(k, _) => run(&**k, data),
        }
    }

    /// Key check value as ANSI X9.24-3 defines it for AES: the leftmost bytes of the CMAC of
    /// a zero block (5 bytes; 3 are commonly shown).
    pub fn kcv_cmac(&self) -> [u8; 5] {
        let c = self.cmac(&[0u8; 16]);
        [c[0], c[1], c[2], c[3], c[4]]
    }

    /// The older AES check value: a zero block encrypted (first 3 bytes are commonly shown).
    pub fn kcv_ecb(&self) -> [u8; 5] {
        let mut z = [0u8; 16];
        self.encrypt(&mut z);
        [z[0], z[1], z[2], z[3], z[4]]
    }
}

/// The trait that builds a MAC from a cipher instance already keyed.
mod digest_init {
    pub use cmac::digest::InnerInit;
}

/// Triple-DES CMAC (ISO/IEC 9797-1 algorithm 5 with a 64-bit block cipher) of `data`; 8
/// bytes. A single-DES key is refused (CMAC over single DES is not used in payments).
pub fn tdes_cmac(key: &Key, data: &[u8]) -> Result<[u8; 8], KeyError> {
    use digest_init::InnerInit;
    let out = match &key.cipher {
        Cipher::Single(_) => {
            return Err(KeyError(
                "a triple-DES CMAC needs a double- or triple-length key".into(),
            ));
        }
        Cipher::Double(k, _, _) => {
            let mut m = <Cmac<des::TdesEde2> as InnerInit>::inner_init((**k).clone());
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Cipher::Triple(k) => {
            let mut m = <Cmac<des::TdesEde3> as InnerInit>::inner_init((**k).clone());
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
    };
    let mut r = [0u8; 8];
    r.copy_from_slice(&out[..8]);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encoding::{from_hex, to_hex};

    #[test]
    fn aes_cmac_nist_sp800_38b_vectors() {
        // NIST SP 800-38B, appendix D.1 (AES-128): the empty message and one block.
        let k = AesKey::from_hex("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        assert_eq!(to_hex(&k.cmac(&[])), "BB1D6929E95937287FA37D129B756746");
        let m = from_hex("6bc1bee22e409f96e93d7e117393172a").unwrap();
        assert_eq!(to_hex(&k.cmac(&m)), "070A16B46B4D4144F79BDD9DD04A287C");
        // D.3 (AES-256), one block.
        let k =
            AesKey::from_hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
                .unwrap();
        assert_eq!(to_hex(&k.cmac(&m)), "28A7023F452E8F82BD4BF28D8C37C35C");
    }

    #[test]
    fn tdes_cmac_nist_vector() {
        // NIST SP 800-38B, appendix D.4 (three-key TDEA), 64-bit message.
        let k = Key::from_hex("8aa83bf8cbda10620bc1bf19fbb6cd58bc313d4a371ca8b5").unwrap();
        let m = from_hex("6bc1bee22e409f96").unwrap();
        assert_eq!(to_hex(&tdes_cmac(&k, &m).unwrap()), "8E8F293136283797");
        assert!(tdes_cmac(&Key::from_hex("0123456789abcdef").unwrap(), &m).is_err());
    }

    #[test]
    fn aes_key_errors_and_debug_hide_the_key() {
        let e = AesKey::from_hex("0011").unwrap_err();
        assert!(e.0.contains("16, 24 or 32 bytes"), "{e}");
        let k = AesKey::from_hex("2b7e151628aed2a6abf7158809cf4f3c").unwrap();
        assert_eq!(format!("{k:?}"), "AesKey(AES-128, hidden)");
        let mut b = [0u8; 16];
        k.encrypt(&mut b);
        k.decrypt(&mut b);
        assert_eq!(b, [0u8; 16]);
    }
}
