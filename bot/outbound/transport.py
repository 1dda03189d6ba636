"""Replies to the Bot Connector over aiohttp on the event loop, not `requests` in a worker thread.

msrest 0.7.1's async `ConnectorClient` sends every reply, update and delete with `requests` through
`run_in_executor`: about 0.8 ms of CPU per reply here, 45 % of a bare echo turn (the worker
threads' GIL hand-offs, urllib3, and the main thread preempted while it holds the GIL; measured
with `python -m bench.compare`, see docs/performance.md). Only that last hop changes: msrest's
pipeline above it (user agent, the bot's credentials, (de)serialisation, `HttpOperationError`
for a refused reply) is untouched, and what `requests` did at that hop is done here too:

- the credentials policy signs msrest's `requests.Session` (its `Authorization` header); those
  session headers go out with every request, under the request's own;
- the connection settings of the client's configuration: timeout (for connect and for each read,
  as `requests`' timeout), `verify` (False, True or a CA file; with `trust_env`, True means
  `REQUESTS_CA_BUNDLE`/`CURL_CA_BUNDLE` when set, as `requests` does), redirects, and the
  environment's proxies (`HTTPS_PROXY`, `NO_PROXY`) when the configuration trusts it (read once;
  `~/.netrc`, which requests also reads, is not: the credentials' header is the only auth);
- a connection that could not be made (the request never left) is tried again as msrest's
  urllib3 policy did (`connect` times); any other transport failure is a `ClientRequestError`
  at once, because the reply may have arrived (`bot.outbound.pacing` decides what is sent again).
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from msrest.exceptions import ClientRequestError
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_abc import AsyncClientResponse
from msrest.universal_http.async_requests import AsyncRequestsHTTPSender
from multidict import CIMultiDict
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.retry import retry_after_first_failure

_CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
# aiohttp manages its connections, and says which encodings it can decode (requests' session
# names what urllib3 can decode, which may differ)
_AIOHTTP_OWNS = frozenset({"connection", "keep-alive", "accept-encoding"})


@dataclass(frozen=True)
class Received:
    """What `requests.Response` offered of an answer, for code that reads an error's response
    (msrest's `HttpOperationError.response`, `bot.outbound.pacing`'s status and Retry-After)."""

    url: str
    status_code: int
    reason: str | None
    headers: CIMultiDict[str]  # case-insensitive, as requests' are; one copy, shared
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class LoadedResponse(AsyncClientResponse):
    """msrest's response interface over an answer whose body is already read."""

    def __init__(self, request: ClientRequest, received: Received):
        super().__init__(request, received)
        self.status_code = received.status_code
        self.headers = received.headers
        self.reason = received.reason
        self._body = received.content

    def body(self) -> bytes:
        return self._body


class ConnectorTransport:
    """One aiohttp session for the adapter's connector clients; `aclose` when the app stops."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._env_proxies: dict[str, str] | None = None

    def install(self, connector_client: Any) -> bool:
        """The client's replies go through this transport from now on (idempotent). A client
        whose last hop is not msrest's requests sender (another SDK version, a stand-in) is left
        as it is: False."""
        pipeline = getattr(getattr(connector_client, "config", None), "pipeline", None)
        sender: Any = getattr(pipeline, "_sender", None)  # AsyncPipelineRequestsHTTPSender
        driver = getattr(sender, "driver", None)
        if isinstance(driver, _Driver):
            return True
        if not isinstance(driver, AsyncRequestsHTTPSender):
            return False
        sender.driver = _Driver(self, driver)
        return True

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # not trust_env: aiohttp would then read ~/.netrc in a worker thread for every
            # request; the environment's proxies are read here instead (`proxy_for`)
            self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        return self._session

    def proxy_for(self, url: str, explicit: Mapping[str, str], *, use_env: bool) -> str | None:
        """As requests: msrest's explicit proxies, else HTTP(S)_PROXY unless NO_PROXY names
        the host. The environment is read once, when first needed."""
        parts = urlsplit(url)
        if explicit:
            return explicit.get(parts.scheme)
        if not use_env:
            return None
        if self._env_proxies is None:
            self._env_proxies = urllib.request.getproxies_environment()
        proxies = self._env_proxies
        if not proxies or _bypassed(parts.hostname or "", proxies):
            return None
        return proxies.get(parts.scheme)

    def ssl_for(self, verify: bool | str, *, trust_env: bool) -> ssl.SSLContext | bool | None:
        """aiohttp's `ssl=` for requests' `verify=`; contexts are built once per CA file."""
        if verify is False:
            return False
        cafile = verify if isinstance(verify, str) else None
        if verify is True and trust_env:  # as requests: the environment's bundle, if it names one
            cafile = next((os.environ[n] for n in _CA_BUNDLE_VARIABLES if os.environ.get(n)), None)
        if cafile is None:
            return None  # aiohttp's default: the system's trust store
        if cafile not in self._contexts:
            self._contexts[cafile] = ssl.create_default_context(cafile=cafile)
        return self._contexts[cafile]


def _bypassed(host: str, proxies: Mapping[str, str]) -> bool:
    """NO_PROXY as urllib (and so requests) reads it; typeshed leaves the function out."""
    bypass: bool = urllib.request.proxy_bypass_environment(host, proxies)  # type: ignore[attr-defined]
    return bypass


class _Driver:
    """Takes the place of msrest's `AsyncRequestsHTTPSender` under the pipeline's sender."""

    def __init__(self, transport: ConnectorTransport, replaced: Any) -> None:
        self._transport = transport
        self._config = replaced.config
        self.session = replaced.session  # the requests.Session the credentials policy signs

    async def __aenter__(self) -> _Driver:
        return self

    async def __aexit__(self, *exc_details: object) -> None:
        self.session.close()  # nothing of it is used but its headers; the aiohttp session is shared

    async def send(self, request: ClientRequest, **kwargs: Any) -> LoadedResponse:
        session = kwargs.pop("session", self.session)
        headers = {
            name: value
            for name, value in {
                **session.headers,
                **self._config.headers,
                **request.headers,
            }.items()
            if name.lower() not in _AIOHTTP_OWNS
        }
        connection = self._config.connection
        trust_env = bool(self._config.proxies.use_env_settings)
        options: dict[str, Any] = {
            "headers": headers,
            "data": request.data,
            "ssl": self._transport.ssl_for(connection.verify, trust_env=trust_env),
            "timeout": aiohttp.ClientTimeout(
                sock_connect=connection.timeout, sock_read=connection.timeout
            ),
            "allow_redirects": bool(self._config.redirect_policy),
            "max_redirects": int(self._config.redirect_policy()),
            "proxy": self._transport.proxy_for(
                request.url, self._config.proxies(), use_env=trust_env
            ),
        }
        policy = self._config.retry_policy.policy  # urllib3's Retry, as msrest configured it

        def retrying() -> AsyncRetrying:
            return AsyncRetrying(
                retry=retry_if_exception(_never_connected),
                stop=stop_after_attempt(1 + max(0, int(policy.connect or 0))),
                wait=wait_exponential(multiplier=float(policy.backoff_factor or 0)),
                reraise=True,
            )

        try:
            return await retry_after_first_failure(
                lambda: self._once(request, options), _never_connected, retrying
            )
        except (TimeoutError, aiohttp.ClientError) as error:
            raise ClientRequestError("Error occurred in request.", error) from error

    async def _once(self, request: ClientRequest, options: Mapping[str, Any]) -> LoadedResponse:
        session = self._transport.session()
        async with session.request(request.method, request.url, **options) as response:
            received = Received(
                url=str(response.url),
                status_code=response.status,
                reason=response.reason,
                headers=CIMultiDict(response.headers),
                content=await response.read(),
            )
        return LoadedResponse(request, received)


def _never_connected(error: BaseException) -> bool:
    """No connection was made, so the request surely never arrived (a bad certificate is not
    worth another try)."""
    return isinstance(error, aiohttp.ClientConnectorError) and not isinstance(
        error, aiohttp.ClientSSLError
    )
