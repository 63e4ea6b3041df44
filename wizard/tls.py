"""What the check trusts, and who issued a certificate it refused (Qt-free).

truststore gives the OS's store: on Windows and macOS the OS's own verifier; on Linux
OpenSSL's default file and folder, which SSL_CERT_FILE / SSL_CERT_DIR replace for every
program on the machine, and which we honour as the OS's configuration (an office that
inspects TLS installs its CA that way). A given CA bundle is the only trust instead.
"""

from __future__ import annotations

import os
import socket
import ssl


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """TLS 1.2 or later, the host name checked, and the OS trust store (truststore), or
    only `ca_bundle` when one is given."""
    context: ssl.SSLContext
    if ca_bundle is None:
        import truststore  # after the window's first paint: only when a request is made

        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if os.path.isdir(ca_bundle):
            context.load_verify_locations(capath=ca_bundle)
        else:
            context.load_verify_locations(cafile=ca_bundle)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["http/1.1"])
    return context


def certificate_issuer(host: str, port: int, timeout: float = 3.0) -> str | None:
    """Who issued the server's certificate (its organisation, else its common name), read
    on a separate connection that sends nothing (no HTTP at all: only a TLS handshake)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ValueError):
        return None
    if not der:
        return None
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        issuer = x509.load_der_x509_certificate(der).issuer
    except ValueError:
        return None
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        found = issuer.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return None
