//! Checking OCDS output against the standard itself (feature `validate`): the release
//! package and record package schemas of OCDS 1.1.5 (JSON Schema draft 4, formats checked,
//! their `$ref`s resolved to the files beside them, no network) and the codelists the
//! output uses. Used by the tests and `cargo xtask seed`, not by the server.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// The schemas and codelists of one release of the standard, loaded from a folder laid out
/// like the standard's `schema/` (e.g. `../shared/ocds/1.1.5`).
#[derive(Debug)]
pub struct Standard {
    release_package: jsonschema::Validator,
    record_package: jsonschema::Validator,
    /// Codelist file name → its codes.
    codelists: BTreeMap<String, BTreeSet<String>>,
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

const SCHEMA_BASE: &str = "https://standard.open-contracting.org/schema/1__1__5/";

impl Standard {
    /// Loads the folder; an error names what is missing or broken.
    pub fn load(dir: &Path) -> Result<Standard, String> {
        let build = |file: &str| -> Result<jsonschema::Validator, String> {
            let mut options = jsonschema::options().with_draft(jsonschema::Draft::Draft4).should_validate_formats(true);
            for referenced in ["release-schema.json", "versioned-release-validation-schema.json"] {
                options = options.with_resource(
                    format!("{SCHEMA_BASE}{referenced}"),
                    jsonschema::Draft::Draft4.create_resource(read_json(&dir.join(referenced))?),
                );
            }
            options.build(&read_json(&dir.join(file))?).map_err(|e| format!("{file}: {e}"))
        };
        let mut codelists = BTreeMap::new();
        let folder = dir.join("codelists");
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            // The `Code` column (not always the first); codes hold no commas.
            let header = text.lines().next().unwrap_or_default();
            let column = header
                .split(',')
                .position(|h| h == "Code")
                .ok_or_else(|| format!("{}: no Code column", path.display()))?;
            let codes = text.lines().skip(1).filter_map(|l| l.split(',').nth(column)).map(str::to_owned).collect();
            codelists.insert(path.file_name().unwrap_or_default().to_string_lossy().into_owned(), codes);
        }
        Ok(Standard {
            release_package: build("release-package-schema.json")?,
            record_package: build("record-package-schema.json")?,
            codelists,
        })
    }

    /// Every problem of a release package or record package (told apart by `records`):
    /// schema errors with where they are, and codes not in their codelists, in the package
    /// and in the compiled releases of its records.
    pub fn problems(&self, package: &Value) -> Vec<String> {
        let records = package.get("records").and_then(Value::as_array);
        let validator = if records.is_some() { &self.record_package } else { &self.release_package };
        let mut problems: Vec<String> =
            validator.iter_errors(package).map(|e| format!("{e} at {}", e.instance_path())).collect();
        let mut releases: Vec<&Value> = package["releases"].as_array().map(|r| r.iter().collect()).unwrap_or_default();
        for record in records.into_iter().flatten() {
            releases.extend(record["releases"].as_array().into_iter().flatten());
            releases.push(&record["compiledRelease"]);
        }
        for release in releases {
            problems.extend(self.codelist_problems(release));
        }
        problems
    }

    /// The codes a release uses from closed codelists, and from the open ones whose codes
    /// the platform takes as they are, each checked against its file.
    fn codelist_problems(&self, release: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let mut check = |file: &str, code: &Value, at: &str| {
            if let Some(code) = code.as_str() {
                if !self.codelists.get(file).is_some_and(|codes| codes.contains(code)) {
                    problems.push(format!("{at}: `{code}` is not in {file}"));
                }
            }
        };
        let items = |v: &Value| v.as_array().cloned().unwrap_or_default();
        for tag in items(&release["tag"]) {
            check("releaseTag.csv", &tag, "tag");
        }
        check("initiationType.csv", &release["initiationType"], "initiationType");
        let tender = &release["tender"];
        check("tenderStatus.csv", &tender["status"], "tender.status");
        check("method.csv", &tender["procurementMethod"], "tender.procurementMethod");
        check("procurementCategory.csv", &tender["mainProcurementCategory"], "tender.mainProcurementCategory");
        for category in items(&tender["additionalProcurementCategories"]) {
            check("extendedProcurementCategory.csv", &category, "tender.additionalProcurementCategories");
        }
        for method in items(&tender["submissionMethod"]) {
            check("submissionMethod.csv", &method, "tender.submissionMethod");
        }
        for lot in items(&tender["lots"]) {
            check("tenderStatus.csv", &lot["status"], "tender.lots.status");
        }
        for document in items(&tender["documents"]) {
            check("documentType.csv", &document["documentType"], "tender.documents.documentType");
        }
        for award in items(&release["awards"]) {
            check("awardStatus.csv", &award["status"], "awards.status");
        }
        for contract in items(&release["contracts"]) {
            check("contractStatus.csv", &contract["status"], "contracts.status");
        }
        for party in items(&release["parties"]) {
            for role in items(&party["roles"]) {
                check("partyRole.csv", &role, "parties.roles");
            }
        }
        let mut currencies = Vec::new();
        collect_currencies(release, &mut currencies);
        for currency in currencies {
            check("currency.csv", &currency, "currency");
        }
        problems
    }
}

fn collect_currencies(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                if key == "currency" {
                    out.push(field.clone());
                } else {
                    collect_currencies(field, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_currencies(i, out)),
        _ => {}
    }
}
