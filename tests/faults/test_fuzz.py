"""Property: whatever a server answers (any status line, any headers, any body, or bytes
that are not HTTP at all), check_connection returns one of DESIGN's outcome codes, never
raises, keeps its time bound, and classifies a status it did read by the contract's
table. The answer is set per example on one local raw-socket server.

The paste cleaner's property (arbitrary Unicode, 10,000 examples in the ci profile) is
in tests/test_credentials.py.
"""

from __future__ import annotations

import json
import os
import string
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import CANARY_TOKEN
from tests.helpers.faultserver import EMAIL, Conn, FaultServer
from wizard import hints, i18n
from wizard.check import check_connection
from wizard.outcomes import Code, code_for_status

T = 1.0
EXAMPLES = 500 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 100
# What a check against a loopback server can end in (no DNS, no input, no storage here).
NETWORK_CODES = {
    Code.CONNECTED,
    Code.UNAUTHORIZED,
    Code.FORBIDDEN,
    Code.PAYMENT_REQUIRED,
    Code.NOT_FOUND,
    Code.RATE_LIMITED,
    Code.SERVER_ERROR,
    Code.UNEXPECTED_RESPONSE,
    Code.TIMEOUT,
    Code.CONNECTION_FAILED,
    Code.PROXY_ERROR,
}


class Answer:
    payload = b""


def _answer(conn: Conn) -> None:
    conn.send(Answer.payload)  # then the server closes: the body ends at the close


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with pytest.MonkeyPatch.context() as mp:
        for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
            mp.delenv(var, raising=False)
        mp.delenv("all_proxy", raising=False)
        fault = FaultServer(_answer)
        yield fault
        fault.close()


LATIN1_LINE = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=40,
)
HEADER_NAMES = st.one_of(
    st.sampled_from(
        [
            "Content-Type", "Content-Length", "Transfer-Encoding", "Content-Encoding",
            "Location", "Set-Cookie", "Connection", "X-Rate-Limit-Limit",
            "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset", "WWW-Authenticate",
        ]
    ),
    st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=20),
)  # fmt: skip
HEADER_VALUES = st.one_of(
    LATIN1_LINE,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["chunked", "gzip", "deflate", "application/json", "text/html", "-2", ""]),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
COMPANY_KEYS = ["name", "identification", "currency", "applicationVersion", "identificationObject"]
BODIES = st.one_of(
    st.binary(max_size=3000),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(
        st.sampled_from(
            ["name", "identification", "currency", "applicationVersion", "identificationObject"]
        ),
        JSON_VALUES,
    ).map(lambda v: json.dumps(v).encode()),
)
STATUSES = st.one_of(
    st.sampled_from([200, 204, 301, 302, 307, 308, 401, 402, 403, 404, 405, 407, 429, 500, 503]),
    st.integers(min_value=100, max_value=999),
)


@st.composite
def responses(draw: st.DrawFn) -> tuple[bytes, int | None]:
    """(raw bytes, the status if the answer is a well-formed status line)."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200)), None  # not HTTP at all
    status = draw(STATUSES)
    reason = draw(LATIN1_LINE)
    headers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=8))
    body = draw(BODIES)
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    return head.encode("latin-1") + b"\r\n" + body, status


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(answer=responses())
def test_any_answer_is_one_outcome(server: FaultServer, answer: tuple[bytes, int | None]) -> None:
    Answer.payload, sent_status = answer
    start = time.monotonic()
    result = check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T)
    assert time.monotonic() - start <= 2 * T + 1  # a 403 asks /users/self too
    assert result.code in NETWORK_CODES, result
    assert CANARY_TOKEN not in repr(result)
    status = result.http_status
    if status is not None:
        assert sent_status is None or status == sent_status
        if status == 200:
            assert result.code in (Code.CONNECTED, Code.UNEXPECTED_RESPONSE)
        elif 300 <= status < 400:
            assert result.code is Code.UNEXPECTED_RESPONSE
        elif status == 407:
            assert result.code is Code.PROXY_ERROR
        else:
            assert result.code is code_for_status(status)
    if result.rate_limit is not None and result.rate_limit.reset_s is not None:
        assert result.rate_limit.reset_s >= 0
    if result.code is not Code.CONNECTED:
        reset = result.rate_limit.reset_s if result.rate_limit else None
        for lang in i18n.LANGS:
            assert hints.hint_for(result.code, lang, seconds=reset).title
