//! Reading a contract file, with errors that name the JSON path and the field.
//!
//! The file is walked by hand rather than through a derived `Deserialize`: the
//! messages are the interface people meet when they edit a contract, so each one
//! says where the problem is, what was expected and what was found, and an
//! unknown key gets the closest known one as a suggestion.

use serde_json::{Map, Value};

use crate::contract::{
    AdditionalFields, Contract, ContractError, ContractSource, FieldContract, FieldType, CONTRACT_FORMAT,
    CONTRACT_FORMAT_VERSION,
};

const TOP_KEYS: &[&str] =
    &["format", "format_version", "version", "description", "source", "additional_fields", "fields"];
const FIELD_KEYS: &[&str] = &[
    "name",
    "type",
    "required",
    "nullable",
    "minimum",
    "maximum",
    "allow_nan",
    "allow_inf",
    "categories",
    "min_length",
    "max_length",
    "max_null_share",
    "unique",
    "description",
];
const TYPES: &[&str] = &["number", "integer", "boolean", "string", "datetime", "any"];

fn error(path: impl Into<String>, field: Option<&str>, message: impl Into<String>) -> ContractError {
    ContractError {
        path: path.into(),
        field: field.map(str::to_string),
        message: message.into(),
        line: None,
        column: None,
    }
}

/// How a JSON value is described in messages: its kind, and short scalars themselves.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string \"{s}\""),
        Value::String(_) => "a string".into(),
        Value::Array(a) => format!("an array of {} item{}", a.len(), if a.len() == 1 { "" } else { "s" }),
        Value::Object(_) => "an object".into(),
    }
}

/// The known name closest to `unknown` by edit distance, if it is close enough to be a typo.
pub(crate) fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let unknown_lower = unknown.to_ascii_lowercase();
    let length = unknown.chars().count();
    known
        .into_iter()
        .filter_map(|k| {
            let limit = (k.chars().count() / 3).max(1);
            // The difference in length is a lower bound of the distance: skip the
            // quadratic computation for names that cannot be close (a payload can
            // carry thousands of long unknown keys).
            if length.abs_diff(k.chars().count()) > limit {
                return None;
            }
            let d = edit_distance(&unknown_lower, &k.to_ascii_lowercase());
            (d <= limit).then_some((d, k))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn unknown_key(path: &str, field: Option<&str>, key: &str, known: &[&str], what: &str) -> ContractError {
    let hint = match closest(key, known.iter().copied()) {
        Some(k) => format!("; did you mean \"{k}\"?"),
        None => format!("; known {what}s: {}", known.join(", ")),
    };
    error(path, field, format!("unknown {what} \"{key}\"{hint}"))
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

struct Reader<'a> {
    map: &'a Map<String, Value>,
    path: String,
    field: Option<String>,
}

impl<'a> Reader<'a> {
    fn err(&self, key: &str, message: impl Into<String>) -> ContractError {
        error(child(&self.path, key), self.field.as_deref(), message)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    fn required(&self, key: &str) -> Result<&'a Value, ContractError> {
        self.get(key).ok_or_else(|| {
            let at = if self.path.is_empty() { "the contract".to_string() } else { self.path.clone() };
            let mut e = error(at, self.field.as_deref(), format!("\"{key}\" is missing"));
            if self.path.is_empty() {
                e.path = key.to_string();
                e.message = "this key is missing".into();
            }
            e
        })
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> ContractError {
        self.err(key, format!("expected {expected}, found {}", describe(found)))
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, ContractError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.wrong(key, "a string", v)),
        }
    }

    fn bool(&self, key: &str, default: bool) -> Result<bool, ContractError> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(self.wrong(key, "true or false", v)),
        }
    }

    fn number(&self, key: &str) -> Result<Option<f64>, ContractError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.err(key, format!("the number {n} is out of range"))),
            },
            Some(v) => Err(self.wrong(key, "a number", v)),
        }
    }

    fn count(&self, key: &str) -> Result<Option<u64>, ContractError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.err(key, format!("expected a whole number 0 or more, found {n}"))),
            Some(v) => Err(self.wrong(key, "a whole number", v)),
        }
    }

    fn check_keys(&self, known: &[&str], what: &str) -> Result<(), ContractError> {
        for key in self.map.keys() {
            if !known.contains(&key.as_str()) {
                return Err(unknown_key(&child(&self.path, key), self.field.as_deref(), key, known, what));
            }
        }
        Ok(())
    }
}

pub(crate) fn parse(value: &Value) -> Result<Contract, ContractError> {
    let Value::Object(map) = value else {
        return Err(error("", None, format!("a contract is a JSON object, found {}", describe(value))));
    };
    let top = Reader { map, path: String::new(), field: None };
    match top.required("format")? {
        Value::String(s) if s == CONTRACT_FORMAT => {}
        v => return Err(top.wrong("format", &format!("\"{CONTRACT_FORMAT}\""), v)),
    }
    match top.required("format_version")? {
        Value::Number(n) if n.as_u64() == Some(CONTRACT_FORMAT_VERSION) => {}
        Value::Number(n) if n.as_u64().is_some_and(|v| v > CONTRACT_FORMAT_VERSION) => {
            return Err(top.err(
                "format_version",
                format!(
                    "format version {n} is newer than this modelgate reads ({CONTRACT_FORMAT_VERSION}); upgrade modelgate"
                ),
            ))
        }
        v => return Err(top.wrong("format_version", &CONTRACT_FORMAT_VERSION.to_string(), v)),
    }
    top.check_keys(TOP_KEYS, "key")?;
    let version = match top.required("version")? {
        Value::String(s) => s.clone(),
        v => return Err(top.wrong("version", "a string such as \"1\"", v)),
    };
    let description = top.string("description")?.map(str::to_string);
    let source = match top.get("source") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => {
            let r = Reader { map: m, path: "source".into(), field: None };
            r.check_keys(&["file", "rows"], "key")?;
            let file = match r.required("file")? {
                Value::String(s) => s.clone(),
                v => return Err(r.wrong("file", "a string", v)),
            };
            let rows = r.count("rows")?.unwrap_or(0);
            Some(ContractSource { file, rows })
        }
        Some(v) => return Err(top.wrong("source", "an object with \"file\" and \"rows\"", v)),
    };
    let additional_fields = match top.string("additional_fields")? {
        None | Some("reject") => AdditionalFields::Reject,
        Some("allow") => AdditionalFields::Allow,
        Some(other) => {
            return Err(
                top.err("additional_fields", format!("expected \"reject\" or \"allow\", found \"{other}\""))
            )
        }
    };
    let fields = match top.required("fields")? {
        Value::Array(items) => {
            items.iter().enumerate().map(|(i, item)| parse_field(i, item)).collect::<Result<Vec<_>, _>>()?
        }
        v => return Err(top.wrong("fields", "an array of field objects", v)),
    };
    let mut contract = Contract::new(fields)?;
    contract.version = version;
    contract.description = description;
    contract.source = source;
    contract.additional_fields = additional_fields;
    contract.check()?;
    Ok(contract)
}

fn parse_field(index: usize, value: &Value) -> Result<FieldContract, ContractError> {
    let path = format!("fields[{index}]");
    let Value::Object(map) = value else {
        return Err(error(path, None, format!("expected a field object, found {}", describe(value))));
    };
    let name = match map.get("name") {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let r = Reader { map, path: path.clone(), field: name.clone() };
    let name = match r.required("name")? {
        Value::String(s) => s.clone(),
        v => return Err(r.wrong("name", "a string", v)),
    };
    r.check_keys(FIELD_KEYS, "rule")?;
    let field_type = match r.required("type")? {
        Value::String(s) => FieldType::parse(s).ok_or_else(|| {
            let hint = closest(s, TYPES.iter().copied())
                .map_or(String::new(), |t| format!("; did you mean \"{t}\"?"));
            r.err("type", format!("unknown type \"{s}\"; expected one of {}{hint}", TYPES.join(", ")))
        })?,
        v => return Err(r.wrong("type", &format!("one of {}", TYPES.join(", ")), v)),
    };
    let mut field = FieldContract::new(name, field_type);
    field.required = r.bool("required", true)?;
    field.nullable = r.bool("nullable", false)?;
    field.minimum = r.number("minimum")?;
    field.maximum = r.number("maximum")?;
    field.allow_nan = r.bool("allow_nan", false)?;
    field.allow_inf = r.bool("allow_inf", false)?;
    field.categories = match r.get("categories") {
        None => None,
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            let mut seen = std::collections::HashSet::new();
            for (j, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) if !seen.insert(s.as_str()) => {
                        return Err(r.err(&format!("categories[{j}]"), format!("\"{s}\" is listed twice")))
                    }
                    Value::String(s) => out.push(s.clone()),
                    v => return Err(r.wrong(&format!("categories[{j}]"), "a string", v)),
                }
            }
            // Sorted, so the order in the file does not change the hash.
            out.sort_unstable();
            Some(out)
        }
        Some(v) => return Err(r.wrong("categories", "an array of strings", v)),
    };
    field.min_length = r.count("min_length")?;
    field.max_length = r.count("max_length")?;
    field.max_null_share = r.number("max_null_share")?;
    field.unique = r.bool("unique", false)?;
    field.description = r.string("description")?.map(str::to_string);
    Ok(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(closest("maxmum", FIELD_KEYS.iter().copied()), Some("maximum"));
        assert_eq!(closest("Nullable", FIELD_KEYS.iter().copied()), Some("nullable"));
        assert_eq!(closest("colour", FIELD_KEYS.iter().copied()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    /// Hostile corpus `payload_many_keys`: every unknown key of a payload was
    /// compared with every field name by a full edit distance, so a 0.6 MB body of
    /// 50,000 unknown keys took 5 s in the worker's wasm. Names whose length alone
    /// rules them out are now skipped; the suggestions stay the same.
    #[test]
    fn regression_suggestions_skip_names_too_different_in_length() {
        let names = ["age", "income", "credit_score"];
        assert_eq!(closest("incme", names), Some("income"));
        assert_eq!(closest("credit_scor", names), Some("credit_score"));
        assert_eq!(closest("ag", names), Some("age"));
        assert_eq!(closest("credit_sc", names), Some("credit_score"));
        // Lengths too far apart: no suggestion, as the full distance would say.
        assert_eq!(closest("credit", names), None);
        assert_eq!(edit_distance("credit", "credit_score"), 6);
        assert_eq!(closest(&"x".repeat(100_000), names), None);
    }
}
