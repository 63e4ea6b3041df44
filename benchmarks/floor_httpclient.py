"""A stricter floor for `alegra-wizard check --json`: the standard library alone (http.client,
what wizard.transport is built on since issue 14), GET /company then GET /users/self on one
connection, print, exit. The issue's floor stays the raw requests script
(floor_requests.py); this one shows what is left of our own overhead. Like the transport it
asks for a quick ACK once the headers are read (Linux), or the sandbox's second answer
would wait ~40 ms for a delayed ACK and flatter us."""

import base64
import http.client
import json
import socket
import sys
from urllib.parse import urlsplit

base_url, email = sys.argv[1], sys.argv[2]
token = sys.stdin.read().strip()
header = "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()
parts = urlsplit(base_url)
conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=20)
answers = []
for path in ("/company", "/users/self"):
    conn.request("GET", f"{parts.path}{path}", headers={"Authorization": header})
    response = conn.getresponse()
    if hasattr(socket, "TCP_QUICKACK") and conn.sock is not None:
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    answers.append((response.status, json.loads(response.read())))
conn.close()
(status, company), (_, user) = answers
print(json.dumps({"status": status, "name": company.get("name"), "user": user}))
