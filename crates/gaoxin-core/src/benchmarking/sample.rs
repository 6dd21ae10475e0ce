//! 示例数据 for benchmarking: a generated peer set, never presented as real statistics. Each
//! zone has a hidden strength that moves all its indicators together, plus noise; the first
//! zone (the plan's) is placed near the top ten on generated values alone, so that with the
//! values its sample enterprises' reports give it stands in the twenties of 178, where a zone
//! chasing the top twenty would.
//! Values have plausible magnitudes for their units and are labelled 示例数据 wherever shown.

use super::{Direction, Framework, Indicator};

/// The name of generated peer `i` (1-based), visibly a sample.
pub fn peer_name(i: usize) -> String {
    format!("示例高新区{i:03}")
}

/// The label every generated value carries as its source.
pub const SOURCE: &str = "示例数据（生成，非真实统计）";

/// Values of `count` zones for `framework`'s indicators in `data_year` (zone 0 is the
/// subject). The same `seed` gives the same zones every year, each year a little further on.
pub fn peers(
    framework: &Framework,
    count: usize,
    seed: u64,
    data_year: i32,
) -> Vec<Vec<Option<f64>>> {
    let drift = f64::from(data_year - 2024);
    (0..count)
        .map(|zone| {
            let mut own = Rng::new(seed ^ (zone as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let strength = if zone == 0 {
                1.4 + 0.1 * drift
            } else {
                own.normal()
            };
            let mut year = Rng::new(
                seed ^ (zone as u64 + 1).wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
                    ^ (data_year as u64).wrapping_mul(0x1656_67b1_9e37_79f9),
            );
            framework
                .indicators
                .iter()
                .map(|i| {
                    let noise = year.normal();
                    // A zone's own values are all there; a peer's is missing now and then.
                    if zone != 0 && year.unit() < 0.03 {
                        return None;
                    }
                    Some(value(i, strength, noise, drift))
                })
                .collect()
        })
        .collect()
}

fn value(i: &Indicator, strength: f64, noise: f64, drift: f64) -> f64 {
    let sign = if i.direction == Direction::Higher {
        1.0
    } else {
        -1.0
    };
    let factor = 0.6 * strength + 0.45 * noise;
    if i.id.ends_with("growth") {
        let (mean, spread) = if i.direction == Direction::Lower {
            (3.0, 4.0)
        } else {
            (6.0, 5.0)
        };
        return round(mean + sign * spread * factor, 10.0);
    }
    let median = match i.id.as_str() {
        "rd5-large" | "national-rd-owners" | "startup-services" => 8.0,
        "listed" | "intl-standards" | "overseas-rd" => 3.0,
        "overseas-ip" | "gazelles" => 15.0,
        "vc-backed" => 30.0,
        "rd-institutions" | "hitech-net-increase" => 60.0,
        "tech-smes" | "new-incubated" => 300.0,
        "new-registrations" => 3000.0,
        // Shares, where a zone typically stands.
        "rd-staff-share" => 9.0,
        "rd-intensity" => 6.0,
        "hitech-services-share" => 15.0,
        "graduates-share" => 45.0,
        "profit-margin" => 6.0,
        "value-added-rate" => 22.0,
        "green-space" => 35.0,
        "wages-share" => 35.0,
        "tech-import-share" => 1.5,
        "hitech-exports-share" => 10.0,
        "foreign-returnee-share" => 1.5,
        "value-added-city-share" => 20.0,
        "rd5-revenue-share" => 30.0,
        "digital-revenue-share" => 20.0,
        "manufacturing-services-share" => 70.0,
        "manufacturing-va-rate" => 25.0,
        "tech-contracts-per-capita" => 3.0,
        _ => by_unit(&i.unit),
    } * 1.04f64.powf(drift);
    let x = median * (0.8 * sign * factor).exp();
    if i.whole {
        x.round()
    } else if i.unit == "%" {
        round(x.min(95.0), 100.0)
    } else {
        round(x, 100.0)
    }
}

fn by_unit(unit: &str) -> f64 {
    match unit {
        "%" => 8.0,
        "家" => 40.0,
        "件/万人" => 30.0,
        "件/千万元" => 8.0,
        "万元/人" => 5.0,
        "亿元" => 60.0,
        "吨标准煤/万元" => 0.4,
        "所" => 30.0,
        "人" => 3000.0,
        "比值" => 0.3,
        "件/百亿元" => 900.0,
        _ => 100.0,
    }
}

fn round(x: f64, per: f64) -> f64 {
    (x * per).round() / per
}

/// xorshift64*: small, deterministic, good enough for sample data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed | 1);
        for _ in 0..4 {
            r.next();
        }
        r
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}
