//! Terraform's IP network functions, for IPv4 and IPv6 prefixes in CIDR notation.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::*;

pub const NAMES: &[&str] = &["cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets"];

pub fn call(a: &Args<'_>, _directory: &Path) -> Result<Value, String> {
    let Args { name, values: args } = *a;
    match name {
        "cidrhost" => {
            a.count(2)?;
            let prefix = Prefix::parse(&a.text(0)?)?;
            string(prefix.host(whole(name, a.number(1)?)?)?.to_string())
        }
        "cidrnetmask" => {
            a.count(1)?;
            let prefix = Prefix::parse(&a.text(0)?)?;
            if prefix.width != 32 {
                return Err("only IPv4 networks have a netmask".to_owned());
            }
            string(prefix.address(prefix.mask()).to_string())
        }
        "cidrsubnet" => {
            a.count(3)?;
            let prefix = Prefix::parse(&a.text(0)?)?;
            let (bits, number) = (whole(name, a.number(1)?)?, whole(name, a.number(2)?)?);
            string(prefix.subnet(bits, number)?.to_string())
        }
        "cidrsubnets" => {
            if args.is_empty() {
                return Err(
                    "`cidrsubnets` takes a prefix and the new bits of each subnet".to_owned(),
                );
            }
            let prefix = Prefix::parse(&a.text(0)?)?;
            let bits = (1..args.len())
                .map(|index| whole(name, a.number(index)?))
                .collect::<Result<Vec<_>, _>>()?;
            prefix.subnets(&bits).map(|subnets| {
                Value::List(
                    subnets
                        .iter()
                        .map(|s| Value::String(s.to_string()))
                        .collect(),
                )
            })
        }
        _ => Err(no_such(name)),
    }
}

/// A network: its first address, its prefix length, and the width of its addresses (32 or 128).
#[derive(Clone, Copy)]
struct Prefix {
    base: u128,
    length: u32,
    width: u32,
}

impl Prefix {
    fn parse(text: &str) -> Result<Prefix, String> {
        let invalid =
            || format!("`{text}` is not a network prefix in CIDR notation, such as `10.0.0.0/16`");
        let (address, length) = text.split_once('/').ok_or_else(invalid)?;
        let (address, width) = match address.parse::<IpAddr>().map_err(|_| invalid())? {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        let length: u32 = length
            .parse()
            .ok()
            .filter(|length| *length <= width && !text.contains('+'))
            .ok_or_else(invalid)?;
        let prefix = Prefix {
            base: 0,
            length,
            width,
        };
        Ok(Prefix {
            base: address & prefix.mask(),
            ..prefix
        })
    }

    /// The bits of the network part set.
    fn mask(&self) -> u128 {
        let all = self.all();
        all & !(all.checked_shr(self.length).unwrap_or(0))
    }

    /// Every bit of an address set.
    fn all(&self) -> u128 {
        u128::MAX >> (128 - self.width)
    }

    /// How many host addresses after the first there are.
    fn last_host(&self) -> u128 {
        self.all().checked_shr(self.length).unwrap_or(0)
    }

    fn address(&self, bits: u128) -> IpAddr {
        match self.width {
            32 => IpAddr::V4(Ipv4Addr::from(bits as u32)),
            _ => IpAddr::V6(Ipv6Addr::from(bits)),
        }
    }

    /// The host numbered `number`; a negative number counts back from the last address.
    fn host(&self, number: i64) -> Result<IpAddr, String> {
        let max = self.last_host();
        let offset = match number < 0 {
            false => u128::from(number.unsigned_abs()),
            true => max
                .checked_sub(u128::from(number.unsigned_abs()) - 1)
                .ok_or_else(|| {
                    format!(
                        "prefix of {} does not accommodate a host numbered {number}",
                        self.length
                    )
                })?,
        };
        if offset > max {
            return Err(format!(
                "prefix of {} does not accommodate a host numbered {number}",
                self.length
            ));
        }
        Ok(self.address(self.base | offset))
    }

    /// The subnet numbered `number` among those `bits` longer.
    fn subnet(&self, bits: i64, number: i64) -> Result<Prefix, String> {
        let length = self.length as i64 + bits;
        if bits < 0 || length > self.width as i64 {
            return Err(format!(
                "insufficient address space to extend prefix of {} by {bits}",
                self.length
            ));
        }
        let length = length as u32;
        let count = 1u128.checked_shl(bits as u32).unwrap_or(0).wrapping_sub(1);
        if number < 0 || number as u128 > count {
            return Err(format!(
                "prefix extension of {bits} does not accommodate a subnet numbered {number}"
            ));
        }
        let shift = self.width - length;
        let offset = (number as u128).checked_shl(shift).unwrap_or(0);
        Ok(Prefix {
            base: self.base | offset,
            length,
            width: self.width,
        })
    }

    /// Consecutive subnets of the lengths `bits` longer each, every one aligned after the one
    /// before, as `cidrsubnets` allocates them.
    fn subnets(&self, bits: &[i64]) -> Result<Vec<Prefix>, String> {
        let mut subnets: Vec<Prefix> = Vec::with_capacity(bits.len());
        // The address after the last one allocated so far.
        let mut next = self.base;
        for &extra in bits {
            if extra < 1 {
                return Err("each new prefix must extend the prefix by at least one bit".to_owned());
            }
            let length = self.length as i64 + extra;
            if length > self.width as i64 {
                return Err(format!(
                    "would extend prefix to {length} bits, which is too long for an IPv{} address",
                    if self.width == 32 { 4 } else { 6 }
                ));
            }
            let subnet = Prefix {
                base: 0,
                length: length as u32,
                width: self.width,
            };
            let size = subnet.last_host() + 1;
            // The first aligned start at or after `next`.
            let start = next.div_ceil(size).checked_mul(size);
            let end = start.and_then(|start| start.checked_add(size - 1));
            let (Some(start), Some(end)) = (start, end) else {
                return Err(self.no_room(length, subnets.last()));
            };
            if start & self.mask() != self.base
                || end & self.mask() != self.base
                || end > self.all()
            {
                return Err(self.no_room(length, subnets.last()));
            }
            subnets.push(Prefix {
                base: start,
                ..subnet
            });
            next = end + 1;
        }
        Ok(subnets)
    }

    fn no_room(&self, length: i64, after: Option<&Prefix>) -> String {
        let after = after.map_or_else(|| self.to_string(), Prefix::to_string);
        format!(
            "not enough remaining address space for a subnet with a prefix of {length} bits after {after}"
        )
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.address(self.base), self.length)
    }
}
