"""The fault matrix's fixture: adversarial servers started and stopped per test (no_env_trust
and no_proxy_env are in tests/conftest.py). The server itself, its behaviours and assertions
are in tests/helpers/faultserver.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.faultserver import Behaviour, FaultServer, ServerFactory


@pytest.fixture
def fault_server() -> Iterator[ServerFactory]:
    """fault_server(behaviour, host=..., tls=..., read_request=...) -> a running FaultServer."""
    made: list[FaultServer] = []

    def make(behaviour: Behaviour, **kw: object) -> FaultServer:
        server = FaultServer(behaviour, **kw)  # type: ignore[arg-type]
        made.append(server)
        return server

    yield make
    for server in made:
        server.close()
