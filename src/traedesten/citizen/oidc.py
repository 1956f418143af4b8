"""Logging a citizen in with MitID through an OpenID Connect broker: the authorisation-code flow with PKCE.

The broker (a certified MitID broker, or NemLog-in) is configured by TRAEDESTEN_CITIZEN_OIDC (docs/citizen.md). Its
endpoints come from its discovery document. The ID token is checked as OpenID Connect Core 3.1.3.7 asks: signature
with the broker's published keys, issuer, audience, expiry, issue time, nonce and, when configured, the assurance
level. The CPR number comes from a claim of the ID token or the userinfo answer; it is never logged or put in a URL.
"""

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.utils.translation import gettext as _

PENDING_KEY = "citizen_oidc_pending"
PENDING_SECONDS = 600
LEEWAY_SECONDS = 60
ALGORITHMS = ["RS256", "PS256", "ES256"]


class LoginFailed(Exception):
    """The login did not go through; the message is for the citizen, in plain words."""


@dataclass(frozen=True)
class Broker:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    cpr_claim: str
    acr_values: str
    timeout: int


def broker() -> Broker | None:
    """The configured broker, or None when Min side's login is not set up."""
    conf = settings.TRAEDESTEN_CITIZEN_OIDC
    text = {key: str(conf.get(key) or "") for key in ("issuer", "client_id", "client_secret", "scopes", "cpr_claim",
                                                      "acr_values")}
    if not (text["issuer"] and text["client_id"]):
        return None
    return Broker(text["issuer"].rstrip("/"), text["client_id"], text["client_secret"], text["scopes"] or "openid",
                  text["cpr_claim"] or "cpr", text["acr_values"], int(str(conf.get("timeout") or 10)))


_DISCOVERY: dict[str, tuple[float, dict]] = {}


def discovery(b: Broker) -> dict:
    """The broker's discovery document, kept for ten minutes."""
    cached = _DISCOVERY.get(b.issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(f"{b.issuer}/.well-known/openid-configuration", timeout=b.timeout)
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise LoginFailed(_("MitID-login kan ikke nås lige nu. Prøv igen om lidt.")) from exc
    if doc.get("issuer", "").rstrip("/") != b.issuer:
        raise LoginFailed(_("MitID-login er sat forkert op. Kontakt kommunen."))
    _DISCOVERY[b.issuer] = (time.monotonic() + 600, doc)
    return doc


@lru_cache(maxsize=4)
def _keys(jwks_uri: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(jwks_uri, cache_keys=True, lifespan=600)


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def begin(b: Broker, session, redirect_uri: str) -> str:
    """Remember state, nonce and the PKCE verifier in the citizen session; the broker's authorisation URL."""
    doc = discovery(b)
    state, nonce, verifier = (secrets.token_urlsafe(n) for n in (32, 32, 64))
    session[PENDING_KEY] = {"state": state, "nonce": nonce, "verifier": verifier, "at": int(time.time())}
    params = {"response_type": "code", "client_id": b.client_id, "redirect_uri": redirect_uri, "scope": b.scopes,
              "state": state, "nonce": nonce, "code_challenge": _challenge(verifier), "code_challenge_method": "S256"}
    if b.acr_values:
        params["acr_values"] = b.acr_values
    return f"{doc['authorization_endpoint']}?{urlencode(params)}"


def _pending(session, state: str) -> dict:
    pending = session.pop(PENDING_KEY, None)
    if not isinstance(pending, dict) or not state or not hmac.compare_digest(str(pending.get("state", "")), state):
        raise LoginFailed(_("Login blev ikke gennemført. Start forfra."))
    if int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        raise LoginFailed(_("Login tog for lang tid. Start forfra."))
    return pending


def _token(b: Broker, doc: dict, code: str, verifier: str, redirect_uri: str) -> dict:
    try:
        response = requests.post(doc["token_endpoint"], timeout=b.timeout, auth=(b.client_id, b.client_secret),
                                 data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                                       "code_verifier": verifier})
        tokens = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise LoginFailed(_("MitID-login kan ikke nås lige nu. Prøv igen om lidt.")) from exc
    if response.status_code != 200 or "id_token" not in tokens:
        raise LoginFailed(_("Login blev ikke gennemført. Start forfra."))
    return tokens


def _verify(b: Broker, doc: dict, id_token: str, nonce: str) -> dict:
    algorithms = [a for a in doc.get("id_token_signing_alg_values_supported", ["RS256"]) if a in ALGORITHMS]
    try:
        key = _keys(doc["jwks_uri"]).get_signing_key_from_jwt(id_token)
        claims = jwt.decode(id_token, key.key, algorithms=algorithms, audience=b.client_id, issuer=doc["issuer"],
                            leeway=LEEWAY_SECONDS, options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]})
    except (jwt.PyJWTError, KeyError) as exc:
        raise LoginFailed(_("Login blev ikke gennemført. Start forfra.")) from exc
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise LoginFailed(_("Login blev ikke gennemført. Start forfra."))
    if isinstance(claims["aud"], list) and len(claims["aud"]) > 1 and claims.get("azp") != b.client_id:
        raise LoginFailed(_("Login blev ikke gennemført. Start forfra."))
    if b.acr_values and claims.get("acr") not in b.acr_values.split():
        raise LoginFailed(_("Du skal logge ind med et højere sikringsniveau i MitID."))
    return claims


def _userinfo(b: Broker, doc: dict, access_token: str, subject: str) -> dict:
    endpoint = doc.get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    try:
        response = requests.get(endpoint, timeout=b.timeout, headers={"Authorization": f"Bearer {access_token}"})
        info = response.json() if response.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        return {}
    return info if info.get("sub") == subject else {}


def finish(b: Broker, session, params, redirect_uri: str) -> str:
    """Check the broker's answer and return the CPR number it vouches for (ten digits)."""
    pending = _pending(session, params.get("state", ""))
    if params.get("error"):
        raise LoginFailed(_("Login blev afbrudt. Du kan prøve igen."))
    code = params.get("code", "")
    if not code:
        raise LoginFailed(_("Login blev ikke gennemført. Start forfra."))
    doc = discovery(b)
    tokens = _token(b, doc, code, pending["verifier"], redirect_uri)
    claims = _verify(b, doc, tokens["id_token"], pending["nonce"])
    value = claims.get(b.cpr_claim)
    if value is None:
        value = _userinfo(b, doc, tokens.get("access_token", ""), claims["sub"]).get(b.cpr_claim)
    cpr = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(cpr) != 10:
        raise LoginFailed(_("MitID sendte ikke dit CPR-nummer, så vi kan ikke finde dig. Kontakt kommunen."))
    return cpr
