//! Documents the platform stores: a tender whose documents are uploaded by the tenderer,
//! obtained by three bidders (who obtained them is secret until the opening), filed in the
//! project's archive zip with their bytes and verified offline; a file that is not the
//! declared one is never stored and a stored byte changed at rest is never served. On both
//! databases with the file-system store, and once against an S3-protocol server (moto)
//! started by the test.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};

use ggzy_blackbox::{both_backends, Backend, Server};
use serde_json::{json, Value};

use crate::envelopes::{place_bid_with_files, sealing_key};
use crate::projects::commit;
use crate::{get, post, register, resident_id, send, BINARY};

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Hands in a file; answers the reply.
fn upload(server: &Server, token: &str, query: &str, bytes: &[u8]) -> crate::Reply {
    send(
        server
            .client()
            .post(server.url(&format!("/api/v1/documents?{query}")))
            .bearer_auth(token)
            .header("Content-Type", "application/pdf")
            .body(bytes.to_vec()),
    )
}

/// A POST without a body.
fn post_empty(server: &Server, token: &str, path: &str) -> crate::Reply {
    send(server.client().post(server.url(path)).bearer_auth(token))
}

/// Downloads a file; answers the status, the bytes and the body as text when it is not 200.
fn download(server: &Server, path: &str, token: Option<&str>) -> (u16, Vec<u8>, reqwest::header::HeaderMap) {
    let mut request = server.client().get(server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = request.send().expect("download");
    let status = answer.status().as_u16();
    let headers = answer.headers().clone();
    (status, answer.bytes().expect("body").to_vec(), headers)
}

/// A tenderer's project with one section, its tender documents handed in and announced.
struct Tendered {
    project: String,
    section: String,
    announcement: String,
    tenderer_token: String,
    tender_file: Vec<u8>,
    approval: String,
    witness: String,
}

fn tendered(server: &Server) -> Tendered {
    let admin = server.token("platform_admin", None);
    let witness =
        post(server, "/api/v1/departments/centre/staff", Some(&admin), &json!({"subject": "w", "name": "见证人"}));
    assert_eq!(witness.status, 201, "{}", witness.text);
    let tenderer = register(server, "91110000600037341L", &["tenderer"])["id"].as_str().unwrap().to_owned();
    let token = server.token("tenderer", Some(&tenderer));
    let project = post(
        server,
        "/api/v1/projects",
        Some(&token),
        &json!({
        "name": "某工程", "tenderer_id": tenderer, "category": "construction", "subtype": "works", "sector": "building",
        "funding": "state_funded", "legally_required_tendering": true,
        "sections": [{"name": "一标段", "estimated_amount": "1000000.00"}],
        "approval_documents": [{"title": "批复", "number": "1号", "sha256": crate::SHA256_OF_TEST}]}),
    );
    assert_eq!(project.status, 201, "{}", project.text);
    let project_id = project.body["id"].as_str().unwrap().to_owned();
    let section = project.body["sections"][0]["id"].as_str().unwrap().to_owned();

    // The tender documents, handed in by the tenderer: stored under their hash.
    let tender_file = "%PDF-1.7\n招标文件（第一册）：投标人须知、评标办法、合同条款。\n".repeat(500).into_bytes();
    let hash = sha256(&tender_file);
    let query = format!(
        "kind=tender_document&title=%E6%8B%9B%E6%A0%87%E6%96%87%E4%BB%B6&sha256={hash}&project_id={project_id}"
    );
    let stored = upload(server, &token, &query, &tender_file);
    assert_eq!(stored.status, 201, "{}", stored.text);
    assert_eq!(stored.body["sha256"], hash);
    assert_eq!(stored.body["size_bytes"], tender_file.len());
    assert_eq!(stored.body["kind"], "tender_document");
    assert!(stored.body["retained_until_year"].as_i64().unwrap() >= 2041, "{}", stored.text);
    // Handed in again: the same document.
    let again = upload(server, &token, &query, &tender_file);
    assert_eq!((again.status, again.body["id"].clone()), (200, stored.body["id"].clone()), "{}", again.text);

    // An approval document as a file of the project.
    let approval = "%PDF-1.7 立项批复".as_bytes().to_vec();
    let approval_query =
        format!("kind=approval_document&title=%E6%89%B9%E5%A4%8D&sha256={}&project_id={project_id}", sha256(&approval));
    let approval = upload(server, &token, &approval_query, &approval);
    assert_eq!(approval.status, 201, "{}", approval.text);

    // A record may not point at a file nobody handed in.
    let never = sha256(b"never uploaded");
    let refused = post(
        server,
        &format!("/api/v1/projects/{project_id}/announcements"),
        Some(&token),
        &json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标一室",
                "documents": [{"title": "招标文件", "sha256": hash}, {"title": "图纸", "sha256": never}],
                "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    );
    refused.problem(422, "validation-failed");
    assert_eq!(refused.error_fields(), vec!["documents[1].sha256"], "{}", refused.text);
    assert!(refused.text.contains("document_not_stored"), "{}", refused.text);
    let announced = post(
        server,
        &format!("/api/v1/projects/{project_id}/announcements"),
        Some(&token),
        &json!({"bid_deadline": "2026-11-23T02:00:00Z", "opening_place": "开标一室",
                "documents": [{"title": "招标文件", "sha256": hash}],
                "sections": [{"section_id": section, "bond_amount": "20000.00"}]}),
    );
    assert_eq!(announced.status, 201, "{}", announced.text);
    Tendered {
        project: project_id,
        section,
        announcement: announced.body["id"].as_str().unwrap().to_owned(),
        tenderer_token: token,
        tender_file,
        approval: approval.body["id"].as_str().unwrap().to_owned(),
        witness: witness.body["id"].as_str().unwrap().to_owned(),
    }
}

fn bidder(server: &Server, section: &str, code: &str, id_body: &str) -> (String, String, String) {
    let id = register(server, code, &["bidder"])["id"].as_str().unwrap().to_owned();
    commit(server, &id, "bidder");
    let token = server.token("bidder", Some(&id));
    let held = post(
        server,
        &format!("/api/v1/sections/{section}/bonds"),
        Some(&token),
        &json!({"form": "transfer", "amount": "20000.00", "payer_account": {"bank": "中国银行", "number": format!("6222{id_body}"), "is_basic_account": true}}),
    );
    assert_eq!(held.status, 201, "{}", held.text);
    let centre = server.token("centre_staff", Some("centre"));
    let manager = post(
        server,
        "/api/v1/persons",
        Some(&centre),
        &json!({"name": "项目经理", "id_number": resident_id(id_body), "employer_id": id}),
    );
    assert_eq!(manager.status, 201, "{}", manager.text);
    (id, token, manager.body["id"].as_str().unwrap().to_owned())
}

/// Every file an archive zip carries and its manifest.
fn unzip(bytes: &[u8]) -> (Value, std::collections::BTreeMap<String, Vec<u8>>) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut files = std::collections::BTreeMap::new();
    for index in 0..zip.len() {
        let mut file = zip.by_index(index).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        files.insert(file.name().to_owned(), content);
    }
    let manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
    (manifest, files)
}

/// The same entries written again, one of them changed.
fn rezip(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        writer.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn a_tender_s_documents_are_stored_obtained_secretly_and_archived(backend: Backend) {
    let Some(server) = Server::start_with(BINARY, backend, &[("GGZY_CLOCK", "manual:2026-11-02T09:00:00+08:00")])
    else {
        return;
    };
    let t = tendered(&server);
    let hash = sha256(&t.tender_file);
    let centre = server.token("centre_staff", Some("centre"));
    let regulator = server.token("industry_regulator", Some("zjw"));

    // A file that is not the declared one is not stored; nor is a file too large for its
    // kind's header, nor one handed in by someone who does not hand in that kind.
    let declared = sha256(b"what was announced");
    let wrong = upload(
        &server,
        &t.tenderer_token,
        &format!("kind=tender_correction&title=x&sha256={declared}&project_id={}", t.project),
        b"something else",
    );
    wrong.problem(422, "validation-failed");
    assert_eq!(wrong.error_fields(), vec!["sha256"], "{}", wrong.text);
    let listed = get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(&t.tenderer_token));
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.body.as_array().unwrap().len(), 2, "only the two good files: {}", listed.text);
    let bad = upload(&server, &t.tenderer_token, "kind=tender_letter&sha256=abc&project_id=x&extra=1", b"x");
    bad.problem(400, "malformed-request");
    let bad = upload(&server, &t.tenderer_token, "kind=tender_letter&sha256=abc", b"x");
    bad.problem(422, "validation-failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["kind", "sha256", "title"], "every problem at once: {}", bad.text);
    let recording = b"\x00\x00\x00\x18ftypmp42 opening room".to_vec();
    let by_tenderer = upload(
        &server,
        &t.tenderer_token,
        &format!("kind=recording&title=rec&sha256={}&project_id={}", sha256(&recording), t.project),
        &recording,
    );
    by_tenderer.problem(403, "forbidden");
    assert!(
        get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(&centre))
            .body
            .as_array()
            .unwrap()
            .len()
            == 2
    );
    let by_centre = upload(
        &server,
        &centre,
        &format!("kind=recording&title=rec&sha256={}&project_id={}", sha256(&recording), t.project),
        &recording,
    );
    assert_eq!(by_centre.status, 201, "{}", by_centre.text);

    // A large file in pieces: a resumable upload goes on from the bytes it holds.
    let correction = "澄清文件：第三章工期改为 180 日历天。\n".repeat(4000).into_bytes();
    let session = post_empty(
        &server,
        &t.tenderer_token,
        &format!(
            "/api/v1/uploads?kind=tender_correction&title=c&sha256={}&project_id={}&size={}",
            sha256(&correction),
            t.project,
            correction.len()
        ),
    );
    assert_eq!(session.status, 201, "{}", session.text);
    assert_eq!(session.body["offset"], 0);
    let session_path = format!("/api/v1/uploads/{}", session.body["id"].as_str().unwrap());
    let third = correction.len() / 3;
    let chunk = |offset: usize, end: usize| {
        send(
            server
                .client()
                .patch(server.url(&session_path))
                .bearer_auth(&t.tenderer_token)
                .header("Upload-Offset", offset.to_string())
                .header("Content-Type", "application/octet-stream")
                .body(correction[offset..end].to_vec()),
        )
    };
    let first = chunk(0, third);
    assert_eq!(first.status, 204, "{}", first.text);
    assert_eq!(first.headers["upload-offset"], third.to_string().as_str());
    // A chunk sent again (its answer was lost): refused, naming where to go on.
    let again = chunk(0, third);
    again.problem(409, "conflict");
    assert!(again.text.contains(&third.to_string()), "{}", again.text);
    let stranger = get(&server, &session_path, Some(&centre));
    assert_eq!(stranger.status, 404, "another caller's session is not found: {}", stranger.text);
    let standing = get(&server, &session_path, Some(&t.tenderer_token));
    assert_eq!(
        (standing.body["offset"].as_u64(), standing.body["size"].as_u64()),
        (Some(third as u64), Some(correction.len() as u64))
    );
    assert_eq!(chunk(third, 2 * third).status, 204);
    let last = chunk(2 * third, correction.len());
    assert_eq!(last.status, 201, "{}", last.text);
    assert_eq!(last.body["sha256"], sha256(&correction));
    let (status, bytes, _) = download(
        &server,
        &format!("/api/v1/documents/{}/content", last.body["id"].as_str().unwrap()),
        Some(&regulator),
    );
    assert_eq!((status, bytes == correction), (200, true));
    assert_eq!(get(&server, &session_path, Some(&t.tenderer_token)).status, 404, "a completed session is closed");
    // A caller keeps at most 16 uploads open: the spool disk is not anyone's to fill.
    let open_one = |token: &str, n: usize| {
        post_empty(
            &server,
            token,
            &format!(
                "/api/v1/uploads?kind=tender_correction&title=c&sha256={}&project_id={}&size=10",
                sha256(format!("open {n}").as_bytes()),
                t.project
            ),
        )
    };
    for n in 0..16 {
        assert_eq!(open_one(&t.tenderer_token, n).status, 201);
    }
    open_one(&t.tenderer_token, 16).problem(429, "too-many-requests");
    assert_eq!(open_one(&centre, 16).status, 201, "another caller's count is its own");

    // Three bidders obtain the tender documents from the announcement.
    let path = format!("/api/v1/announcements/{}/documents/{hash}", t.announcement);
    let (status, _, _) = download(&server, &path, None);
    assert_eq!(status, 401, "a download is recorded: it needs a token");
    let mut bidders = Vec::new();
    for (code, body) in [
        ("914403001922038216", "11010519800101001"),
        ("91110108551385082Q", "11010519800101002"),
        ("9144030071526726XG", "11010519800101003"),
    ] {
        let (id, token, manager) = bidder(&server, &t.section, code, body);
        let (status, bytes, headers) = download(&server, &path, Some(&token));
        assert_eq!(status, 200);
        assert_eq!(bytes, t.tender_file, "the bytes handed in");
        assert_eq!(headers["digest"], format!("sha-256={hash}").as_str());
        assert_eq!(headers["x-content-type-options"], "nosniff", "a browser never runs a stored file");
        bidders.push((id, token, manager));
    }
    // A bidder reads no other file of the project, nor its list.
    let (status, _, _) = download(&server, &format!("/api/v1/documents/{}/content", t.approval), Some(&bidders[0].1));
    assert_eq!(status, 404);
    assert_eq!(get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(&bidders[0].1)).status, 404);
    let (status, bytes, _) = download(&server, &format!("/api/v1/documents/{}/content", t.approval), Some(&regulator));
    assert_eq!((status, bytes), (200, "%PDF-1.7 立项批复".as_bytes().to_vec()));
    // A hash the announcement does not name is not served through it.
    let (status, _, _) = download(
        &server,
        &format!("/api/v1/announcements/{}/documents/{}", t.announcement, sha256(&recording)),
        Some(&bidders[0].1),
    );
    assert_eq!(status, 404);

    // Before the opening nobody learns who obtained the documents.
    let downloads = format!("/api/v1/announcements/{}/downloads", t.announcement);
    for token in [&t.tenderer_token, &centre, &regulator, &server.token("inspector", Some("jijian"))] {
        let secret = get(&server, &downloads, Some(token));
        secret.problem(409, "conflict");
        assert!(!bidders.iter().any(|(id, _, _)| secret.text.contains(id.as_str())), "{}", secret.text);
    }
    assert_eq!(get(&server, &downloads, Some(&bidders[0].1)).status, 404, "a bidder reads no project's records");

    // The bids carry their files sealed: handed in before the envelope, under the bid's key.
    let bid_path = format!("kind=bid_file&title=x&sha256={}&project_id={}", sha256(b"x"), t.project);
    let plain = upload(&server, &bidders[0].1, &bid_path, b"x");
    plain.problem(422, "validation-failed");
    assert!(plain.text.contains("bid_file_with_sealed_bid"), "a bid file is never handed in in clear: {}", plain.text);
    let sealed_query =
        |section: &str, hash: &str| format!("kind=sealed_bid_file&title=sealed&sha256={hash}&section_id={section}");
    upload(&server, &t.tenderer_token, &sealed_query(&t.section, &sha256(b"y")), b"y").problem(403, "forbidden");
    let misplaced = upload(
        &server,
        &bidders[0].1,
        &format!("kind=sealed_bid_file&title=sealed&sha256={}&project_id={}", sha256(b"y"), t.project),
        b"y",
    );
    misplaced.problem(422, "validation-failed");
    let mut fields = misplaced.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["project_id", "section_id"], "every problem at once: {}", misplaced.text);
    let listed_before: Vec<Value> = [&t.tenderer_token, &centre]
        .iter()
        .map(|token| get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(token)).body)
        .collect();
    let bid_file = |index: usize| {
        format!("%PDF-1.7\n投标文件（技术标、商务标）BID-MARKER-{index}：施工组织设计、报价清单。\n")
            .repeat(2500)
            .into_bytes()
    };
    let mut bids = Vec::new();
    let mut sealed_files = Vec::new();
    for (index, (_, token, manager)) in bidders.iter().enumerate() {
        let body = json!({"price": format!("{}00000.00", 8 + index),
            "project_manager_id": manager, "device_fingerprint": format!("device-{manager}")});
        let file = bid_file(index);
        let (bid, sealed) = place_bid_with_files(&server, &t.section, token, &body, &[("投标文件", file.as_slice())]);
        assert_eq!(bid.status, 201, "{}", bid.text);
        bids.push((bid.body["id"].as_str().unwrap().to_owned(), sha256(&file), file));
        sealed_files.extend(sealed);
    }
    // At rest only the sealed form is kept: an operator reading the disk learns nothing.
    for sealed in &sealed_files {
        let at_rest = std::fs::read(server.data_dir.path().join("documents/sha256").join(&sealed[..2]).join(sealed))
            .expect("the sealed file in the store");
        assert!(!String::from_utf8_lossy(&at_rest).contains("BID-MARKER"), "a bid file at rest in clear");
    }
    // An envelope naming a sealed file its bidder did not hand in (another bidder's): refused.
    let stranger_key = sealing_key(&server, &bidders[0].0, &bidders[0].1);
    let content_key = ggzy_seal::new_content_key(stranger_key.suite);
    let borrowed = ggzy_seal::seal_with_key(
        &stranger_key,
        &t.section,
        &bidders[0].0,
        b"{}",
        &content_key,
        vec![sealed_files[1].clone()],
    )
    .unwrap();
    let refused = send(
        server
            .client()
            .put(server.url(&format!("/api/v1/bids/{}", bids[0].0)))
            .bearer_auth(&bidders[0].1)
            .json(&json!({ "envelope": borrowed })),
    );
    refused.problem(422, "validation-failed");
    assert_eq!(refused.error_fields(), vec!["envelope.files[0]"], "{}", refused.text);
    assert!(refused.text.contains("sealed_file_not_stored"), "{}", refused.text);
    // Before the opening nobody else learns that any bid file exists, nor reads one.
    let listed_after: Vec<Value> = [&t.tenderer_token, &centre]
        .iter()
        .map(|token| get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(token)).body)
        .collect();
    assert_eq!(listed_before, listed_after, "the project's documents list the same before and after the bids");
    let own = get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(&t.tenderer_token));
    assert!(!sealed_files.iter().any(|s| own.text.contains(s.as_str())));
    for (bid, hash, _) in &bids {
        for token in [&t.tenderer_token, &centre, &regulator, &bidders[2].1] {
            let (status, _, _) = download(&server, &format!("/api/v1/bids/{bid}/documents/{hash}"), Some(token));
            assert_eq!(status, 404, "a bid file before the opening");
        }
    }
    get(&server, &format!("/api/v1/sections/{}/bids", t.section), Some(&t.tenderer_token)).problem(404, "not-found");
    let early = download(&server, &format!("/api/v1/projects/{}/archive.zip?purpose=audit", t.project), Some(&centre));
    assert_eq!(early.0, 200);
    let (early_manifest, early_files) = unzip(&early.1);
    for sealed in sealed_files.iter().chain(bids.iter().map(|(_, hash, _)| hash)) {
        assert!(!early_files.contains_key(&format!("documents/{sealed}")), "an archive before the opening");
        assert!(!early_manifest.to_string().contains(sealed.as_str()));
    }
    assert!(!bidders.iter().any(|(id, _, _)| early_manifest.to_string().contains(id.as_str())));

    // A fourth bidder names a "sealed" file that is no seal at all: the platform cannot tell
    // before the opening.
    let (fourth, fourth_token, fourth_manager) = bidder(&server, &t.section, "91110000802100433B", "11010519800101004");
    let garbage = b"%PDF-1.7 not sealed at all".to_vec();
    let stored = upload(&server, &fourth_token, &sealed_query(&t.section, &sha256(&garbage)), &garbage);
    assert_eq!(stored.status, 201, "{}", stored.text);
    let fourth_key = sealing_key(&server, &fourth, &fourth_token);
    let fourth_content_key = ggzy_seal::new_content_key(fourth_key.suite);
    let content = json!({"price": "750000.00", "documents": [{"title": "投标文件", "sha256": sha256(&garbage)}],
        "project_manager_id": fourth_manager, "device_fingerprint": "device-4"});
    let fourth_envelope = ggzy_seal::seal_with_key(
        &fourth_key,
        &t.section,
        &fourth,
        &serde_json::to_vec(&content).unwrap(),
        &fourth_content_key,
        vec![sha256(&garbage)],
    )
    .unwrap();
    let fourth_bid = post(
        &server,
        &format!("/api/v1/sections/{}/bids", t.section),
        Some(&fourth_token),
        &json!({"envelope": fourth_envelope}),
    );
    assert_eq!(fourth_bid.status, 201, "{}", fourth_bid.text);
    let fourth_bid = fourth_bid.body["id"].as_str().unwrap().to_owned();

    // The deadline, the opening: each bidder decrypts its bid, and its files open with it.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00")]);
    let tenderer_token = server.token("tenderer", Some(get_tenderer(&server, &t.project).as_str()));
    let window =
        post(&server, &format!("/api/v1/sections/{}/decryption-window", t.section), Some(&tenderer_token), &json!({}));
    assert_eq!(window.status, 200, "{}", window.text);
    crate::envelopes::decrypt_in_open_window(&server, &t.section, &[]);
    // The fourth's file does not open with its key: refused naming the file, nothing kept.
    let fourth_token = server.token("bidder", Some(&fourth));
    let failed = post(
        &server,
        &format!("/api/v1/bids/{fourth_bid}/decryption"),
        Some(&fourth_token),
        &json!({"content_key": ggzy_seal::encode_key(&fourth_content_key)}),
    );
    failed.problem(422, "validation-failed");
    assert_eq!(failed.error_fields(), vec!["envelope.files[0]"], "{}", failed.text);
    assert!(failed.text.contains("sealed_file_does_not_open"), "{}", failed.text);
    let still = get(&server, &format!("/api/v1/bids/{fourth_bid}"), Some(&fourth_token));
    assert!(still.body["content"].is_null(), "not decrypted: {}", still.text);
    // The window closes: the fourth bid is revoked (the bidder's fault), the three opened.
    let server = server.restart(&[("GGZY_CLOCK", "manual:2026-11-23T10:30:00+08:00")]);
    let tenderer_token = server.token("tenderer", Some(get_tenderer(&server, &t.project).as_str()));
    let opened = post(
        &server,
        &format!("/api/v1/sections/{}/opening", t.section),
        Some(&tenderer_token),
        &json!({"witness_id": t.witness}),
    );
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert_eq!(opened.body["bid_count"], 3, "{}", opened.text);
    assert_eq!(opened.body["not_opened"][0]["bidder_id"], fourth.as_str(), "{}", opened.text);
    assert_eq!(opened.body["not_opened"][0]["outcome"], "revoked", "{}", opened.text);
    for (_, hash, _) in &bids {
        assert!(opened.text.contains(hash.as_str()), "the opening record names each bid file: {}", opened.text);
    }

    // The tender's side and the committee read the bid files after the opening.
    let centre = server.token("centre_staff", Some("centre"));
    let experts: Vec<String> = (0..6).map(|i| crate::lifecycle::expert(&server, &format!("专家{i}"), None)).collect();
    let draw = post(
        &server,
        &format!("/api/v1/sections/{}/expert-draws", t.section),
        Some(&centre),
        &json!({"specialty": "building", "size": 5}),
    );
    assert_eq!(draw.status, 201, "{}", draw.text);
    let committee: Vec<String> =
        draw.body["committee"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect();
    let outsider = experts.iter().find(|e| !committee.contains(e)).expect("one expert not drawn");
    let member = server.token("expert", Some(&committee[0]));
    // The committee finds the bids of its section, and the files each names.
    let listed = get(&server, &format!("/api/v1/sections/{}/bids", t.section), Some(&member));
    assert_eq!(listed.status, 200, "{}", listed.text);
    let mut named: Vec<(String, String)> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (b["id"].as_str().unwrap().to_owned(), b["content"]["documents"][0]["sha256"].as_str().unwrap().to_owned())
        })
        .collect();
    named.sort();
    let mut expected: Vec<(String, String)> = bids.iter().map(|(id, hash, _)| (id.clone(), hash.clone())).collect();
    expected.sort();
    assert_eq!(named, expected, "the three opened bids, not the revoked one");
    let outsider_token = server.token("expert", Some(outsider));
    get(&server, &format!("/api/v1/sections/{}/bids", t.section), Some(&outsider_token)).problem(404, "not-found");
    for (index, (bid, hash, file)) in bids.iter().enumerate() {
        let path = format!("/api/v1/bids/{bid}/documents/{hash}");
        for token in [&tenderer_token, &member, &server.token("bidder", Some(&bidders[index].0))] {
            let (status, bytes, headers) = download(&server, &path, Some(token));
            assert_eq!(status, 200, "{path}");
            assert!(bytes == *file, "the file as its bidder wrote it");
            assert_eq!(headers["digest"], format!("sha-256={hash}").as_str());
        }
        let (status, _, _) = download(&server, &path, Some(&server.token("expert", Some(outsider))));
        assert_eq!(status, 404, "an expert not on the committee");
        let other = &bidders[(index + 1) % bidders.len()];
        let (status, _, _) = download(&server, &path, Some(&server.token("bidder", Some(&other.0))));
        assert_eq!(status, 404, "another bidder");
        let (status, _, _) =
            download(&server, &format!("/api/v1/bids/{bid}/documents/{}", sha256(b"x")), Some(&tenderer_token));
        assert_eq!(status, 404, "a hash the bid does not name");
    }
    // The committee hands in its report; an expert who does not sit on it cannot.
    let report = "%PDF-1.7 评标报告：推荐中标候选人排序。".as_bytes().to_vec();
    let report_query =
        format!("kind=evaluation_report&title=report&sha256={}&project_id={}", sha256(&report), t.project);
    let handed_in = upload(&server, &member, &report_query, &report);
    assert_eq!(handed_in.status, 201, "{}", handed_in.text);
    assert_eq!(upload(&server, &outsider_token, &report_query, &report).status, 404, "not its committee's project");
    let listed = get(&server, &format!("/api/v1/projects/{}/documents", t.project), Some(&tenderer_token));
    assert!(listed.text.contains(&sha256(&report)), "{}", listed.text);
    for (_, hash, _) in &bids {
        assert!(
            listed.text.contains(hash.as_str()),
            "after the opening the bid files are the project's: {}",
            listed.text
        );
    }

    // After it, the tenderer's side and the supervisors see who obtained them.
    let centre = server.token("centre_staff", Some("centre"));
    for token in [&tenderer_token, &centre, &server.token("industry_regulator", Some("zjw"))] {
        let seen = get(&server, &downloads, Some(token));
        assert_eq!(seen.status, 200, "{}", seen.text);
        let mut who: Vec<String> =
            seen.body.as_array().unwrap().iter().map(|d| d["downloader"].as_str().unwrap().to_owned()).collect();
        who.sort();
        let mut expected: Vec<String> = bidders.iter().map(|(id, _, _)| id.clone()).collect();
        expected.sort();
        assert_eq!(who, expected, "{}", seen.text);
        assert!(seen
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["downloader_role"] == "bidder" && d["sha256"] == hash.as_str()));
    }

    // The archive zip carries every stored file beside its manifest and verifies offline.
    let archive =
        download(&server, &format!("/api/v1/projects/{}/archive.zip?purpose=audit", t.project), Some(&centre));
    assert_eq!(archive.0, 200);
    let (manifest, files) = unzip(&archive.1);
    assert_eq!(files[&format!("documents/{hash}")], t.tender_file);
    assert_eq!(files[&format!("documents/{}", sha256(&recording))], recording);
    assert_eq!(files[&format!("documents/{}", crate::SHA256_OF_TEST)], b"test");
    for (_, hash, file) in &bids {
        assert!(files[&format!("documents/{hash}")] == *file, "the archive carries each bid file");
    }
    for sealed in &sealed_files {
        assert!(files.contains_key(&format!("documents/{sealed}")), "and its sealed form");
    }
    let carried: Vec<&Value> =
        manifest["documents"].as_array().unwrap().iter().filter(|d| d["stored"] == true).collect();
    assert!(carried.len() >= 4, "{manifest}");
    assert!(carried.iter().all(|d| files.contains_key(&format!("documents/{}", d["sha256"].as_str().unwrap()))));
    let file = server.data_dir.path().join("archive.zip");
    std::fs::write(&file, &archive.1).unwrap();
    let verified = server.cli(&["audit", "verify", "--archive", file.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    // One changed byte of a carried file is found.
    let mut changed = files.clone();
    changed.get_mut(&format!("documents/{hash}")).unwrap()[10] ^= 1;
    std::fs::write(&file, rezip(&changed)).unwrap();
    let refused = server.cli(&["audit", "verify", "--archive", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{}", String::from_utf8_lossy(&refused.stdout));
    assert!(String::from_utf8_lossy(&refused.stderr).contains(&hash), "{}", String::from_utf8_lossy(&refused.stderr));
    // A carried file dropped, its manifest flag turned off: archive.json still lists it.
    let mut dropped = files.clone();
    dropped.remove(&format!("documents/{hash}"));
    let mut edited = manifest.clone();
    for document in edited["documents"].as_array_mut().unwrap() {
        if document["sha256"] == hash.as_str() {
            document["stored"] = json!(false);
        }
    }
    dropped.insert("manifest.json".into(), serde_json::to_vec(&edited).unwrap());
    std::fs::write(&file, rezip(&dropped)).unwrap();
    let refused = server.cli(&["audit", "verify", "--archive", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{}", String::from_utf8_lossy(&refused.stdout));

    // A byte changed at rest: the file is never served, the answer is a problem.
    let stored = server.data_dir.path().join("documents/sha256").join(&hash[..2]).join(&hash);
    let mut at_rest = std::fs::read(&stored).unwrap();
    at_rest[100] ^= 0x20;
    std::fs::write(&stored, &at_rest).unwrap();
    let bidder_token = server.token("bidder", Some(&bidders[1].0));
    let (status, bytes, headers) =
        download(&server, &format!("/api/v1/announcements/{}/documents/{hash}", t.announcement), Some(&bidder_token));
    assert_eq!(status, 500);
    assert_eq!(headers["content-type"], "application/problem+json");
    let problem: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(problem["type"], "urn:ggzy:problem:internal-error");
    assert!(!String::from_utf8_lossy(&bytes).contains("招标文件（第一册）"), "not one byte of the file");
    let seen = get(&server, &downloads, Some(&centre));
    assert_eq!(seen.body.as_array().unwrap().len(), 3, "a file never served is never counted: {}", seen.text);
    let archive =
        download(&server, &format!("/api/v1/projects/{}/archive.zip?purpose=audit", t.project), Some(&centre));
    assert_eq!(archive.0, 500, "no archive carries a changed file");
}

fn get_tenderer(server: &Server, project: &str) -> String {
    let centre = server.token("centre_staff", Some("centre"));
    get(server, &format!("/api/v1/projects/{project}"), Some(&centre)).body["tenderer_id"].as_str().unwrap().to_owned()
}

both_backends!(a_tender_s_documents_are_stored_obtained_secretly_and_archived);

/// moto checks no signature but reads the access key from the header, and refuses
/// anonymous reads of objects: the test reads and writes the bucket as `testing`.
const MOTO_AUTHORIZATION: &str =
    "AWS4-HMAC-SHA256 Credential=testing/20261102/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";

/// moto's S3 server on a free port, stopped when dropped.
struct Moto(Child, u16);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn moto() -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let child =
        child.unwrap_or_else(|e| panic!("cannot start moto_server ({e}): python3 -m pip install 'moto[server]'"));
    let moto = Moto(child, port);
    let client = reqwest::blocking::Client::new();
    for _ in 0..100 {
        // moto takes unsigned requests: the bucket is made the way an operator would.
        if client.put(format!("http://127.0.0.1:{port}/ggzy-documents")).send().is_ok_and(|r| r.status().is_success()) {
            return moto;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("moto_server did not start on port {port}");
}

/// The same store interface against an S3-protocol server: upload, download, the archive,
/// and a changed object never served.
#[test]
#[cfg_attr(not(ggzy_s3), ignore = "needs moto_server on the PATH (python3 -m pip install 'moto[server]')")]
fn documents_are_kept_in_s3_compatible_object_storage() {
    let moto = moto();
    let endpoint = format!("http://127.0.0.1:{}", moto.1);
    let Some(server) = Server::start_with(
        BINARY,
        Backend::Sqlite,
        &[
            ("GGZY_CLOCK", "manual:2026-11-02T09:00:00+08:00"),
            ("GGZY_DOCUMENT_STORE", "s3://ggzy-documents/miyun"),
            ("GGZY_S3_ENDPOINT", endpoint.as_str()),
            ("GGZY_S3_ACCESS_KEY_ID", "testing"),
            ("GGZY_S3_SECRET_ACCESS_KEY", "testing"),
        ],
    ) else {
        return;
    };
    let t = tendered(&server);
    let hash = sha256(&t.tender_file);
    // Nothing on the local disk: the objects are in the bucket, where S3 lists them.
    assert!(!server.data_dir.path().join("documents/sha256").join(&hash[..2]).join(&hash).exists());
    let key = format!("miyun/sha256/{}/{hash}", &hash[..2]);
    let object = reqwest::blocking::Client::new()
        .get(format!("{endpoint}/ggzy-documents/{key}"))
        .header("Authorization", MOTO_AUTHORIZATION)
        .send()
        .unwrap();
    assert_eq!(object.status().as_u16(), 200);
    assert_eq!(object.bytes().unwrap().to_vec(), t.tender_file);

    let (bidder_id, bidder_token, manager) = bidder(&server, &t.section, "914403001922038216", "11010519800101001");
    let path = format!("/api/v1/announcements/{}/documents/{hash}", t.announcement);
    let (status, bytes, _) = download(&server, &path, Some(&bidder_token));
    assert_eq!((status, bytes == t.tender_file), (200, true));

    // A bid with a sealed file, opened at the opening from the bucket.
    let file = "%PDF-1.7 投标文件 S3-MARKER\n".repeat(5000).into_bytes();
    let body = json!({"price": "900000.00", "project_manager_id": manager, "device_fingerprint": "device-s3"});
    let (bid, sealed) =
        place_bid_with_files(&server, &t.section, &bidder_token, &body, &[("投标文件", file.as_slice())]);
    assert_eq!(bid.status, 201, "{}", bid.text);
    let bid = bid.body["id"].as_str().unwrap().to_owned();
    let sealed_key = format!("miyun/sha256/{}/{}", &sealed[0][..2], sealed[0]);
    let object = reqwest::blocking::Client::new()
        .get(format!("{endpoint}/ggzy-documents/{sealed_key}"))
        .header("Authorization", MOTO_AUTHORIZATION)
        .send()
        .unwrap();
    assert_eq!(object.status().as_u16(), 200);
    assert!(!String::from_utf8_lossy(&object.bytes().unwrap()).contains("S3-MARKER"), "sealed in the bucket");
    let server = server.restart(&[
        ("GGZY_CLOCK", "manual:2026-11-23T10:00:00+08:00"),
        ("GGZY_DOCUMENT_STORE", "s3://ggzy-documents/miyun"),
        ("GGZY_S3_ENDPOINT", endpoint.as_str()),
        ("GGZY_S3_ACCESS_KEY_ID", "testing"),
        ("GGZY_S3_SECRET_ACCESS_KEY", "testing"),
    ]);
    let tenderer_token = server.token("tenderer", Some(get_tenderer(&server, &t.project).as_str()));
    // Decrypted in the window; with one bid the section will not open, so the file is read
    // back by its bidder, from the bucket.
    let window =
        post(&server, &format!("/api/v1/sections/{}/decryption-window", t.section), Some(&tenderer_token), &json!({}));
    assert_eq!(window.status, 200, "{}", window.text);
    crate::envelopes::decrypt_in_open_window(&server, &t.section, &[]);
    let own = server.token("bidder", Some(&bidder_id));
    let (status, bytes, _) = download(&server, &format!("/api/v1/bids/{bid}/documents/{}", sha256(&file)), Some(&own));
    assert_eq!((status, bytes == file), (200, true), "the decrypted bid file, from the bucket");
    assert!(!server.data_dir.path().join("documents/sha256").join(&sha256(&file)[..2]).join(sha256(&file)).exists());
    let centre = server.token("centre_staff", Some("centre"));
    let archive =
        download(&server, &format!("/api/v1/projects/{}/archive.zip?purpose=audit", t.project), Some(&centre));
    assert_eq!(archive.0, 200);
    let (_, files) = unzip(&archive.1);
    assert_eq!(files[&format!("documents/{hash}")], t.tender_file);

    // The object changed behind the platform's back: refused, not served.
    let mut changed = t.tender_file.clone();
    changed[0] = b'#';
    let put = reqwest::blocking::Client::new()
        .put(format!("{endpoint}/ggzy-documents/{key}"))
        .header("Authorization", MOTO_AUTHORIZATION)
        .body(changed)
        .send()
        .unwrap();
    assert!(put.status().is_success());
    let (status, bytes, _) = download(&server, &path, Some(&own));
    assert_eq!(status, 500);
    assert!(!bytes.starts_with(b"#PDF"), "not one byte of the changed object");
}
