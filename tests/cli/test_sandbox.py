"""`sandbox`: its options and a busy port (wizard/cli/sandbox.py)."""

from __future__ import annotations

import socket

import pytest

from wizard.outcomes import EXIT_CODES, Code


@pytest.mark.parametrize("value", ["99999", "-1", "65536", "x"])
def test_sandbox_port_out_of_range_is_a_usage_error(script, value) -> None:  # type: ignore[no-untyped-def]
    result = script("sandbox", f"--port={value}")
    assert result.returncode == 2 and "no es un puerto válido" in result.stderr
    en = script("sandbox", f"--port={value}", "--lang", "en")
    assert en.returncode == 2 and "is not a valid port" in en.stderr


def test_sandbox_port_in_use_is_a_clear_message(script) -> None:  # type: ignore[no-untyped-def]

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = script("sandbox", "--port", str(port))
    assert result.returncode == EXIT_CODES[Code.CONNECTION_FAILED], result.stderr
    assert f"No se pudo abrir el puerto {port}" in result.stderr
    assert "Error interno" not in result.stderr
