"""Files that leave the database (backups, interchange exports, research extracts, subject-access files, FFB
bundles): written readable by the owner only, and encrypted with the key in TRAEDESTEN_FILE_KEY.

The key is a Fernet key (`traedesten file_key` makes one). Fernet (AES-128-CBC with HMAC-SHA256, from the
`cryptography` package) authenticates each piece; a file is a sequence of pieces so that a backup of gigabytes need
not fit in memory. Each piece carries its number and whether it is the last, so pieces cannot be reordered, dropped
or cut off unnoticed. See docs/decisions/0035-encrypted-files-with-fernet.md.
"""

import os
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

MAGIC = b"TRAEDESTEN-FERNET-1\n"
SEALED = b"TRAEDESTEN-FERNET-BLOB-1\n"
"""A small file sealed whole (a case-record document): one Fernet token after this line."""
PIECE = 4 * 1024 * 1024
_LENGTH = struct.Struct(">I")
_HEADER = struct.Struct(">QB")


class FileKeyError(Exception):
    pass


def _fernet() -> Fernet | None:
    key = getattr(settings, "TRAEDESTEN_FILE_KEY", "") or ""
    if not key:
        if getattr(settings, "TRAEDESTEN_REQUIRE_FILE_KEY", False):
            raise FileKeyError("TRAEDESTEN_FILE_KEY must be set: files with personal data are written encrypted.")
        return None
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise FileKeyError("TRAEDESTEN_FILE_KEY is not a valid key (make one with `traedesten file_key`).") from exc


def new_key() -> str:
    return Fernet.generate_key().decode()


def encrypting() -> bool:
    return _fernet() is not None


def _open_private(path: Path):
    """Create (or truncate) `path` readable and writable by the owner only, whatever the umask."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    return os.fdopen(fd, "wb")


class PrivateFile:
    """A file being written: mode 0600, and encrypted piece by piece when a file key is configured. Text written to
    it is encoded as UTF-8."""

    def __init__(self, path: Path, *, encrypt: bool = True):
        self._fernet = _fernet() if encrypt else None
        self._out = _open_private(path)
        self._buffer, self._number = bytearray(), 0
        if self._fernet is not None:
            self._out.write(MAGIC)

    def write(self, data: bytes | str) -> None:
        data = data.encode("utf-8") if isinstance(data, str) else data
        if self._fernet is None:
            self._out.write(data)
            return
        self._buffer += data
        while len(self._buffer) > PIECE:  # the last piece always keeps something back, so it can say it is the last
            self._piece(self._fernet, bytes(self._buffer[:PIECE]), last=False)
            del self._buffer[:PIECE]

    def _piece(self, fernet: Fernet, data: bytes, *, last: bool) -> None:
        token = fernet.encrypt(_HEADER.pack(self._number, int(last)) + data)
        self._out.write(_LENGTH.pack(len(token)) + token)
        self._number += 1

    def close(self) -> None:
        if self._fernet is not None:
            self._piece(self._fernet, bytes(self._buffer), last=True)
        self._out.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def write_private(path: Path, chunks: Iterable[bytes] | bytes, *, encrypt: bool = True) -> Path:
    """Write the chunks to `path`, mode 0600, encrypted when a file key is configured (and `encrypt`: a working copy
    in a private temporary folder is written plain)."""
    with PrivateFile(path, encrypt=encrypt) as out:
        for chunk in [chunks] if isinstance(chunks, (bytes, bytearray)) else chunks:
            out.write(chunk)
    return Path(path)


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def read_private(path: Path) -> Iterator[bytes]:
    """The file's plaintext in pieces; an encrypted file needs the key, and a changed, reordered or cut-off file is
    refused."""
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            handle.seek(0)
            while chunk := handle.read(PIECE):
                yield chunk
            return
        fernet = _fernet()
        if fernet is None:
            raise FileKeyError("The file is encrypted: set TRAEDESTEN_FILE_KEY to the key it was written with.")
        expected, done = 0, False
        while raw := handle.read(_LENGTH.size):
            if done:
                raise FileKeyError("The encrypted file has data after its last piece.")
            (length,) = _LENGTH.unpack(raw)
            try:
                plain = fernet.decrypt(handle.read(length))
            except InvalidToken as exc:
                raise FileKeyError("The encrypted file was changed, or the key is not the one it was written with.") \
                    from exc
            number, last = _HEADER.unpack(plain[:_HEADER.size])
            if number != expected:
                raise FileKeyError("The encrypted file's pieces are out of order.")
            expected, done = expected + 1, bool(last)
            yield plain[_HEADER.size:]
        if not done:
            raise FileKeyError("The encrypted file is cut off.")


def read_bytes(path: Path) -> bytes:
    return b"".join(read_private(path))


def seal(data: bytes) -> tuple[bytes, bool]:
    """`data` encrypted whole with the file key, and whether it was (no key: the bytes as they are)."""
    fernet = _fernet()
    if fernet is None:
        return data, False
    return SEALED + fernet.encrypt(data), True


def unseal(blob: bytes) -> bytes:
    """The plaintext of `seal`'s output; a changed blob or the wrong key is refused."""
    if not blob.startswith(SEALED):
        return blob
    fernet = _fernet()
    if fernet is None:
        raise FileKeyError("The file is encrypted: set TRAEDESTEN_FILE_KEY to the key it was written with.")
    try:
        return fernet.decrypt(blob[len(SEALED):])
    except InvalidToken as exc:
        raise FileKeyError("The encrypted file was changed, or the key is not the one it was written with.") from exc
