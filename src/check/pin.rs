//! PIN blocks of ISO 9564-1: formats 0 (ANSI X9.8), 1, 2 and 3 (8-byte blocks, enciphered
//! with DES or triple DES) and format 4 (16-byte blocks, enciphered with AES).
//!
//! - Format 0: PIN field `0 N P…P F…F` XOR PAN field `0000` + the 12 rightmost PAN digits
//!   without the check digit.
//! - Format 1: `1 N P…P` + random fill nibbles; no PAN.
//! - Format 2: `2 N P…P F…F`; no PAN, not enciphered (chip cards' offline PIN).
//! - Format 3: as format 0 with fill nibbles chosen at random from A to F.
//! - Format 4: PIN field `4 N P…P A…A` (8 bytes) + 8 random bytes; PAN field `M` (PAN length
//!   − 12, 0 for 12 digits or fewer) + the PAN (left-padded with zeros to 12 digits) + zeros;
//!   enciphered block = E(E(PIN field) XOR PAN field).
//!
//! A decoded PIN is held in [`Pin`], whose `Debug` hides the digits; errors never quote them.

use rand::RngExt;

use super::Key;
use super::aes::AesKey;

/// An ISO 9564-1 PIN block format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Iso0,
    Iso1,
    Iso2,
    Iso3,
    Iso4,
}

impl Format {
    /// From `0`…`4`, `iso0`…`iso4` or `iso-0`….
    pub fn parse(s: &str) -> Option<Format> {
        let t = s.trim().to_ascii_lowercase();
        let t = t
            .trim_start_matches("iso")
            .trim_start_matches(['-', '_', ' ']);
        Some(match t {
            "0" => Format::Iso0,
            "1" => Format::Iso1,
            "2" => Format::Iso2,
            "3" => Format::Iso3,
            "4" => Format::Iso4,
            _ => return None,
        })
    }

    /// The control nibble (0–4).
    pub fn number(self) -> u8 {
        match self {
            Format::Iso0 => 0,
            Format::Iso1 => 1,
            Format::Iso2 => 2,
            Format::Iso3 => 3,
            Format::Iso4 => 4,
        }
    }

    /// Whether the block binds the PAN (0, 3, 4).
    pub fn uses_pan(self) -> bool {
        matches!(self, Format::Iso0 | Format::Iso3 | Format::Iso4)
    }

    /// Block length in bytes: 8, or 16 for format 4.
    pub fn block_len(self) -> usize {
        if self == Format::Iso4 { 16 } else { 8 }
    }
}

/// A PIN taken out of a block. The digits are not shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin {
    pub format: Format,
    digits: String,
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Pin(ISO {}, {} digits, hidden)",
            self.format.number(),
            self.digits.len()
        )
    }
}

impl Pin {
    /// How many digits the PIN has.
    pub fn len(&self) -> usize {
        self.digits.len()
    }

    /// Never true: a PIN has 4 to 12 digits.
    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    /// The digits, for an explicit request to show them (`--unmask --show-pin`) or to build
    /// another block.
    pub fn reveal(&self) -> &str {
        &self.digits
    }
}

/// A key under which PIN blocks are enciphered.
#[derive(Debug, Clone)]
pub enum PinKey {
    Tdes(Key),
    Aes(AesKey),
}

impl PinKey {
    /// A key for `format` from hex: AES for format 4, DES or triple DES otherwise.
    pub fn from_hex(text: &str, format: Format) -> Result<PinKey, String> {
        if format == Format::Iso4 {
            AesKey::from_hex(text)
                .map(PinKey::Aes)
                .map_err(|e| format!("format 4 needs an AES key: {e}"))
        } else {
            Key::from_hex(text)
                .map(PinKey::Tdes)
                .map_err(|e| format!("formats 0-3 need a DES or triple-DES key: {e}"))
        }
    }
}

fn check_pin(pin: &str) -> Result<(), String> {
    if !(4..=12).contains(&pin.len()) {
        return Err(format!("a PIN has 4 to 12 digits, not {}", pin.len()));
    }
    if let Some(i) = pin.bytes().position(|b| !b.is_ascii_digit()) {
        return Err(format!("PIN character {} is not a digit", i + 1));
    }
    Ok(())
}

fn digits_only(pan: &str) -> Result<&str, String> {
    let pan = pan.trim();
    if let Some(i) = pan.bytes().position(|b| !b.is_ascii_digit()) {
        return Err(format!("PAN character {} is not a digit", i + 1));
    }
    Ok(pan)
}

/// The 8-byte PAN field of formats 0 and 3.
fn pan_field_8(pan: &str) -> Result<[u8; 8], String> {
    let pan = digits_only(pan)?;
    if pan.len() < 13 {
        return Err(format!(
            "formats 0 and 3 need a PAN of 13 digits or more, not {}",
            pan.len()
        ));
    }
    let twelve = &pan[pan.len() - 13..pan.len() - 1];
    let v =
        crate::codec::encoding::from_hex(&format!("0000{twelve}")).map_err(|e| e.to_string())?;
    let mut out = [0u8; 8];
    out.copy_from_slice(&v);
    Ok(out)
}

/// The 16-byte PAN field of format 4.
fn pan_field_16(pan: &str) -> Result<[u8; 16], String> {
    let pan = digits_only(pan)?;
    if pan.is_empty() || pan.len() > 19 {
        return Err(format!("a PAN has 1 to 19 digits, not {}", pan.len()));
    }
    let m = pan.len().saturating_sub(12);
    let text = format!("{m}{pan:0>12}");
    let text = format!("{text:0<32}");
    let v = crate::codec::encoding::from_hex(&text).map_err(|e| e.to_string())?;
    let mut out = [0u8; 16];
    out.copy_from_slice(&v);
    Ok(out)
}

fn nibbles_to_bytes(n: &[u8]) -> Vec<u8> {
    n.chunks(2).map(|p| (p[0] << 4) | p[1]).collect()
}

fn xor_into(a: &mut [u8], b: &[u8]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= y;
    }
}

/// The clear PIN field of `format` for `pin`: 8 bytes (16 for format 4), fill as the
/// format says, random parts from `rng`.
pub fn pin_field(format: Format, pin: &str, rng: &mut impl rand::Rng) -> Result<Vec<u8>, String> {
    check_pin(pin)?;
    let mut n: Vec<u8> = vec![format.number(), pin.len() as u8];
    n.extend(pin.bytes().map(|b| b - b'0'));
    while n.len() < 16 {
        n.push(match format {
            Format::Iso0 | Format::Iso2 => 0xF,
            Format::Iso1 => rng.random_range(0..16u8),
            Format::Iso3 => rng.random_range(0xA..=0xFu8),
            Format::Iso4 => 0xA,
        });
    }
    let mut out = nibbles_to_bytes(&n);
    if format == Format::Iso4 {
        let mut tail = [0u8; 8];
        rng.fill_bytes(&mut tail);
        out.extend_from_slice(&tail);
    }
    Ok(out)
}

/// The clear PIN block of formats 0–3 (8 bytes): the PIN field, XORed with the PAN field for
/// 0 and 3. Format 4 has no clear block (see [`encipher`]).
pub fn clear_block(
    format: Format,
    pin: &str,
    pan: Option<&str>,
    rng: &mut impl rand::Rng,
) -> Result<[u8; 8], String> {
    if format == Format::Iso4 {
        return Err("format 4 has no clear block: it is built while enciphering".into());
    }
    let field = pin_field(format, pin, rng)?;
    let mut out = [0u8; 8];
    out.copy_from_slice(&field);
    if format.uses_pan() {
        let pan = pan.ok_or("formats 0 and 3 need the PAN")?;
        xor_into(&mut out, &pan_field_8(pan)?);
    }
    Ok(out)
}

/// Read a PIN field (nibbles, control first) as `format` says; checks length and fill.
fn read_pin_field(n: &[u8]) -> Result<Pin, String> {
    let format = match n[0] {
        0 => Format::Iso0,
        1 => Format::Iso1,
        2 => Format::Iso2,
        3 => Format::Iso3,
        4 => Format::Iso4,
        c => {
            return Err(format!(
                "control nibble {c:X} is not an ISO 9564-1 format (0-4)"
            ));
        }
    };
    let len = n[1] as usize;
    if !(4..=12).contains(&len) {
        return Err(format!(
            "ISO {} block says its PIN has {len} digits (4 to 12 are allowed): wrong key, PAN or format?",
            format.number()
        ));
    }
    if let Some(i) = n[2..2 + len].iter().position(|&d| d > 9) {
        return Err(format!(
            "ISO {} block: PIN position {} is not a digit: wrong key, PAN or format?",
            format.number(),
            i + 1
        ));
    }
    let fill = &n[2 + len..16];
    let fill_ok = match format {
        Format::Iso0 | Format::Iso2 => fill.iter().all(|&f| f == 0xF),
        Format::Iso1 => true,
        Format::Iso3 => fill.iter().all(|&f| f >= 0xA),
        Format::Iso4 => fill.iter().all(|&f| f == 0xA),
    };
    if !fill_ok {
        let want = match format {
            Format::Iso3 => "A-F",
            Format::Iso4 => "A",
            _ => "F",
        };
        return Err(format!(
            "ISO {} block: its fill is not {want}: wrong key, PAN or format?",
            format.number()
        ));
    }
    Ok(Pin {
        format,
        digits: n[2..2 + len].iter().map(|d| (b'0' + d) as char).collect(),
    })
}

fn nibbles(b: &[u8]) -> Vec<u8> {
    b.iter().flat_map(|x| [x >> 4, x & 0xF]).collect()
}

/// The PIN of a clear 8-byte block (formats 0–3; the format is its control nibble). `pan` is
/// needed for formats 0 and 3.
pub fn read_clear_block(block: &[u8], pan: Option<&str>) -> Result<Pin, String> {
    if block.len() != 8 {
        return Err(format!(
            "a PIN block of formats 0-3 is 8 bytes, not {}",
            block.len()
        ));
    }
    let mut b = [0u8; 8];
    b.copy_from_slice(block);
    // The control nibble is not changed by the PAN field (its first two bytes are zero).
    let format = block[0] >> 4;
    if format == 0 || format == 3 {
        let pan = pan.ok_or("formats 0 and 3 need the PAN to be read")?;
        xor_into(&mut b, &pan_field_8(pan)?);
    }
    let pin = read_pin_field(&nibbles(&b))?;
    if pin.format == Format::Iso4 {
        return Err("a format 4 block is 16 bytes and enciphered with AES".into());
    }
    Ok(pin)
}

/// The enciphered PIN block of `pin` in `format` under `key` (8 bytes, or 16 for format 4).
/// Format 2 is not enciphered in use; it is enciphered here only because it was asked for.
pub fn encipher(
    format: Format,
    key: &PinKey,
    pin: &str,
    pan: Option<&str>,
    rng: &mut impl rand::Rng,
) -> Result<Vec<u8>, String> {
    match (format, key) {
        (Format::Iso4, PinKey::Aes(k)) => {
            let pan = pan.ok_or("format 4 needs the PAN")?;
            let field = pin_field(format, pin, rng)?;
            let mut a = [0u8; 16];
            a.copy_from_slice(&field);
            k.encrypt(&mut a);
            xor_into(&mut a, &pan_field_16(pan)?);
            k.encrypt(&mut a);
            Ok(a.to_vec())
        }
        (Format::Iso4, PinKey::Tdes(_)) => Err("format 4 is enciphered with AES, not DES".into()),
        (_, PinKey::Aes(_)) => Err(format!(
            "format {} is enciphered with DES or triple DES, not AES",
            format.number()
        )),
        (_, PinKey::Tdes(k)) => {
            let mut b = clear_block(format, pin, pan, rng)?;
            k.encrypt(&mut b);
            Ok(b.to_vec())
        }
    }
}

/// The PIN of an enciphered block under `key`: an 8-byte block of formats 0–3 (DES or
/// triple DES key) or a 16-byte format 4 block (AES key).
pub fn decipher(key: &PinKey, block: &[u8], pan: Option<&str>) -> Result<Pin, String> {
    match key {
        PinKey::Tdes(k) => {
            if block.len() != 8 {
                return Err(format!(
                    "a PIN block under a DES key is 8 bytes, not {}",
                    block.len()
                ));
            }
            let mut b = [0u8; 8];
            b.copy_from_slice(block);
            k.decrypt(&mut b);
            read_clear_block(&b, pan)
        }
        PinKey::Aes(k) => {
            if block.len() != 16 {
                return Err(format!(
                    "a format 4 PIN block is 16 bytes, not {}",
                    block.len()
                ));
            }
            let pan = pan.ok_or("format 4 needs the PAN")?;
            let mut b = [0u8; 16];
            b.copy_from_slice(block);
            k.decrypt(&mut b);
            xor_into(&mut b, &pan_field_16(pan)?);
            k.decrypt(&mut b);
            let pin = read_pin_field(&nibbles(&b))?;
            if pin.format != Format::Iso4 {
                return Err(format!(
                    "deciphered under the AES key, the block is not format 4 (control {}): wrong key or PAN?",
                    pin.format.number()
                ));
            }
            Ok(pin)
        }
    }
}

/// A block under `from` re-enciphered under `to` in `format` (the PIN itself never leaves).
pub fn translate(
    from: &PinKey,
    block: &[u8],
    pan: Option<&str>,
    to: &PinKey,
    format: Format,
    rng: &mut impl rand::Rng,
) -> Result<Vec<u8>, String> {
    let pin = decipher(from, block, pan)?;
    encipher(format, to, pin.reveal(), pan, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encoding::{from_hex, to_hex};

    fn rng() -> rand_chacha::ChaCha8Rng {
        use rand::SeedableRng;
        rand_chacha::ChaCha8Rng::seed_from_u64(7)
    }

    #[test]
    fn format_0_published_vector() {
        // ANSI X9.8 / the psec documentation: PIN 1234, PAN 5544332211009966.
        let b = clear_block(Format::Iso0, "1234", Some("5544332211009966"), &mut rng()).unwrap();
        assert_eq!(to_hex(&b), "041277CDDEEFF669");
        let pin = read_clear_block(&b, Some("5544332211009966")).unwrap();
        assert_eq!((pin.format, pin.reveal()), (Format::Iso0, "1234"));
        assert_eq!(format!("{pin:?}"), "Pin(ISO 0, 4 digits, hidden)");
    }

    #[test]
    fn formats_1_2_3_round_trip_and_keep_their_fill() {
        let mut r = rng();
        for f in [Format::Iso1, Format::Iso2, Format::Iso3] {
            let b = clear_block(f, "987654", Some("4761739001010119"), &mut r).unwrap();
            assert_eq!(b[0] >> 4, f.number());
            let pin = read_clear_block(&b, Some("4761739001010119")).unwrap();
            assert_eq!((pin.format, pin.reveal()), (f, "987654"));
        }
        // Format 3 fill is A-F: the clear PIN field (before the PAN) ends in A-F nibbles.
        let field = pin_field(Format::Iso3, "1234", &mut r).unwrap();
        assert!(nibbles(&field)[6..].iter().all(|&n| n >= 0xA));
    }

    #[test]
    fn format_4_fields_and_round_trip() {
        // The PIN and PAN fields of ISO 9564-1 format 4 (as in psec's documentation).
        let field = pin_field(Format::Iso4, "1234", &mut rng()).unwrap();
        assert_eq!(to_hex(&field[..8]), "441234AAAAAAAAAA");
        assert_eq!(
            to_hex(&pan_field_16("1122334455667788990").unwrap()),
            "71122334455667788990000000000000"
        );
        assert_eq!(
            to_hex(&pan_field_16("12345").unwrap()),
            "00000000123450000000000000000000"
        );
        let key = PinKey::from_hex("00112233445566778899AABBCCDDEEFF", Format::Iso4).unwrap();
        let block = encipher(
            Format::Iso4,
            &key,
            "1234",
            Some("1234567890123456789"),
            &mut rng(),
        )
        .unwrap();
        assert_eq!(block.len(), 16);
        let pin = decipher(&key, &block, Some("1234567890123456789")).unwrap();
        assert_eq!(pin.reveal(), "1234");
        // The PAN is bound: another PAN does not give the PIN back.
        assert!(decipher(&key, &block, Some("1234567890123456780")).is_err());
    }

    #[test]
    fn enciphered_format_0_and_translation() {
        let zpk = PinKey::from_hex("0123456789ABCDEFFEDCBA9876543210", Format::Iso0).unwrap();
        let pan = Some("5544332211009966");
        let block = encipher(Format::Iso0, &zpk, "1234", pan, &mut rng()).unwrap();
        let mut clear: [u8; 8] = block.clone().try_into().unwrap();
        let PinKey::Tdes(k) = &zpk else {
            unreachable!()
        };
        k.decrypt(&mut clear);
        assert_eq!(to_hex(&clear), "041277CDDEEFF669");
        let aes = PinKey::from_hex("2b7e151628aed2a6abf7158809cf4f3c", Format::Iso4).unwrap();
        let moved = translate(&zpk, &block, pan, &aes, Format::Iso4, &mut rng()).unwrap();
        assert_eq!(decipher(&aes, &moved, pan).unwrap().reveal(), "1234");
    }

    #[test]
    fn errors_never_quote_the_pin() {
        let e =
            clear_block(Format::Iso0, "12a45", Some("5544332211009966"), &mut rng()).unwrap_err();
        assert_eq!(e, "PIN character 3 is not a digit");
        assert!(!e.contains("12a45"));
        assert!(clear_block(Format::Iso0, "123", Some("5544332211009966"), &mut rng()).is_err());
        // A wrong PAN gives a bad fill, said without digits.
        let b = from_hex("041277CDDEEFF669").unwrap();
        let e = read_clear_block(&b, Some("4761739001010119")).unwrap_err();
        assert!(e.contains("wrong key, PAN or format"), "{e}");
        assert!(!e.contains("1234"));
        assert_eq!(Format::parse("ISO-3"), Some(Format::Iso3));
        assert_eq!(Format::parse("iso4"), Some(Format::Iso4));
        assert_eq!(Format::parse("5"), None);
    }
}
