"""The floor for `alegra-wizard check --json`: a raw requests script doing the same GET /company."""

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
print(json.dumps({"status": response.status_code, "name": body.get("name")}))
