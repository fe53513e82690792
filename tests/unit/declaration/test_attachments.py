from __future__ import annotations

from clearway.declaration.attachments import MAX_BYTES, Upload, check, clean_name, store


def test_files_are_accepted_by_what_they_are_not_what_they_are_called(tmp_path):
    ok, errors = check(
        [
            Upload("invoice.pdf", b"%PDF-1.7\n..."),
            Upload("photo.jpg", b"\xff\xd8\xff\xe0data"),
            Upload("scan.tif", b"II*\x00rest"),
            Upload("x.png", b"\x89PNG\r\n\x1a\nIHDR"),
        ]
    )
    assert not errors and [f.content_type for f in ok] == [
        "application/pdf",
        "image/jpeg",
        "image/tiff",
        "image/png",
    ]
    bad, errors = check(
        [
            Upload("invoice.pdf", b"MZ\x90\x00 an executable"),
            Upload("big.pdf", b"%PDF-" + b"0" * MAX_BYTES),
            Upload("empty.pdf", b""),
        ]
    )
    assert not bad
    assert [(e.pointer, e.code) for e in errors] == [
        ("/files/0", "unsupported_type"),
        ("/files/1", "too_large"),
        ("/files/2", "empty"),
    ]
    path = store(tmp_path, ok[0])
    assert path.read_bytes() == b"%PDF-1.7\n..." and path.name == ok[0].sha256


def test_names_lose_their_folders_and_control_characters():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\Users\\a\\invoice\x00.pdf") == "invoice.pdf"
    assert clean_name("") == "document"
