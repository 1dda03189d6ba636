"""HTTP/1.1 over a bare socket: send headers and part of a body, stall, see what the server does.

aiohttp's client always sends a whole body; these tests need to stop half-way and watch.
`WAIT` bounds every read so that a server that never answers fails the test instead of
hanging it; it is a safety net, not a measured budget.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

from yarl import URL

WAIT = 20.0


@dataclass
class RawConnection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def send(self, data: bytes) -> None:
        self.writer.write(data)

    def send_head(self, path: str, headers: Mapping[str, str], method: str = "POST") -> None:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *_lines(headers), "", ""]
        self.send("\r\n".join(lines).encode("latin-1"))

    async def status(self) -> int:
        """The status of the next answer; its headers and body are read too."""
        line = await asyncio.wait_for(self.reader.readline(), WAIT)
        if not line:
            raise ConnectionResetError("closed before an answer")
        status = int(line.split()[1])
        length = 0
        while (header := await asyncio.wait_for(self.reader.readline(), WAIT)) not in (
            b"\r\n",
            b"",
        ):
            name, _, value = header.decode("latin-1").partition(":")
            if name.strip().casefold() == "content-length":
                length = int(value)
        await asyncio.wait_for(self.reader.readexactly(length), WAIT)
        return status

    async def closed_by_server(self, within: float = WAIT) -> bool:
        """True once the server has closed the connection (EOF or reset) without more data;
        False if it is still open after `within` seconds."""
        try:
            rest = await asyncio.wait_for(self.reader.read(), within)
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False
        return rest == b""


def _lines(headers: Mapping[str, str]) -> list[str]:
    return [f"{name}: {value}" for name, value in headers.items()]


@contextlib.asynccontextmanager
async def raw_connection(base_url: str) -> AsyncIterator[RawConnection]:
    url = URL(base_url)
    assert url.host is not None
    assert url.port is not None
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        yield RawConnection(reader, writer)
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
