"""The .xlsx scan finds hidden rows (which calamine cannot see) and the last row number, on
the fast path (every row states r="…") and the slow one (rows numbered implicitly)."""

from __future__ import annotations

from yuanqu.imports.readers import _XlsxScanner


def _scan(xml: bytes, piece: int = 0) -> tuple[tuple[int, ...], int | None]:
    scanner = _XlsxScanner()
    if piece:
        for i in range(0, len(xml), piece):
            scanner.feed(xml[i : i + piece])
    else:
        scanner.feed(xml)
    scanner.close()
    result = scanner.result()
    return result.hidden_rows, result.last_row


HEAD = b'<?xml version="1.0"?><worksheet xmlns="x"><sheetData>'
TAIL = b"</sheetData></worksheet>"


def test_hidden_rows_with_numbered_rows():
    xml = (
        HEAD
        + b'<row r="1"><c r="A1"><v>1</v></c></row>'
        + b'<row r="2" hidden="1" spans="1:2"><c r="A2"><v>2</v></c></row>'
        + b'<row r="3" hidden="true"/>'  # hidden but empty: not reported
        + b'<row r="7" ht="20" hidden="1"><c r="A7" t="s"><v>0</v></c></row>'
        + b'<row r="9"><c r="A9"><v>9</v></c></row>'
        + TAIL
    )
    assert _scan(xml) == ((2, 7), 9)
    assert _scan(xml, piece=17) == ((2, 7), 9)  # fed in small pieces, as from the zip


def test_hidden_rows_when_rows_omit_their_number():
    xml = (
        HEAD
        + b'<row r="4"><c><v>1</v></c></row>'
        + b"<row><c><v>2</v></c></row>"  # row 5
        + b'<row hidden="1"><c><v>3</v></c></row>'  # row 6, hidden
        + b"<row><c><v>4</v></c></row>"  # row 7
        + TAIL
    )
    assert _scan(xml) == ((6,), 7)
    assert _scan(xml, piece=11) == ((6,), 7)


def test_prefixed_tags():
    xml = (
        b'<x:worksheet xmlns:x="x"><x:sheetData>'
        + b'<x:row r="1"><x:c><x:v>1</x:v></x:c></x:row>'
        + b'<x:row r="2" hidden="1"><x:c><x:v>2</x:v></x:c></x:row>'
        + b"</x:sheetData></x:worksheet>"
    )
    assert _scan(xml) == ((2,), 2)
