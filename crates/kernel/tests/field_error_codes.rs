//! `FIELD_ERROR_CODES` is exactly the set of codes the product builds field errors with: the
//! OpenAPI document publishes it as the enum of `FieldError.code`, so a code missing from it
//! breaks the contract, and a code nothing builds promises clients something they never get.
//!
//! The scan parses every Rust source under crates/*/src, test code left out, and reads the
//! code of every `FieldError::new(field, code, message)` and `FieldError { code, .. }`. A
//! code may be written as
//!
//! - a string literal;
//! - `self.code()` inside `impl T`: the string literals `T::code` returns;
//! - a call of a function of the same file: the string literals it returns;
//! - a local variable bound by `let` to an expression that yields string literals.
//!
//! Any other expression fails the scan, naming where it is, so no code escapes it. Macro
//! calls whose arguments are expressions (`vec![…]`, `format!(…)`) are read through; one
//! that mentions `FieldError` but cannot be read fails the scan too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ggzy_kernel::FIELD_ERROR_CODES;
use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// One code-setting site: where it is, and the codes it can set or why they are unreadable.
struct Site {
    at: String,
    codes: Result<Vec<String>, String>,
}

/// What the sources build: each code with where, and the sites whose code is unreadable.
#[derive(Default)]
struct Found {
    codes: BTreeMap<String, BTreeSet<String>>,
    unreadable: Vec<String>,
}

impl Found {
    fn add(&mut self, sites: Vec<Site>) {
        for site in sites {
            match site.codes {
                Ok(codes) => {
                    for code in codes {
                        self.codes.entry(code).or_default().insert(site.at.clone());
                    }
                }
                Err(why) => self.unreadable.push(format!("{}: {why}", site.at)),
            }
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// `#[test]`, `#[cfg(test)]`: code that only tests compile.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("test")
            || (attr.path().is_ident("cfg") && attr.parse_args::<syn::Path>().is_ok_and(|p| p.is_ident("test")))
    })
}

/// The files of the `#[cfg(test)] mod name;` declarations of `file`.
fn test_module_files(file: &Path, syntax: &syn::File) -> Vec<PathBuf> {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let parent = file.parent().unwrap_or(Path::new(""));
    let dir = if matches!(stem, "lib" | "main" | "mod") { parent.to_path_buf() } else { parent.join(stem) };
    let mut files = Vec::new();
    for item in &syntax.items {
        if let syn::Item::Mod(module) = item {
            if module.content.is_none() && test_only(&module.attrs) {
                let name = module.ident.to_string();
                files.push(dir.join(format!("{name}.rs")));
                files.push(dir.join(name).join("mod.rs"));
            }
        }
    }
    files
}

/// The last segment of a type's path, e.g. `MoneyError`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_field_error_new(func: &syn::Expr) -> bool {
    let syn::Expr::Path(path) = func else { return false };
    let names: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
    names.ends_with(&["FieldError".to_owned(), "new".to_owned()])
}

fn text(tokens: &impl ToTokens) -> String {
    tokens.to_token_stream().to_string()
}

/// The string literals an expression yields: literals, and the arms, branches and tails
/// that end in them.
fn yielded_literals(expr: &syn::Expr) -> Result<Vec<String>, String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(literal), .. }) => Ok(vec![literal.value()]),
        syn::Expr::Paren(inner) => yielded_literals(&inner.expr),
        syn::Expr::Group(inner) => yielded_literals(&inner.expr),
        syn::Expr::Reference(inner) => yielded_literals(&inner.expr),
        syn::Expr::Return(syn::ExprReturn { expr: Some(inner), .. }) => yielded_literals(inner),
        syn::Expr::Block(block) => block_literals(&block.block),
        syn::Expr::Match(matched) => {
            let mut all = Vec::new();
            for arm in &matched.arms {
                all.extend(yielded_literals(&arm.body)?);
            }
            Ok(all)
        }
        syn::Expr::If(branch) => {
            let mut all = block_literals(&branch.then_branch)?;
            match &branch.else_branch {
                Some((_, otherwise)) => all.extend(yielded_literals(otherwise)?),
                None => return Err(format!("`{}` has no else", text(expr))),
            }
            Ok(all)
        }
        other => Err(format!("`{}` is not a string literal", text(other))),
    }
}

fn block_literals(block: &syn::Block) -> Result<Vec<String>, String> {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(tail, None)) => yielded_literals(tail),
        _ => Err(format!("`{}` ends in no value", text(block))),
    }
}

/// Finds the last `let name = …` of a function body.
struct LetFinder<'a> {
    name: &'a str,
    init: Option<&'a syn::Expr>,
}

impl<'a> Visit<'a> for LetFinder<'a> {
    fn visit_local(&mut self, local: &'a syn::Local) {
        let pattern = match &local.pat {
            syn::Pat::Type(typed) => &*typed.pat,
            other => other,
        };
        if let (syn::Pat::Ident(ident), Some(init)) = (pattern, &local.init) {
            if ident.ident == self.name {
                self.init = Some(&init.expr);
            }
        }
        syn::visit::visit_local(self, local);
    }
}

/// The functions of a file that a code may come from: free functions by name, methods by
/// their impl's type and name.
#[derive(Default)]
struct Functions<'a> {
    free: BTreeMap<String, &'a syn::Block>,
    methods: BTreeMap<(String, String), &'a syn::Block>,
    impl_type: Option<String>,
}

impl<'a> Visit<'a> for Functions<'a> {
    fn visit_item_mod(&mut self, module: &'a syn::ItemMod) {
        if !test_only(&module.attrs) {
            syn::visit::visit_item_mod(self, module);
        }
    }

    fn visit_item_fn(&mut self, function: &'a syn::ItemFn) {
        if !test_only(&function.attrs) {
            self.free.insert(function.sig.ident.to_string(), &function.block);
        }
    }

    fn visit_item_impl(&mut self, item: &'a syn::ItemImpl) {
        if test_only(&item.attrs) {
            return;
        }
        let outer = std::mem::replace(&mut self.impl_type, type_name(&item.self_ty));
        syn::visit::visit_item_impl(self, item);
        self.impl_type = outer;
    }

    fn visit_impl_item_fn(&mut self, method: &'a syn::ImplItemFn) {
        if let Some(ty) = &self.impl_type {
            self.methods.insert((ty.clone(), method.sig.ident.to_string()), &method.block);
        }
    }
}

/// Walks a file's non-test code for the sites that set a field error's code.
struct SiteFinder<'a> {
    file: String,
    functions: &'a Functions<'a>,
    impl_type: Option<String>,
    function: Option<(String, &'a syn::Block)>,
    sites: Vec<Site>,
}

impl<'a> SiteFinder<'a> {
    fn record(&mut self, code: &syn::Expr) {
        let within = self.function.as_ref().map(|(name, _)| name.as_str()).unwrap_or("(no function)");
        let at = match &self.impl_type {
            Some(ty) => format!("{} {ty}::{within}", self.file),
            None => format!("{} {within}", self.file),
        };
        let codes = self.codes_of(code);
        self.sites.push(Site { at, codes });
    }

    fn codes_of(&self, code: &syn::Expr) -> Result<Vec<String>, String> {
        let unreadable = || Err(format!("cannot read the code `{}`", text(code)));
        match code {
            syn::Expr::Lit(_) | syn::Expr::Paren(_) | syn::Expr::Group(_) | syn::Expr::Reference(_) => {
                yielded_literals(code)
            }
            // `"code".into()` and the like.
            syn::Expr::MethodCall(call)
                if call.args.is_empty() && ["into", "to_owned", "to_string"].contains(&&*call.method.to_string()) =>
            {
                self.codes_of(&call.receiver)
            }
            // `self.code()` inside `impl T`: what `T::code` returns.
            syn::Expr::MethodCall(call)
                if call.args.is_empty() && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("self")) =>
            {
                let Some(ty) = &self.impl_type else { return unreadable() };
                match self.functions.methods.get(&(ty.clone(), call.method.to_string())) {
                    Some(body) => block_literals(body),
                    None => unreadable(),
                }
            }
            // `code_of(x)`: what the function of this file returns.
            syn::Expr::Call(call) => match &*call.func {
                syn::Expr::Path(path) if path.path.segments.len() == 1 => {
                    match self.functions.free.get(&path.path.segments[0].ident.to_string()) {
                        Some(body) => block_literals(body),
                        None => unreadable(),
                    }
                }
                _ => unreadable(),
            },
            // `code`, bound by `let` in the enclosing function.
            syn::Expr::Path(path) if path.path.segments.len() == 1 => {
                let Some((_, body)) = self.function else { return unreadable() };
                let name = path.path.segments[0].ident.to_string();
                let mut finder = LetFinder { name: &name, init: None };
                finder.visit_block(body);
                match finder.init {
                    Some(init) => yielded_literals(init),
                    None => unreadable(),
                }
            }
            _ => unreadable(),
        }
    }
}

impl<'a> Visit<'a> for SiteFinder<'a> {
    fn visit_item_mod(&mut self, module: &'a syn::ItemMod) {
        if !test_only(&module.attrs) {
            syn::visit::visit_item_mod(self, module);
        }
    }

    fn visit_item_fn(&mut self, function: &'a syn::ItemFn) {
        if test_only(&function.attrs) {
            return;
        }
        let outer = self.function.replace((function.sig.ident.to_string(), &function.block));
        syn::visit::visit_item_fn(self, function);
        self.function = outer;
    }

    fn visit_item_impl(&mut self, item: &'a syn::ItemImpl) {
        let ty = type_name(&item.self_ty);
        // The constructor itself takes the code as a parameter.
        if test_only(&item.attrs) || ty.as_deref() == Some("FieldError") {
            return;
        }
        let outer = std::mem::replace(&mut self.impl_type, ty);
        syn::visit::visit_item_impl(self, item);
        self.impl_type = outer;
    }

    fn visit_impl_item_fn(&mut self, method: &'a syn::ImplItemFn) {
        if test_only(&method.attrs) {
            return;
        }
        let outer = self.function.replace((method.sig.ident.to_string(), &method.block));
        syn::visit::visit_impl_item_fn(self, method);
        self.function = outer;
    }

    fn visit_expr_call(&mut self, call: &'a syn::ExprCall) {
        if is_field_error_new(&call.func) {
            match call.args.iter().nth(1) {
                Some(code) => self.record(code),
                None => self
                    .sites
                    .push(Site { at: self.file.clone(), codes: Err(format!("`{}` has no code argument", text(call))) }),
            }
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_struct(&mut self, built: &'a syn::ExprStruct) {
        if built.path.segments.last().is_some_and(|s| s.ident == "FieldError") {
            let code = built.fields.iter().find(|f| matches!(&f.member, syn::Member::Named(n) if n == "code"));
            match code {
                Some(field) => self.record(&field.expr),
                None => self.sites.push(Site {
                    at: self.file.clone(),
                    codes: Err(format!("`{}` copies its code from elsewhere", text(built))),
                }),
            }
        }
        syn::visit::visit_expr_struct(self, built);
    }
}

/// Replaces every macro call whose arguments are expressions by an array of them, so that
/// the scan sees the field errors built inside `vec![…]` and the like.
struct MacroArguments {
    file: String,
    unreadable: Vec<Site>,
}

impl MacroArguments {
    fn arguments(&mut self, mac: &syn::Macro) -> Option<syn::Expr> {
        let listed = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated.parse2(mac.tokens.clone());
        // `vec![element; count]`
        let repeated = || {
            (|input: syn::parse::ParseStream<'_>| {
                let element: syn::Expr = input.parse()?;
                input.parse::<syn::Token![;]>()?;
                input.parse::<syn::Expr>()?;
                Ok(Punctuated::<syn::Expr, syn::Token![,]>::from_iter([element]))
            })
            .parse2(mac.tokens.clone())
        };
        match listed.or_else(|_| repeated()) {
            Ok(elems) => {
                Some(syn::Expr::Array(syn::ExprArray { attrs: Vec::new(), bracket_token: Default::default(), elems }))
            }
            Err(_) => {
                self.unreadable_if_building(mac);
                None
            }
        }
    }

    fn unreadable_if_building(&mut self, mac: &syn::Macro) {
        if mac.tokens.to_string().contains("FieldError") {
            self.unreadable.push(Site {
                at: self.file.clone(),
                codes: Err(format!(
                    "the macro call `{}!` mentions FieldError but is not a list of expressions",
                    text(&mac.path)
                )),
            });
        }
    }
}

impl VisitMut for MacroArguments {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Macro(call) = expr {
            if let Some(arguments) = self.arguments(&call.mac) {
                *expr = arguments;
            }
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(call) = stmt {
            if let Some(arguments) = self.arguments(&call.mac) {
                *stmt = syn::Stmt::Expr(arguments, call.semi_token);
            }
        }
        syn::visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_macro_mut(&mut self, item: &mut syn::ItemMacro) {
        self.unreadable_if_building(&item.mac);
    }
}

/// The code-setting sites of one parsed file.
fn sites_of(file: &str, syntax: &syn::File) -> Vec<Site> {
    let mut expanded = syntax.clone();
    let mut macros = MacroArguments { file: file.to_owned(), unreadable: Vec::new() };
    macros.visit_file_mut(&mut expanded);
    let mut functions = Functions::default();
    functions.visit_file(&expanded);
    let mut finder =
        SiteFinder { file: file.to_owned(), functions: &functions, impl_type: None, function: None, sites: Vec::new() };
    finder.visit_file(&expanded);
    let mut sites = finder.sites;
    sites.extend(macros.unreadable);
    sites
}

/// Every code the product's sources build a field error with.
fn scan_workspace() -> Found {
    let root = workspace_root();
    let mut files = Vec::new();
    let crates = std::fs::read_dir(root.join("crates")).expect("crates/ is readable");
    for member in crates.filter_map(Result::ok) {
        rust_files(&member.path().join("src"), &mut files);
    }
    let parsed: Vec<(PathBuf, syn::File)> = files
        .into_iter()
        .map(|path| {
            let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let syntax = syn::parse_file(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, syntax)
        })
        .collect();
    let test_files: BTreeSet<PathBuf> =
        parsed.iter().flat_map(|(path, syntax)| test_module_files(path, syntax)).collect();
    let mut found = Found::default();
    for (path, syntax) in &parsed {
        if test_files.contains(path) {
            continue;
        }
        let name = path.strip_prefix(&root).unwrap_or(path).display().to_string();
        found.add(sites_of(&name, syntax));
    }
    found
}

#[test]
fn every_code_built_is_listed_and_every_listed_code_is_built() {
    let found = scan_workspace();
    assert!(found.unreadable.is_empty(), "field error codes the scan cannot read:\n{}", found.unreadable.join("\n"));
    // A scan that reads nothing would pass the rest.
    assert!(found.codes.len() > 100, "the scan found only {} codes", found.codes.len());
    let listed: BTreeSet<&str> = FIELD_ERROR_CODES.iter().copied().collect();
    let unlisted: Vec<String> = found
        .codes
        .iter()
        .filter(|(code, _)| !listed.contains(code.as_str()))
        .map(|(code, at)| format!("`{code}` ({})", at.iter().cloned().collect::<Vec<_>>().join("; ")))
        .collect();
    let unbuilt: Vec<&str> = listed.iter().copied().filter(|code| !found.codes.contains_key(*code)).collect();
    assert!(
        unlisted.is_empty() && unbuilt.is_empty(),
        "built but not in FIELD_ERROR_CODES:\n{}\nin FIELD_ERROR_CODES but built nowhere:\n{}",
        unlisted.join("\n"),
        unbuilt.join("\n")
    );
}

#[test]
fn the_scan_reads_every_written_form_and_refuses_the_rest() {
    let source = r#"
        fn literal() -> FieldError { FieldError::new("a", "plain", "m") }
        fn listed() -> Vec<FieldError> { vec![FieldError::new("a", "in_a_vec", format!("{}", 1))] }
        fn repeated() -> Vec<FieldError> { vec![FieldError::new("a", "repeated", "m"); 2] }
        fn converted() -> FieldError { ggzy_kernel::FieldError::new("a", "into".to_owned(), "m") }
        fn local(flag: bool) -> FieldError {
            let code = if flag { "then" } else { "otherwise" };
            FieldError::new("a", code, "m")
        }
        fn helper() -> FieldError { FieldError::new("a", picked(1), "m") }
        fn picked(n: u8) -> &'static str { match n { 1 => "one", _ => "other" } }
        enum Refusal { A, B }
        impl Refusal {
            fn code(&self) -> &'static str { match self { Refusal::A => "refused_a", Refusal::B => "refused_b" } }
            fn to_field_error(&self) -> FieldError { FieldError::new("a", self.code(), "m") }
        }
        fn built() -> FieldError { FieldError { field: "a".into(), code: "built".into(), message: "m".into() } }
        fn formatted(x: &str) -> FieldError { FieldError::new("a", format!("{x}_y"), "m") }
        fn passed(code: &str) -> FieldError { FieldError::new("a", code, "m") }
        #[cfg(test)]
        mod tests { fn only_tests() -> FieldError { FieldError::new("a", "in_a_test", "m") } }
    "#;
    let mut found = Found::default();
    found.add(sites_of("probe.rs", &syn::parse_file(source).unwrap()));
    let codes: Vec<&str> = found.codes.keys().map(String::as_str).collect();
    assert_eq!(
        codes,
        [
            "built",
            "in_a_vec",
            "into",
            "one",
            "other",
            "otherwise",
            "plain",
            "refused_a",
            "refused_b",
            "repeated",
            "then"
        ],
        "test code is left out"
    );
    assert_eq!(found.unreadable.len(), 2, "{:?}", found.unreadable);
    assert!(
        found.unreadable[0].contains("formatted") && found.unreadable[1].contains("passed"),
        "{:?}",
        found.unreadable
    );
}
