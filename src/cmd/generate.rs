//! `posresp generate`: seeded, realistic request/response traffic in posresp's log format.
//! Transaction i depends only on (seed, i), so the output is the same bytes for the same
//! seed and options whatever the number of threads, and chunks are built on every core.

use std::fs::File;
use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use posresp::check::{self, Key, MacAlgorithm};
use posresp::codec::encoding::to_hex;
use posresp::codec::framing::{FramingInfo, LengthPrefix};
use posresp::codec::{Dialect, FieldValue, Message, Spec};
use posresp::glossary;
use posresp::host::clock::stamp;
use posresp::host::delay::Delay;
use posresp::host::respond::{approved_code, response_mti, seal};

use crate::global::GlobalArgs;
use posresp::specs::{SpecChoice, load_spec};

/// How the rate of transactions changes over the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// The same rate all day.
    Flat,
    /// A shop's day: quiet at night, busiest at lunch and in the early evening.
    Day,
}

/// Relative traffic per hour of the day (UTC) for --profile day.
const DAY_WEIGHTS: [f64; 24] = [
    1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.0, 3.5, 4.5, 5.0, 5.5, 7.0, 6.5, 5.0, 4.5, 5.0, 6.0, 7.0,
    6.5, 5.0, 3.5, 2.5, 1.5,
];

/// When each transaction happens: stretches of constant rate (one per hour of the day with
/// --profile day), so that the time of transaction i is computed from i alone and every
/// generator thread agrees.
#[derive(Debug)]
struct TimePlan {
    start_ms: u64,
    /// (stretch start ms, transactions before it, ms per transaction).
    stretches: Vec<(f64, f64, f64)>,
}

impl TimePlan {
    fn new(start_ms: u64, rate: f64, profile: Profile, until: Option<u64>, count: u64) -> TimePlan {
        let per_ms = rate / 1000.0;
        if profile == Profile::Flat {
            return TimePlan {
                start_ms,
                stretches: vec![(start_ms as f64, 0.0, 1000.0 / rate)],
            };
        }
        let mean = DAY_WEIGHTS.iter().sum::<f64>() / 24.0;
        let mut stretches = Vec::new();
        let (mut t, mut before) = (start_ms as f64, 0.0);
        let hour = 3_600_000.0;
        loop {
            let h = ((t / hour).floor() as u64 % 24) as usize;
            let r = per_ms * DAY_WEIGHTS[h] / mean;
            stretches.push((t, before, 1.0 / r));
            let next = ((t / hour).floor() + 1.0) * hour;
            before += (next - t) * r;
            t = next;
            let done = match until {
                Some(u) => t >= u as f64,
                None => before >= count as f64,
            };
            if done {
                break;
            }
        }
        TimePlan {
            start_ms,
            stretches,
        }
    }

    /// Transactions in the plan up to `until_ms`.
    fn count_until(&self, until_ms: u64) -> u64 {
        let u = until_ms as f64;
        let mut n = 0.0;
        for (k, &(t, before, ms_per)) in self.stretches.iter().enumerate() {
            let end = self.stretches.get(k + 1).map_or(u, |s| s.0.min(u));
            if t >= u {
                break;
            }
            n = before + (end - t) / ms_per;
        }
        n.floor() as u64
    }

    /// The time of transaction `i`, and the gap to the next at its rate (for jitter).
    fn at(&self, i: u64) -> (u64, u64) {
        let x = i as f64;
        let k = self
            .stretches
            .partition_point(|s| s.1 <= x)
            .saturating_sub(1);
        let (t, before, ms_per) = self.stretches[k];
        ((t + (x - before) * ms_per) as u64, ms_per.max(1.0) as u64)
    }
}

/// Output forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenFormat {
    /// posresp JSON Lines log ({"ts","dir","spec","hex"}, latency_ms on responses).
    Jsonl,
    /// One hex message per line.
    Hex,
    /// The framed byte stream (a 2-byte length is added when the spec has no length framing).
    Bin,
    /// A pcap capture of the traffic on the wire: one TCP connection per terminal (SYN
    /// first, FIN last) to 172.16.0.1:5000, each message at its time, framed as for bin.
    Pcap,
}

/// Generate seeded synthetic request/response traffic.
///
/// Transactions of several kinds with realistic fields per dialect, Luhn-valid PANs from test
/// BIN ranges, echo fields, trace numbers increasing per terminal, advancing timestamps, a
/// response-code mix, timeouts (requests without a response) and latencies; MACs with
/// --mac-key-file. The same seed, spec and options always give the same bytes.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  posresp --spec cup generate --count 1000 --seed 7 > traffic.jsonl
  posresp --spec iso87ascii generate --count 100000 --mix 00=90,51=5,05=3,91=2 --timeouts 0.5%
  posresp --spec cup generate --count 10 --mac-key-file mak.hex | posresp verify - --key-file mak.hex")]
pub struct GenerateArgs {
    /// Transactions (a request and, unless it times out, its response).
    #[arg(long, default_value_t = 1000, conflicts_with = "duration")]
    pub count: u64,
    /// Time of the first transaction (any form stats reads, e.g. 2026-11-26T00:00:00Z).
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,
    /// Transactions per second, on average over the day with --profile day.
    #[arg(long, default_value_t = 20.0, value_name = "PER_SECOND")]
    pub rate: f64,
    /// Traffic that covers this long (e.g. 24h, 90m) at --rate, instead of --count.
    #[arg(long, value_name = "DURATION")]
    pub duration: Option<String>,
    /// How the rate changes over the day: flat, or day (quiet at night, peaks at lunch and in
    /// the early evening, as shops see).
    #[arg(long, value_enum, default_value_t = Profile::Flat)]
    pub profile: Profile,
    /// Seed: the same seed and options give the same output.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Response-code weights, e.g. 00=90,51=4,05=3,91=2 (codes of the spec's dialect).
    #[arg(long, value_name = "CODE=WEIGHT,…")]
    pub mix: Option<String>,
    /// Transaction-kind weights: purchase, refund, void, preauth, reversal, balance, signon.
    #[arg(
        long,
        value_name = "KIND=WEIGHT,…",
        default_value = "purchase=80,refund=4,void=3,preauth=5,reversal=2,balance=4,signon=2"
    )]
    pub kinds: String,
    /// Share of requests left unanswered, e.g. 0.5% or 0.005.
    #[arg(long, default_value = "0")]
    pub timeouts: String,
    /// Response latency: lognormal:median=180ms,p99=2s or fixed:50ms.
    #[arg(long, default_value = "lognormal:median=180ms,p99=2s")]
    pub latency: String,
    /// Number of terminals.
    #[arg(long, default_value_t = 20)]
    pub terminals: u32,
    /// Number of merchants (terminals are spread over them).
    #[arg(long, default_value_t = 5)]
    pub merchants: u32,
    /// MAC key (hex) file: field 64 carries a real MAC (CUP ECB for cup, else X9.19/X9.9).
    #[arg(long, value_name = "PATH")]
    pub mac_key_file: Option<String>,
    /// Output form.
    #[arg(long, value_enum, default_value_t = GenFormat::Jsonl)]
    pub format: GenFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Purchase,
    Refund,
    Void,
    Preauth,
    Reversal,
    Balance,
    Signon,
}

const KINDS: [(&str, Kind); 7] = [
    ("purchase", Kind::Purchase),
    ("refund", Kind::Refund),
    ("void", Kind::Void),
    ("preauth", Kind::Preauth),
    ("reversal", Kind::Reversal),
    ("balance", Kind::Balance),
    ("signon", Kind::Signon),
];

/// Weighted choice over a cumulative table.
struct Weighted<T> {
    items: Vec<(u64, T)>,
    total: u64,
}

impl<T: Clone> Weighted<T> {
    fn pick(&self, rng: &mut ChaCha8Rng) -> T {
        let x = rng.random_range(0..self.total);
        self.items
            .iter()
            .find(|(c, _)| x < *c)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| self.items[0].1.clone())
    }
}

fn weights<T: Clone>(
    spec: &str,
    what: &str,
    parse: impl Fn(&str) -> Result<T>,
) -> Result<Weighted<T>> {
    let mut items = Vec::new();
    let mut total = 0u64;
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, w) = part
            .split_once('=')
            .ok_or_else(|| anyhow!("{what}: {part:?} is not KEY=WEIGHT"))?;
        let w: f64 = w
            .trim()
            .parse()
            .map_err(|_| anyhow!("{what}: weight {w:?} is not a number"))?;
        if !(w >= 0.0 && w.is_finite()) {
            bail!("{what}: weight {w} must be zero or more");
        }
        let w = (w * 1000.0).round() as u64;
        if w > 0 {
            total += w;
            items.push((total, parse(k.trim())?));
        }
    }
    if total == 0 {
        bail!("{what}: give at least one positive weight");
    }
    Ok(Weighted { items, total })
}

fn share(s: &str) -> Result<f64> {
    let v = match s.trim().strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => s.trim().parse::<f64>(),
    }
    .map_err(|_| anyhow!("timeouts: {s:?} is not a share (0.5% or 0.005)"))?;
    if !(0.0..=1.0).contains(&v) {
        bail!("timeouts: {s:?} must be between 0 and 100%");
    }
    Ok(v)
}

/// 2026-11-26T00:00:00Z: generated traffic starts here, whatever the clock says.
const START_MS: u64 = 1_795_651_200_000;

const BINS: [&str; 6] = ["476173", "411111", "541333", "621234", "622126", "356999"];

fn pan(rng: &mut ChaCha8Rng, len: usize) -> String {
    let bin = BINS[rng.random_range(0..BINS.len())];
    let mut p = String::with_capacity(len);
    p.push_str(bin);
    while p.len() < len - 1 {
        p.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    let d = check::luhn_digit(&p).unwrap_or(0);
    p.push(char::from(b'0' + d));
    p
}

struct Ctx<'a> {
    spec: &'a Spec,
    args: &'a GenerateArgs,
    mix: Weighted<String>,
    kinds: Weighted<Kind>,
    timeouts: f64,
    latency: Delay,
    key: Option<Key>,
    mac_alg: MacAlgorithm,
    tpdu: Option<(String, String)>,
    header: Option<String>,
    plan: TimePlan,
    count: u64,
}

fn set(m: &mut Message, id: u16, v: impl Into<String>) {
    m.fields.insert(
        id,
        FieldValue {
            value: v.into(),
            pad: None,
        },
    );
}

/// Build transaction `i`: the request and, unless it times out, the response with its latency.
/// A request at a time (ms since the epoch) and, unless it timed out, the response's latency
/// and bytes.
type Transaction = (u64, Vec<u8>, Option<(u64, Vec<u8>)>);

fn transaction(ctx: &Ctx<'_>, i: u64) -> Result<Transaction> {
    let mut rng = ChaCha8Rng::seed_from_u64(ctx.args.seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let spec = ctx.spec;
    let dialect = spec.dialect;
    let kind = ctx.kinds.pick(&mut rng);
    let terminals = u64::from(ctx.args.terminals.max(1));
    let term = i % terminals;
    let merchant = term % u64::from(ctx.args.merchants.max(1));
    // Trace numbers increase per terminal: this is the terminal's (i / terminals)-th transaction.
    let stan = format!("{:06}", (i / terminals) % 999_999 + 1);
    let (base, gap) = ctx.plan.at(i);
    let t_ms = base + rng.random_range(0..gap.max(1));
    let at = stamp(t_ms);
    let terminal_id = format!("T{:07}", term + 1);
    let merchant_id = format!("M{:014}", merchant + 1);
    let card_len = if rng.random_bool(0.2) { 19 } else { 16 };
    let card = pan(&mut rng, card_len);
    let amount = format!(
        "{:012}",
        (rng.random::<f64>().powi(3) * 50_000.0) as u64 + 100
    );
    let currency = match dialect {
        Dialect::Cup => "156",
        _ => ["840", "978", "156", "826"][(merchant % 4) as usize],
    };
    let (mti, proc_code, cup60) = match (kind, dialect) {
        (Kind::Purchase, Dialect::Iso93) => ("1200", "000000", "22"),
        (Kind::Purchase, _) => ("0200", "000000", "22"),
        (Kind::Refund, Dialect::Cup) => ("0220", "200000", "25"),
        (Kind::Refund, Dialect::Iso93) => ("1200", "200000", "25"),
        (Kind::Refund, _) => ("0200", "200000", "25"),
        (Kind::Void, Dialect::Iso93) => ("1200", "020000", "23"),
        (Kind::Void, Dialect::Cup) => ("0200", "200000", "23"),
        (Kind::Void, _) => ("0200", "020000", "23"),
        (Kind::Preauth, Dialect::Iso93) => ("1100", "000000", "10"),
        (Kind::Preauth, Dialect::Cup) => ("0100", "030000", "10"),
        (Kind::Preauth, _) => ("0100", "000000", "10"),
        (Kind::Reversal, Dialect::Iso93) => ("1420", "000000", "22"),
        (Kind::Reversal, _) => ("0400", "000000", "22"),
        (Kind::Balance, Dialect::Iso93) => ("1100", "310000", "01"),
        (Kind::Balance, Dialect::Cup) => ("0200", "310000", "01"),
        (Kind::Balance, _) => ("0100", "310000", "01"),
        (Kind::Signon, Dialect::Iso93) => ("1804", "", "00"),
        (Kind::Signon, _) => ("0800", "", "00"),
    };
    let mut req = Message {
        mti: mti.into(),
        ..Message::default()
    };
    let financial = kind != Kind::Signon;
    if financial {
        set(&mut req, 2, card.clone());
        set(&mut req, 3, proc_code);
        if kind != Kind::Balance {
            set(&mut req, 4, amount.clone());
        }
        set(
            &mut req,
            14,
            format!(
                "{:02}{:02}",
                27 + rng.random_range(0..5u32),
                rng.random_range(1..13u32)
            ),
        );
        let entry = ["051", "071", "021", "012"][rng.random_range(0..4)];
        set(
            &mut req,
            22,
            if dialect == Dialect::Iso93 {
                "510101513344".to_string()
            } else {
                entry.to_string()
            },
        );
        if dialect != Dialect::Iso93 {
            set(
                &mut req,
                25,
                if kind == Kind::Preauth && dialect == Dialect::Cup {
                    "06"
                } else {
                    "00"
                },
            );
        }
        set(&mut req, 49, currency);
    }
    set(&mut req, 11, stan.clone());
    set(&mut req, 41, terminal_id.clone());
    set(&mut req, 42, merchant_id.clone());
    match dialect {
        Dialect::Cup => {
            let batch = format!("{:06}", 1 + (t_ms - ctx.plan.start_ms) / 86_400_000);
            let nm = if financial { "000" } else { "003" };
            set(
                &mut req,
                60,
                format!("{cup60}{batch}{nm}{}", if financial { "50" } else { "" }),
            );
            if !financial {
                set(&mut req, 63, "001");
            }
            if matches!(kind, Kind::Void | Kind::Refund | Kind::Reversal) {
                set(
                    &mut req,
                    61,
                    format!("{batch}{:06}{}", rng.random_range(1..999_999u32), at.mmdd),
                );
            }
        }
        Dialect::Iso93 => {
            set(&mut req, 7, format!("{}{}", at.mmdd, at.hhmmss));
            set(&mut req, 12, format!("{}{}", at.yymmdd, at.hhmmss));
            set(&mut req, 24, if financial { "200" } else { "801" });
        }
        Dialect::Iso87 => {
            set(&mut req, 7, format!("{}{}", at.mmdd, at.hhmmss));
            set(&mut req, 12, at.hhmmss.clone());
            set(&mut req, 13, at.mmdd.clone());
            if !financial {
                set(&mut req, 70, "001");
            }
            if kind == Kind::Reversal {
                set(
                    &mut req,
                    90,
                    format!("0200{stan}{}{}{:011}{:011}", at.mmdd, at.hhmmss, 0, 0),
                );
            }
        }
    }
    // Response: MTI + 10, echoes, outcome.
    let code = if financial {
        ctx.mix.pick(&mut rng)
    } else {
        approved_code(dialect).to_string()
    };
    let approved =
        glossary::response_code(dialect, &code).is_some_and(|r| r.category == "approved");
    let mut resp = Message {
        mti: response_mti(mti).unwrap_or_default(),
        ..Message::default()
    };
    for id in [
        2u16, 3, 4, 7, 11, 12, 13, 22, 24, 25, 41, 42, 49, 60, 61, 70, 90,
    ] {
        if let Some(v) = req.fields.get(&id) {
            resp.fields.insert(id, v.clone());
        }
    }
    resp.fields.remove(&22);
    set(
        &mut resp,
        37,
        format!("{}{:06}", &at.hhmmss, (i % 1_000_000)),
    );
    if approved && financial {
        set(
            &mut resp,
            38,
            format!("{:06}", rng.random_range(0..1_000_000u32)),
        );
    }
    set(&mut resp, 39, code);
    if dialect == Dialect::Cup {
        set(&mut resp, 12, at.hhmmss.clone());
        set(&mut resp, 13, at.mmdd.clone());
        if financial {
            set(&mut resp, 63, ["CUP", "VIS", "MCC"][rng.random_range(0..3)]);
        }
    }
    let latency = ctx.latency.sample(&mut rng);
    let timed_out = rng.random_bool(ctx.timeouts);
    let req_bytes = finish(ctx, req, false)?;
    let resp = if timed_out {
        None
    } else {
        Some((latency, finish(ctx, resp, true)?))
    };
    Ok((t_ms, req_bytes, resp))
}

/// Framing, MAC, bytes.
fn finish(ctx: &Ctx<'_>, mut m: Message, response: bool) -> Result<Vec<u8>> {
    let spec = ctx.spec;
    if let Some((dest, src)) = &ctx.tpdu {
        // The host answers with the TPDU addresses swapped.
        let tpdu = if response {
            format!("60{src}{dest}")
        } else {
            format!("60{dest}{src}")
        };
        m.framing = Some(FramingInfo {
            kind: spec.framing.kind(),
            length: None,
            tpdu: Some(tpdu),
            header: ctx.header.clone(),
            lrc: None,
            rule: "".into(),
            spec: spec.framing.layout(),
        });
    } else if spec.framing.length != LengthPrefix::None {
        m.framing = Some(FramingInfo {
            kind: spec.framing.kind(),
            length: None,
            tpdu: None,
            header: None,
            lrc: None,
            rule: "".into(),
            spec: spec.framing.layout(),
        });
    }
    seal(spec, &mut m, ctx.key.as_ref().map(|k| (k, ctx.mac_alg)))
        .map_err(|e| anyhow!("generated message does not fit spec {}: {e}", spec.name))
}

/// Run `generate`.
pub fn run(global: &GlobalArgs, args: &GenerateArgs) -> Result<u8> {
    use crate::global::OutputFormat::{Jsonl, Table};
    crate::global::output_one_of(
        global,
        "generate",
        &[Table, Jsonl],
        "it writes a traffic log: choose its form with --format jsonl, hex, bin or pcap",
    )?;
    let spec = match load_spec(&global.spec)? {
        SpecChoice::One(s) => *s,
        SpecChoice::Auto(all) => all
            .into_iter()
            .find(|s| s.name == "iso87ascii")
            .ok_or_else(|| anyhow!("no iso87ascii"))?,
    };
    let dialect = spec.dialect;
    let default_mix = match dialect {
        Dialect::Iso93 => "000=90,116=4,100=3,911=2,117=1",
        _ => "00=90,51=4,05=3,91=2,55=1",
    };
    let mix = weights(args.mix.as_deref().unwrap_or(default_mix), "mix", |code| {
        glossary::response_code(dialect, code)
            .map(|_| code.to_string())
            .ok_or_else(|| {
                anyhow!(
                    "mix: {code:?} is not a {} response code (posresp explain --list --scheme {})",
                    dialect.name(),
                    dialect.name()
                )
            })
    })?;
    let kinds = weights(&args.kinds, "kinds", |k| {
        KINDS
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                anyhow!(
                    "kinds: {k:?} is not one of {}",
                    KINDS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                )
            })
    })?;
    let key = match &args.mac_key_file {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| {
                format!("cannot read MAC key file {}", posresp::mask::key_source(p))
            })?;
            Some(Key::from_hex(text.trim()).map_err(|e| anyhow!("MAC key: {e}"))?)
        }
        None => None,
    };
    if key.is_some() && spec.field(64).is_none() && spec.field(128).is_none() {
        bail!("spec {} has no field 64 or 128 to carry a MAC", spec.name);
    }
    let mac_alg = match (&key, dialect) {
        (_, Dialect::Cup) => MacAlgorithm::CupEcb,
        (Some(k), _) if k.is_double() => MacAlgorithm::X919,
        _ => MacAlgorithm::X99,
    };
    if !(args.rate > 0.0 && args.rate.is_finite() && args.rate <= 1_000_000.0) {
        bail!(
            "--rate {}: give transactions per second, above 0 and at most 1000000",
            args.rate
        );
    }
    let start_ms = match &args.start {
        Some(t) => posresp::timestamp::parse(t)
            .filter(|us| *us > 86_400_000_000)
            .map(|us| us / 1000)
            .ok_or_else(|| {
                anyhow!("--start {t:?}: not a date and time (e.g. 2026-11-26T00:00:00Z)")
            })?,
        None => START_MS,
    };
    let until = match &args.duration {
        Some(d) => {
            let ms = posresp::host::delay::option_ms("duration", d).map_err(|e| anyhow!(e))?;
            Some(start_ms + ms)
        }
        None => None,
    };
    let plan = TimePlan::new(start_ms, args.rate, args.profile, until, args.count);
    let count = match until {
        Some(u) => plan.count_until(u),
        None => args.count,
    };
    let ctx = Ctx {
        plan,
        count,
        spec: &spec,
        args,
        mix,
        kinds,
        timeouts: share(&args.timeouts)?,
        latency: Delay::parse(&args.latency).map_err(|e| anyhow!("latency: {e}"))?,
        key,
        mac_alg,
        tpdu: spec
            .framing
            .tpdu
            .then(|| ("0003".to_string(), "0000".to_string())),
        header: (spec.framing.header == 6).then(|| "603100310100".to_string()),
    };
    let out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(File::create(p).with_context(|| format!("cannot create {p}"))?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let progress = (io::stderr().is_terminal() && ctx.count >= 200_000).then(|| {
        let bar = indicatif::ProgressBar::new(ctx.count);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} transactions, {per_sec}, {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8) as u64;
    const CHUNK: u64 = 4096;
    let add_len2 = matches!(args.format, GenFormat::Bin | GenFormat::Pcap)
        && spec.framing.length == LengthPrefix::None
        && !spec.framing.tpdu;
    if args.format == GenFormat::Pcap {
        write_pcap(&ctx, &mut out, add_len2, progress.as_ref())?;
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        out.flush()?;
        return Ok(0);
    }
    let mut start = 0u64;
    while start < ctx.count {
        let end = (start + CHUNK * threads).min(ctx.count);
        let per = (end - start).div_ceil(threads);
        let parts: Vec<Result<Vec<u8>>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    let (a, b) = ((start + k * per).min(end), (start + (k + 1) * per).min(end));
                    let ctx = &ctx;
                    s.spawn(move || render_range(ctx, a, b, add_len2))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow!("a generator thread failed")))
                })
                .collect()
        });
        for p in parts {
            out.write_all(&p?)?;
        }
        if let Some(bar) = &progress {
            bar.set_position(end);
        }
        start = end;
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    out.flush()?;
    Ok(0)
}

fn render_range(ctx: &Ctx<'_>, a: u64, b: u64, add_len2: bool) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(((b - a) * 700) as usize);
    let spec_name = &ctx.spec.name;
    for i in a..b {
        let (t_ms, req, resp) = transaction(ctx, i)?;
        match ctx.args.format {
            GenFormat::Jsonl => {
                use posresp::traffic::{Latency, LogHex, Record};
                let ts = stamp(t_ms).rfc3339;
                Record {
                    ts: &ts,
                    dir: Some("req"),
                    spec: spec_name,
                    hex: Some(&LogHex::clear(&req)),
                    ..Record::default()
                }
                .write(&mut buf);
                if let Some((lat, r)) = resp {
                    let ts = stamp(t_ms + lat).rfc3339;
                    Record {
                        ts: &ts,
                        dir: Some("resp"),
                        spec: spec_name,
                        hex: Some(&LogHex::clear(&r)),
                        latency_ms: Some(Latency::Ms(lat)),
                        ..Record::default()
                    }
                    .write(&mut buf);
                }
            }
            GenFormat::Hex => {
                writeln!(buf, "{}", to_hex(&req))?;
                if let Some((_, r)) = resp {
                    writeln!(buf, "{}", to_hex(&r))?;
                }
            }
            GenFormat::Pcap => unreachable!("pcap is written by write_pcap"),
            GenFormat::Bin => {
                for m in std::iter::once(req).chain(resp.map(|(_, r)| r)) {
                    if add_len2 {
                        buf.extend_from_slice(&(m.len() as u16).to_be_bytes());
                    }
                    buf.extend_from_slice(&m);
                }
            }
        }
    }
    Ok(buf)
}

/// The server every generated connection goes to.
const PCAP_SERVER: ([u8; 4], u16) = ([172, 16, 0, 1], 5000);

/// One terminal's TCP connection in a generated capture.
struct PcapConn {
    client: ([u8; 4], u16),
    /// Next sequence numbers: client → server, server → client.
    seq: (u32, u32),
}

/// An Ethernet/IPv4/TCP packet of the generated capture.
fn tcp_packet(
    src: ([u8; 4], u16),
    dst: ([u8; 4], u16),
    seq: u32,
    ack: u32,
    flags: &str,
    payload: &[u8],
) -> Result<Vec<u8>> {
    let mac = |ip: [u8; 4]| [2, 0, ip[0], ip[1], ip[2], ip[3]];
    let mut b = etherparse::PacketBuilder::ethernet2(mac(src.0), mac(dst.0))
        .ipv4(src.0, dst.0, 64)
        .tcp(src.1, dst.1, seq, 64_240);
    for f in flags.chars() {
        b = match f {
            'S' => b.syn(),
            'A' => b.ack(ack),
            'F' => b.fin(),
            'P' => b.psh(),
            _ => b,
        };
    }
    let mut out = Vec::with_capacity(payload.len() + 54);
    b.write(&mut out, payload)
        .map_err(|e| anyhow!("cannot build a packet: {e}"))?;
    Ok(out)
}

/// The capture being written.
struct PcapOut<W: Write> {
    w: pcap_file::pcap::PcapWriter<W>,
}

impl<W: Write> PcapOut<W> {
    fn put(&mut self, t_us: u64, p: &[u8]) -> Result<()> {
        let d = std::time::Duration::from_micros(t_us);
        self.w
            .write_packet(&pcap_file::pcap::PcapPacket::new(d, p.len() as u32, p))
            .map_err(|e| anyhow!("cannot write the capture: {e}"))?;
        Ok(())
    }

    /// One message from the client (`up`) or the server, cut to the MSS.
    fn send(&mut self, c: &mut PcapConn, up: bool, t_us: u64, bytes: &[u8]) -> Result<()> {
        for chunk in bytes.chunks(1460) {
            let p = if up {
                tcp_packet(c.client, PCAP_SERVER, c.seq.0, c.seq.1, "PA", chunk)?
            } else {
                tcp_packet(PCAP_SERVER, c.client, c.seq.1, c.seq.0, "PA", chunk)?
            };
            if up {
                c.seq.0 = c.seq.0.wrapping_add(chunk.len() as u32);
            } else {
                c.seq.1 = c.seq.1.wrapping_add(chunk.len() as u32);
            }
            self.put(t_us, &p)?;
        }
        Ok(())
    }
}

/// A response waiting for its time: (time µs, order, terminal, bytes).
type Due = std::cmp::Reverse<(u64, u64, u64, Vec<u8>)>;

/// The traffic as a capture: packets in time order, responses merged in among later requests.
fn write_pcap(
    ctx: &Ctx<'_>,
    out: &mut impl Write,
    add_len2: bool,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    use pcap_file::pcap::{PcapHeader, PcapWriter};
    use std::cmp::Reverse;
    use std::collections::{BinaryHeap, HashMap};
    let w = PcapWriter::with_header(
        out,
        PcapHeader {
            datalink: pcap_file::DataLink::ETHERNET,
            ..PcapHeader::default()
        },
    )
    .map_err(|e| anyhow!("cannot write the capture: {e}"))?;
    let mut cap = PcapOut { w };
    let terminals = u64::from(ctx.args.terminals.max(1));
    let mut conns: HashMap<u64, PcapConn> = HashMap::new();
    let mut due: BinaryHeap<Due> = BinaryHeap::new();
    let frame = |m: Vec<u8>| -> Vec<u8> {
        if add_len2 {
            let mut f = (m.len() as u16).to_be_bytes().to_vec();
            f.extend_from_slice(&m);
            f
        } else {
            m
        }
    };
    let mut order = 0u64;
    let mut last = 0;
    for i in 0..ctx.count {
        let (t_ms, req, resp) = transaction(ctx, i)?;
        let t_us = t_ms * 1000;
        last = t_us;
        // Everything due before this request goes first.
        while due.peek().is_some_and(|Reverse((t, ..))| *t <= t_us) {
            let Some(Reverse((t, _, term, bytes))) = due.pop() else {
                break;
            };
            if let Some(c) = conns.get_mut(&term) {
                cap.send(c, false, t, &bytes)?;
            }
        }
        let term = i % terminals;
        let c = match conns.entry(term) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let n = term as u32;
                let c = e.insert(PcapConn {
                    client: ([10, 1 + (n >> 16) as u8, (n >> 8) as u8, n as u8], 40_000),
                    seq: (1_000_000 + n, 5_000_000 + n),
                });
                // The handshake, a millisecond before the first request.
                let t0 = t_us.saturating_sub(1000);
                let (cs, ss) = (c.seq.0, c.seq.1);
                cap.put(t0, &tcp_packet(c.client, PCAP_SERVER, cs - 1, 0, "S", &[])?)?;
                cap.put(
                    t0,
                    &tcp_packet(PCAP_SERVER, c.client, ss - 1, cs, "SA", &[])?,
                )?;
                cap.put(t0, &tcp_packet(c.client, PCAP_SERVER, cs, ss, "A", &[])?)?;
                c
            }
        };
        cap.send(c, true, t_us, &frame(req))?;
        if let Some((lat, r)) = resp {
            order += 1;
            due.push(Reverse(((t_ms + lat) * 1000, order, term, frame(r))));
        }
        if let Some(bar) = progress
            && i % 4096 == 0
        {
            bar.set_position(i);
        }
    }
    while let Some(Reverse((t, _, term, bytes))) = due.pop() {
        last = last.max(t);
        if let Some(c) = conns.get_mut(&term) {
            cap.send(c, false, t, &bytes)?;
        }
    }
    // Every connection closes after the last message.
    let mut terms: Vec<_> = conns.into_iter().collect();
    terms.sort_by_key(|(t, _)| *t);
    for (_, c) in terms {
        let t = last + 1000;
        let (cs, ss) = c.seq;
        cap.put(t, &tcp_packet(c.client, PCAP_SERVER, cs, ss, "FA", &[])?)?;
        cap.put(
            t,
            &tcp_packet(PCAP_SERVER, c.client, ss, cs + 1, "FA", &[])?,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(stamp(START_MS).rfc3339, "2026-11-26T00:00:00.000Z");
        assert_eq!(
            stamp(START_MS + 86_400_000 * 36 + 3_723_004).rfc3339,
            "2027-01-01T01:02:03.004Z"
        );
        assert_eq!(posresp::host::clock::civil(11_016), (2000, 2, 29));
    }

    #[test]
    fn latency_and_share_parsing() {
        assert_eq!(Delay::parse("fixed:50ms"), Ok(Delay::Fixed(50.0)));
        assert!(Delay::parse("lognormal:median=180ms,p99=2s").is_ok());
        assert!(Delay::parse("lognormal:median=2s,p99=1s").is_err());
        assert_eq!(share("0.5%").unwrap(), 0.005);
        assert!(share("150%").is_err());
    }
}
