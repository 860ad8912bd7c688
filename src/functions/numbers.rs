//! Terraform's numeric functions.

use super::*;

pub const NAMES: &[&str] = &[
    "abs", "ceil", "floor", "log", "max", "min", "parseint", "pow", "signum",
];

pub fn call(a: &Args<'_>, _directory: &Path) -> Result<Value, String> {
    let Args { name, values: args } = *a;
    match name {
        "abs" => {
            a.count(1)?;
            numeric(a.number(0)?.abs())
        }
        "ceil" => {
            a.count(1)?;
            numeric(a.number(0)?.ceil())
        }
        "floor" => {
            a.count(1)?;
            numeric(a.number(0)?.floor())
        }
        "max" | "min" => {
            if args.is_empty() {
                return Err(format!("`{name}` needs at least one number"));
            }
            let numbers = (0..args.len())
                .map(|index| a.number(index))
                .collect::<Result<Vec<f64>, _>>()?;
            let pick = |a: f64, b: f64| if name == "max" { a.max(b) } else { a.min(b) };
            numeric(numbers.into_iter().reduce(pick).unwrap_or_default())
        }
        "parseint" => {
            a.count(2)?;
            let (digits, base) = (a.text(0)?, whole(name, a.number(1)?)?);
            if !(2..=62).contains(&base) {
                return Err("base must be a whole number between 2 and 62 inclusive".to_owned());
            }
            numeric(
                parse_int(&digits, base as u32)
                    .ok_or_else(|| format!("cannot parse \"{digits}\" as a base {base} integer"))?,
            )
        }
        "log" => {
            a.count(2)?;
            numeric(a.number(0)?.ln() / a.number(1)?.ln())
        }
        "pow" => {
            a.count(2)?;
            numeric(a.number(0)?.powf(a.number(1)?))
        }
        "signum" => {
            a.count(1)?;
            let number = a.number(0)?;
            numeric(match number {
                0.0 => 0.0,
                _ => number.signum(),
            })
        }
        _ => Err(no_such(name)),
    }
}
