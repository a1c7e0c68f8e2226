//! Identifiers shaped like the real ones: ULID-like `message_log_id`s and WhatsApp `wamid`s. They
//! come from the simulator's seeded RNG, so a run with the same seed repeats.

use chrono::{DateTime, Utc};
use rand::Rng;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 26 Crockford base-32 characters: 48 bits of milliseconds, then 80 random bits.
pub(crate) fn ulid(at: DateTime<Utc>, rng: &mut impl Rng) -> String {
    let ms = at.timestamp_millis().max(0) as u128 & ((1u128 << 48) - 1);
    let random: u128 = rng.gen::<u128>() & ((1u128 << 80) - 1);
    let value = (ms << 80) | random;
    (0..26)
        .rev()
        .map(|i| CROCKFORD[((value >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// `wamid.HBgM<digits>FQIAERgS<hex>`: the shape WhatsApp Cloud API ids have.
pub(crate) fn wamid(phone_digits: &str, rng: &mut impl Rng) -> String {
    let tail: String = (0..18).map(|_| format!("{:X}", rng.gen_range(0..16u8))).collect();
    format!("wamid.HBgM{phone_digits}FQIAERgS{tail}")
}

/// A v4-shaped UUID from the seeded RNG.
pub(crate) fn uuid(rng: &mut impl Rng) -> uuid::Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn ulids_are_26_crockford_characters_ordered_by_time() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let a = ulid(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), &mut rng);
        let b = ulid(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 1).unwrap(), &mut rng);
        assert_eq!(a.len(), 26);
        assert!(a.bytes().all(|c| CROCKFORD.contains(&c)));
        assert!(a[..10] < b[..10]);
        assert!(a.starts_with("01"));
    }

    #[test]
    fn wamids_carry_the_phone() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let w = wamid("966501234567", &mut rng);
        assert!(w.starts_with("wamid.HBgM966501234567FQIAERgS"));
        assert_eq!(w.len(), "wamid.HBgM966501234567FQIAERgS".len() + 18);
    }
}
