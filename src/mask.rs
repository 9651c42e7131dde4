//! Masking of card data. Applied by every output path unless the user asks for `--unmask`.

use std::borrow::Cow;

use crate::codec::Sensitivity;

/// Mask a PAN: first six and last four digits kept when the PAN is long enough.
pub fn mask_pan(pan: &str) -> String {
    let n = pan.chars().count();
    if n >= 13 {
        pan.chars()
            .enumerate()
            .map(|(i, c)| if i < 6 || i >= n - 4 { c } else { '*' })
            .collect()
    } else {
        "*".repeat(n)
    }
}

/// Mask a value according to its sensitivity.
pub fn mask<'a>(kind: Option<Sensitivity>, value: &'a str) -> Cow<'a, str> {
    match kind {
        None => Cow::Borrowed(value),
        Some(Sensitivity::Pan) => Cow::Owned(mask_pan(value)),
        Some(Sensitivity::Track) => {
            // Track 2 `PAN=YYMM…` / track 1 `B PAN ^NAME^…`: mask the PAN, hide the rest.
            let sep = value.find(['=', 'D', '^']).unwrap_or(value.len());
            let (pan, rest) = value.split_at(sep);
            let pan = pan.trim_start_matches(['B', 'b', '%', ';']);
            let lead = &value[..value.len() - rest.len() - pan.len()];
            let mut chars = rest.chars();
            let sep = chars.next().map(String::from).unwrap_or_default();
            Cow::Owned(format!(
                "{lead}{}{sep}{}",
                mask_pan(pan),
                "*".repeat(chars.count())
            ))
        }
        Some(Sensitivity::Pin | Sensitivity::Key | Sensitivity::Secret) => {
            Cow::Owned("*".repeat(value.chars().count()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_keeps_six_and_four() {
        assert_eq!(mask_pan("4761739001010119"), "476173******0119");
        assert_eq!(mask_pan("6217973910000725090"), "621797*********5090");
        assert_eq!(mask_pan("123456"), "******");
    }

    #[test]
    fn track_masks_pan_and_hides_rest() {
        let m = mask(
            Some(Sensitivity::Track),
            "4761739001010119=25122011143804489",
        );
        assert_eq!(m, "476173******0119=*****************");
        assert!(!m.contains("2512"));
        assert_eq!(
            mask(Some(Sensitivity::Pin), "0123456789ABCDEF"),
            "****************"
        );
    }
}
