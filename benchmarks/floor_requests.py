"""The floor for `alegra-wizard check --json`: a raw requests script doing the same GET /company
(and, with --users-self, the GET /users/self that check makes after a 200, on the same
connection: the same work)."""

import base64
import json
import sys

import requests

base_url, email = sys.argv[1], sys.argv[2]
token = sys.stdin.read().strip()
header = "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()
response = requests.get(
    f"{base_url}/company", headers={"Authorization": header}, timeout=20, allow_redirects=False
)
body = response.json()
user = None
if sys.argv[3:] == ["--users-self"]:
    user = requests.get(
        f"{base_url}/users/self", headers={"Authorization": header}, timeout=20,
        allow_redirects=False,
    ).json()  # fmt: skip
print(json.dumps({"status": response.status_code, "name": body.get("name"), "user": user}))
