//! Terraform's encoding and hash functions.

use super::*;

pub(super) const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

pub const NAMES: &[&str] = &[
    "base64decode",
    "base64encode",
    "base64gzip",
    "base64sha256",
    "base64sha512",
    "bcrypt",
    "csvdecode",
    "jsondecode",
    "jsonencode",
    "md5",
    "rsadecrypt",
    "sha1",
    "sha256",
    "sha512",
    "textdecodebase64",
    "textencodebase64",
    "urlencode",
    "uuidv5",
    "yamldecode",
    "yamlencode",
];

pub fn call(a: &Args<'_>, _directory: &Path) -> Result<Value, String> {
    let Args { name, values: args } = *a;
    match name {
        "jsonencode" => {
            a.count(1)?;
            let json = args[0]
                .to_json()
                .ok_or_else(|| "cannot encode an unknown value".to_owned())?;
            // As Go's encoder writes it, so that the text is safe inside HTML.
            let mut text = String::new();
            for c in json.to_string().chars() {
                match c {
                    '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                        text.push_str(&format!("\\u{:04x}", u32::from(c)));
                    }
                    c => text.push(c),
                }
            }
            string(text)
        }
        "jsondecode" => {
            a.count(1)?;
            let json: serde_json::Value = serde_json::from_str(&a.text(0)?)
                .map_err(|error| format!("the string is not valid JSON: {error}"))?;
            Ok(Value::from_json(&json))
        }
        "yamlencode" => {
            a.count(1)?;
            let mut out = String::new();
            yaml(&args[0], 0, &mut out);
            string(out)
        }
        "yamldecode" => {
            a.count(1)?;
            let json: serde_json::Value = serde_norway::from_str(&a.text(0)?)
                .map_err(|error| format!("the string is not valid YAML: {error}"))?;
            Ok(Value::from_json(&json))
        }
        "base64encode" => {
            a.count(1)?;
            string(BASE64.encode(a.text(0)?))
        }
        "base64decode" => {
            a.count(1)?;
            let bytes = BASE64
                .decode(a.text(0)?)
                .map_err(|error| format!("the string is not valid base64: {error}"))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| "the decoded bytes are not valid UTF-8".to_owned())
        }
        "md5" | "sha1" | "sha256" | "sha512" => {
            a.count(1)?;
            string(hex(&digest(name, a.text(0)?.as_bytes())))
        }
        "base64sha256" | "base64sha512" => {
            a.count(1)?;
            string(BASE64.encode(digest(&name["base64".len()..], a.text(0)?.as_bytes())))
        }
        "base64gzip" => {
            a.count(1)?;
            let mut gzip =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut gzip, a.text(0)?.as_bytes())
                .and_then(|()| gzip.finish())
                .map(|bytes| Value::String(BASE64.encode(bytes)))
                .map_err(|error| format!("cannot compress the string: {error}"))
        }
        "csvdecode" => {
            a.count(1)?;
            csv(&a.text(0)?)
        }
        "textencodebase64" => {
            a.count(2)?;
            let (text, encoding) = (a.text(0)?, a.text(1)?);
            string(BASE64.encode(encode(&text, &encoding)?))
        }
        "textdecodebase64" => {
            a.count(2)?;
            let bytes = BASE64
                .decode(a.text(0)?)
                .map_err(|error| format!("the string is not valid base64: {error}"))?;
            string(decode(&bytes, &a.text(1)?)?)
        }
        "urlencode" => {
            a.count(1)?;
            string(url_encode(&a.text(0)?))
        }
        "bcrypt" => {
            if !(1..=2).contains(&args.len()) {
                return Err("`bcrypt` takes a string and, optionally, a cost".to_owned());
            }
            let cost = match args.get(1) {
                Some(_) => whole(name, a.number(1)?)?,
                // Go's default cost, which Terraform uses, not the crate's.
                None => 10,
            };
            let cost = u32::try_from(cost)
                .ok()
                .filter(|cost| (4..=31).contains(cost))
                .ok_or_else(|| format!("the cost {cost} is outside 4 to 31"))?;
            bcrypt::hash_with_result(a.text(0)?, cost)
                .map(|hash| Value::String(hash.format_for_version(bcrypt::Version::TwoA)))
                .map_err(|error| format!("cannot hash the string: {error}"))
        }
        "rsadecrypt" => {
            a.count(2)?;
            rsa_decrypt(&a.text(0)?, &a.text(1)?)
        }
        "uuidv5" => {
            a.count(2)?;
            let namespace = match a.text(0)?.as_str() {
                "dns" => uuid::Uuid::NAMESPACE_DNS,
                "url" => uuid::Uuid::NAMESPACE_URL,
                "oid" => uuid::Uuid::NAMESPACE_OID,
                "x500" => uuid::Uuid::NAMESPACE_X500,
                other => uuid::Uuid::parse_str(other).map_err(|_| {
                    format!(
                        "the namespace `{other}` is neither `dns`, `url`, `oid`, `x500` nor a UUID"
                    )
                })?,
            };
            string(uuid::Uuid::new_v5(&namespace, a.text(1)?.as_bytes()).to_string())
        }
        _ => Err(no_such(name)),
    }
}

/// The digest of `bytes` by the hash `algorithm` names: `md5`, `sha1`, `sha256` or `sha512`.
pub(super) fn digest(algorithm: &str, bytes: &[u8]) -> Vec<u8> {
    match algorithm {
        "md5" => md5::Md5::digest(bytes).to_vec(),
        "sha1" => sha1::Sha1::digest(bytes).to_vec(),
        "sha256" => sha2::Sha256::digest(bytes).to_vec(),
        _ => sha2::Sha512::digest(bytes).to_vec(),
    }
}

/// `csvdecode`: the first line names the fields; each further line is a map of them.
fn csv(text: &str) -> Result<Value, String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|error| format!("the CSV is not valid: {error}"))?
        .clone();
    if headers.is_empty() {
        return Err("the CSV has no header line to name its fields".to_owned());
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| match error.kind() {
            csv::ErrorKind::UnequalLengths {
                pos,
                expected_len,
                len,
            } => format!(
                "line {} has {len} fields, but the header has {expected_len}",
                pos.as_ref().map_or(0, csv::Position::line)
            ),
            _ => format!("the CSV is not valid: {error}"),
        })?;
        rows.push(Value::Map(
            headers
                .iter()
                .zip(record.iter())
                .map(|(field, value)| (field.to_owned(), Value::String(value.to_owned())))
                .collect(),
        ));
    }
    Ok(Value::List(rows))
}

/// The text in the character encoding `encoding` names (an IANA name or alias).
fn encode(text: &str, encoding: &str) -> Result<Vec<u8>, String> {
    let units = |little: bool| {
        text.encode_utf16()
            .flat_map(|unit| match little {
                true => unit.to_le_bytes(),
                false => unit.to_be_bytes(),
            })
            .collect()
    };
    match encoding.to_ascii_uppercase().as_str() {
        "UTF-16LE" => return Ok(units(true)),
        "UTF-16BE" | "UTF-16" => return Ok(units(false)),
        _ => {}
    }
    let (bytes, _, unmappable) = character_encoding(encoding)?.encode(text);
    match unmappable {
        false => Ok(bytes.into_owned()),
        true => Err(format!(
            "the string has characters that cannot be written in {encoding}"
        )),
    }
}

/// The bytes read as text in the character encoding `encoding` names.
fn decode(bytes: &[u8], encoding: &str) -> Result<String, String> {
    let encoding_rs = match encoding.to_ascii_uppercase().as_str() {
        "UTF-16LE" => encoding_rs::UTF_16LE,
        "UTF-16BE" | "UTF-16" => encoding_rs::UTF_16BE,
        _ => character_encoding(encoding)?,
    };
    match encoding_rs.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => Err(format!("the bytes are not valid {encoding}")),
    }
}

fn character_encoding(name: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_rs::Encoding::for_label(name.as_bytes())
        .ok_or_else(|| format!("`{name}` is not a character encoding gateform knows"))
}

/// Go's `url.QueryEscape`, which `urlencode` is: a space is `+`, and every byte but letters,
/// digits and `-_.~` is `%XX`.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `rsadecrypt`: base64 ciphertext encrypted with RSA PKCS #1 v1.5, and the private key in PEM
/// (PKCS #1 `RSA PRIVATE KEY` or PKCS #8 `PRIVATE KEY`).
fn rsa_decrypt(ciphertext: &str, key: &str) -> Result<Value, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::pkcs8::DecodePrivateKey as _;
    let ciphertext = BASE64
        .decode(ciphertext)
        .map_err(|error| format!("the ciphertext is not valid base64: {error}"))?;
    let (label, der) = pem(key).ok_or("the private key is not in PEM format")?;
    let key = match label.as_str() {
        "RSA PRIVATE KEY" => rsa::PrivateKey::from_pkcs1_der(&der).map_err(|e| e.to_string()),
        "PRIVATE KEY" => rsa::PrivateKey::from_pkcs8_der(&der).map_err(|e| e.to_string()),
        other => Err(format!(
            "a `{other}` is not an RSA private key gateform can read"
        )),
    }
    .map_err(|error| format!("the private key cannot be read: {error}"))?;
    let plain = key
        .decrypt(rsa::Pkcs1v15Encrypt, &ciphertext)
        .map_err(|_| "the ciphertext cannot be decrypted with this key".to_owned())?;
    String::from_utf8(plain)
        .map(Value::String)
        .map_err(|_| "the decrypted bytes are not valid UTF-8".to_owned())
}

/// The label and the bytes of the first PEM block in `text`.
fn pem(text: &str) -> Option<(String, Vec<u8>)> {
    let begin = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let label_end = begin + text[begin..].find("-----")?;
    let label = text[begin..label_end].to_owned();
    let body_start = label_end + "-----".len();
    let end = body_start + text[body_start..].find(&format!("-----END {label}-----"))?;
    let body: String = text[body_start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some((label, BASE64.decode(body).ok()?))
}
