"""The fast CSV path reads exactly what the strict reader reads, or leaves the file to it."""

from __future__ import annotations

import random

import pytest

from reportgen.errors import InputError
from reportgen.inputs.csvfast import read_fast
from reportgen.inputs.survey import strict_csv

CASES = [
    "a,b,c\n1,2,3\n4,5,6\n",
    "a,b,c\r\n1,2,3\r\n4,5,6",  # CRLF, no final line end
    "a,b,c\n\n1,2,3\n   \n,,\n4,5,6\n",  # blank records keep their numbers
    '\ufeffa;b;c\n"1;x";"2 ""q""";3\n',  # BOM, semicolons, doubled quotes
    'a,b\n"line\none",2\n"x",\n',  # a quoted cell over two lines counts as one record
    "a,b,c\n1,2\n",  # short row: only the strict reader names it
    "a,b\n1,2,3\n",  # long row
    'a,b\n"1"x,2\n',  # text after a closing quote
    'a,b\nx"y,2\n',  # a quote inside an unquoted cell
    'a,b\n"open,2\n',  # a quote left open
    "a,b\r1,2\r",  # old Mac line ends
    "\n\na,b\n1,2\n",  # blank lines before the header
    "a,b\n\xa0,\xa0\n1,2\n",  # a row of non-breaking spaces is blank
    'a,b\n" "," "\n1,2\n',  # quoted spaces are blank too
    '"a","b"\n"",""\n"1","2"\n',
    "a\tb\n1\t2\n",
    " , \n",  # no header at all
    "a,b\n",  # a header and nothing else
]


def strict(text: str, delimiter: str) -> tuple[list[str], list[list[str]], list[int]] | str:
    try:
        raw = strict_csv(text.removeprefix("\ufeff"), delimiter, "x.csv")  # as decoded
    except InputError as exc:
        return str(exc)
    return raw.header, raw.rows, raw.row_numbers


def fast(text: str, delimiter: str) -> tuple[list[str], list[list[str]], list[int]] | None:
    read = read_fast(text.encode("utf-8"), "utf-8-sig", delimiter)
    if read is None:
        return None
    header, cells, numbers = read
    return header, cells.to_numpy(dtype=object).tolist(), numbers


def agree(text: str, delimiter: str = ",") -> bool:
    """Assert that the fast path reads as the strict one; return whether it took the file."""
    quick = fast(text, delimiter)
    if quick is None:
        return False
    assert quick == strict(text, delimiter), text
    return True


@pytest.mark.parametrize("text", CASES)
def test_fast_path_reads_as_the_strict_reader_or_declines(text):
    agree(text, ";" if ";" in text.splitlines()[0] else "\t" if "\t" in text else ",")


def test_fast_path_takes_the_plain_and_quoted_files_real_tools_write():
    assert agree("id,q\n1,2\n3,4\n")
    assert agree('"id","q"\n"1","Agree, mostly"\n"2",""\n')
    assert agree('id,q\n"1","two\nlines"\n\n3,4\n')


def test_fast_path_declines_what_only_the_strict_reader_can_name():
    for text in ("a,b,c\n1,2\n", 'a,b\n"1"x,2\n', 'a,b\n"open,2\n'):
        assert fast(text, ",") is None
        assert isinstance(strict(text, ","), str)  # and that one reports it
    assert fast('a,b\nx"y,2\n', ",") is None  # a literal quote: the strict reader keeps it
    assert strict('a,b\nx"y,2\n', ",") == (["a", "b"], [['x"y', "2"]], [2])


@pytest.mark.parametrize("block", [1 << 22, 1, 5])
def test_fast_path_agrees_on_random_files(monkeypatch, block):
    # Tiny blocks put records, quotes and line ends across the scanner's block boundaries.
    monkeypatch.setattr("reportgen.inputs.csvfast.BLOCK", block)
    rng = random.Random(7)
    alphabet = ['a', '01', ' ', ',', '"', '\n', '\r\n', '\xa0', ';', 'é', '""', '\r', '""""']
    taken = 0
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        taken += agree(text)
    assert taken > 100  # the comparison ran on many files the fast path accepted
