//! `$ref`s that would make us read other files: refused, with the file and the pointer
//! of the `$ref`, unless the user allows them (`Reach::AnyFile`); URLs never.

use std::path::Path;

use codegen::{Config, DiagnosticKind, Diagnostics, Reach};

use crate::fixture;

/// The problems of generating `spec`, which must fail, each a reference error.
fn error_of(spec: &Path) -> Diagnostics {
    match codegen::generate(&Config::spec(spec)) {
        Ok(_) => panic!("{} generated, but it must be refused", spec.display()),
        Err(problems) => {
            for problem in &problems {
                assert_eq!(problem.kind, DiagnosticKind::Reference, "{problems}");
            }
            problems
        }
    }
}

/// The one diagnostic of `problems`.
fn only(problems: &Diagnostics) -> &codegen::Diagnostic {
    let all: Vec<_> = problems.iter().collect();
    assert_eq!(all.len(), 1, "{problems}");
    all[0]
}

/// A `$ref` to a file outside the description's directory, to an absolute path or to a
/// URL is refused, with the file and the pointer of the `$ref`, even when the file exists.
#[test]
fn refs_that_leave_the_directory_are_refused() {
    let cases = [
        (
            "parent.yaml",
            "../names.yaml#/components/schemas/Pet",
            "leaves the directory",
        ),
        (
            "parent_deep.yaml",
            "sub/../../names.yaml#/components/schemas/Pet",
            "leaves the directory",
        ),
        ("absolute.yaml", "/etc/passwd#/x", "absolute"),
        ("unc.yaml", "//server/share/api.yaml#/x", "URL"),
        (
            "http.yaml",
            "http://example.com/api.yaml#/components/schemas/Pet",
            "URL",
        ),
        ("https.yaml", "https://example.com/api.yaml", "URL"),
        ("file_url.yaml", "file:///etc/passwd#/x", "URL"),
    ];
    for (file, reference, why) in cases {
        let spec = fixture("refs").join(file);
        let error = error_of(&spec);
        let text = error.to_string();
        let diagnostic = only(&error);
        assert_eq!(diagnostic.file.as_ref(), Some(&spec), "{text}");
        assert_eq!(
            diagnostic.pointer, "#/components/schemas/Thing/properties/other",
            "{text}"
        );
        assert!(
            diagnostic.message.contains(reference)
                && diagnostic.message.contains(why)
                && diagnostic.message.contains("refused"),
            "{file}: {text}"
        );
    }
}

/// `C:/Windows/win.ini` is an absolute path on Windows only, where it is refused like
/// any other. Elsewhere it is a relative path, `C:` a directory beside the description:
/// looked for there, read like any file inside the directory, and so it never reaches
/// a drive.
#[test]
fn windows_drive_paths_are_refused_on_windows_and_relative_elsewhere() {
    let spec = fixture("refs/absolute_windows.yaml");
    let error = error_of(&spec);
    let diagnostic = only(&error);
    assert_eq!(diagnostic.file.as_ref(), Some(&spec));
    assert_eq!(
        diagnostic.pointer,
        "#/components/schemas/Thing/properties/other"
    );
    if cfg!(windows) {
        assert!(
            diagnostic.message.starts_with(
                "`$ref: C:/Windows/win.ini#/x` is refused: absolute paths are not followed"
            ),
            "{error}"
        );
        return;
    }
    // Not there beside the fixture: the file that cannot be read is `refs/C:/…`.
    assert_eq!(
        diagnostic.message,
        "`$ref: C:/Windows/win.ini#/x` names a file that cannot be read: \
         No such file or directory (os error 2)"
    );
    // Put there, it is read.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("C:/Windows")).unwrap();
    std::fs::write(
        dir.path().join("C:/Windows/win.ini"),
        "x: {type: string, description: Beside the description.}\n",
    )
    .unwrap();
    let copy = dir.path().join("api.yaml");
    std::fs::copy(&spec, &copy).unwrap();
    let generated = codegen::generate(&Config::spec(&copy))
        .unwrap_or_else(|problems| panic!("a file inside the directory was refused: {problems}"));
    let models = &generated
        .files
        .iter()
        .find(|f| f.path == Path::new("src/models.rs"));
    let models = &models.unwrap().contents;
    assert!(models.contains("Beside the description."), "{models}");
}

/// A file inside the directory may not reach out of it either: `..` counts from the
/// directory of the file the `$ref` is in, and the error names that file.
#[test]
fn refs_from_other_files_cannot_leave_the_directory() {
    let spec = fixture("refs/nested/api.yaml");
    let error = error_of(&spec);
    let text = error.to_string();
    let diagnostic = only(&error);
    assert_eq!(
        diagnostic.file,
        Some(fixture("refs/nested/sub/inner.yaml")),
        "{text}"
    );
    assert_eq!(diagnostic.pointer, "#/Inner/properties/outside", "{text}");
    assert!(
        diagnostic.message.contains("../../parent.yaml") && text.contains("leaves the directory"),
        "{text}"
    );
}

/// A symbolic link inside the directory that points outside it is a file outside it.
#[test]
fn refs_through_symbolic_links_cannot_leave_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let inside = dir.path().join("api");
    std::fs::create_dir(&inside).unwrap();
    std::fs::write(
        dir.path().join("secret.yaml"),
        "Secret: {type: object, properties: {token: {type: string}}}\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.yaml"), inside.join("link.yaml")).unwrap();
    let spec = inside.join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'link.yaml#/Secret'}\n",
    )
    .unwrap();
    let text = error_of(&spec).to_string();
    assert!(text.contains("link.yaml"), "{text}");
}

/// With `--allow-outside-refs` (`Reach::AnyFile`) the user vouches for the description:
/// `..` past its directory, absolute paths and symbolic links out are followed, through
/// chains of files, and the headers name the flag. URLs are still refused.
#[test]
fn refs_outside_are_followed_only_when_allowed() {
    let generate = |spec: &Path| {
        codegen::generate(&Config::spec(spec).reach(Reach::AnyFile)).map(|done| done.files)
    };
    let models = |files: &[codegen::File]| {
        let models = files.iter().find(|f| f.path == Path::new("src/models.rs"));
        models.unwrap().contents.clone()
    };
    for file in ["parent.yaml", "parent_deep.yaml", "nested/api.yaml"] {
        let spec = fixture("refs").join(file);
        let files = generate(&spec).unwrap_or_else(|error| panic!("{file}: {error}"));
        let models = models(&files);
        assert!(models.contains("pub struct Pet"), "{file}:\n{models}");
        assert!(models.contains("--allow-outside-refs"), "{file}:\n{models}");
    }

    // An absolute path and a symbolic link out of the directory, into a temporary one.
    let dir = tempfile::tempdir().unwrap();
    let inside = dir.path().join("api");
    std::fs::create_dir(&inside).unwrap();
    let secret = dir.path().join("secret.yaml");
    std::fs::write(
        &secret,
        "Secret: {type: object, properties: {token: {type: string}}}\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, inside.join("link.yaml")).unwrap();
    let spec = inside.join("api.yaml");
    std::fs::write(
        &spec,
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    \
             A: {{$ref: '{}#/Secret'}}\n    B: {{$ref: 'link.yaml#/Secret'}}\n",
            secret.display()
        ),
    )
    .unwrap();
    let files = generate(&spec).unwrap_or_else(|error| panic!("{error}"));
    let both = models(&files);
    assert!(both.contains("pub token: Option<String>"));
    // Two paths to one file are one file: its schema is one type, not two.
    assert_eq!(both.matches("pub token").count(), 1, "{both}");
    let refused = error_of(&spec).to_string();
    assert!(
        refused.contains("absolute paths are not followed"),
        "{refused}"
    );

    for file in ["http.yaml", "https.yaml", "file_url.yaml", "unc.yaml"] {
        let spec = fixture("refs").join(file);
        match generate(&spec) {
            Ok(_) => panic!("{file}: a URL was followed"),
            Err(error) => assert!(error.to_string().contains("URL"), "{file}: {error}"),
        }
    }
}
