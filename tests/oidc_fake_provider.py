"""A tiny OpenID Connect provider for tests: authorize, token (HS256 id_token) and userinfo."""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt

CLIENT_ID, CLIENT_SECRET = "traedesten-test", "fake-provider-secret-" + "x" * 20


class FakeProvider:
    def __init__(self, claims: dict):
        self.claims, self.codes = claims, {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(12)
                    provider.codes[code] = query.get("nonce")
                    self.send_response(302)
                    self.send_header("Location", query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]}))
                    self.end_headers()
                elif url.path == "/userinfo":
                    self._json(provider.claims)
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != "/token" or form.get("code") not in provider.codes:
                    return self._json({"error": "invalid_grant"}, 400)
                nonce = provider.codes.pop(form["code"])
                now = int(time.time())
                token = jwt.encode({"iss": provider.url, "aud": CLIENT_ID, "sub": "idp-123", "iat": now, "exp": now + 300,
                                    "nonce": nonce, **provider.claims}, CLIENT_SECRET, algorithm="HS256")
                self._json({"access_token": "access-" + secrets.token_urlsafe(8), "token_type": "Bearer", "id_token": token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def env(self) -> dict:
        return {"TRAEDESTEN_OIDC_CLIENT_ID": CLIENT_ID, "TRAEDESTEN_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "TRAEDESTEN_OIDC_SIGN_ALGO": "HS256", "TRAEDESTEN_OIDC_AUTHORIZATION_ENDPOINT": self.url + "/authorize",
                "TRAEDESTEN_OIDC_TOKEN_ENDPOINT": self.url + "/token", "TRAEDESTEN_OIDC_USER_ENDPOINT": self.url + "/userinfo"}

    def stop(self):
        self.server.shutdown()
