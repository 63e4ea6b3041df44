"""Read an alegra-wizard token from the OS keyring with the keyring package alone.

Usage: python read_token.py <profile id>
"""

import sys

import keyring

profile_id = sys.argv[1]
token = keyring.get_password(f"alegra-wizard:{profile_id}", profile_id)
if token is None:
    sys.exit(f"no token stored for profile {profile_id}")
print(token, end="")
