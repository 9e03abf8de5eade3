"""What an AppSheet row may name as a photo: a path in the app's folder or a Drive link."""

import pytest

from shared.domain.drive import DriveReference, parse_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chamados_Images/a1b2c3d4.Foto 1.050512.jpg",
            DriveReference(path=("Chamados_Images", "a1b2c3d4.Foto 1.050512.jpg")),
        ),
        (
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp_qr-st/view?usp=drivesdk",
            DriveReference(file_id="1AbCdEfGhIjKlMnOp_qr-st"),
        ),
        (
            "https://drive.google.com/open?id=1AbCdEfGhIjKlMnOp_qr-st",
            DriveReference(file_id="1AbCdEfGhIjKlMnOp_qr-st"),
        ),
        (
            "https://www.appsheet.com/template/gettablefileurl?appName=Chamados-123"
            "&tableName=Chamados&fileName=Chamados_Images%2Fa1.Foto%201.jpg",
            DriveReference(path=("Chamados_Images", "a1.Foto 1.jpg")),
        ),
    ],
)
def test_the_forms_appsheet_writes_are_understood(text, expected):
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "is empty"),
        ("../segredos/folha.jpg", "must stay inside the app's Drive folder"),
        ("Chamados_Images/../../x.jpg", "must stay inside the app's Drive folder"),
        ("http://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view", "must be a path"),
        ("https://drive.google.com.evil.example/file/d/1AbCdEfGhIjKlMnOp/view", "must be a path"),
        ("https://drive.google.com/drive/my-drive", "without a file id"),
        ("fotos/a\x00b.jpg", "has control characters"),
    ],
)
def test_anything_else_is_refused_with_its_reason(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_reference(text)
