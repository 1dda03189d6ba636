"""Certificates the emulators make at each start: TLS for the identity emulator, and the chain
that signs Partner Center webhook deliveries.

msal insists on https authorities, so the emulator serves HTTPS and prints the CA path that
clients must trust (never the system store: REQUESTS_CA_BUNDLE would otherwise win).

Partner Center signs each webhook delivery with the key of a TLS-style server certificate named
after its dispatcher host and says where to download that certificate (`x-ms-certificate-url`).
The emulator does the same with a chain of its own (docs/webhooks.md): a root CA whose PEM file
receivers trust, and a signing certificate it serves over its HTTPS listener.
"""

from __future__ import annotations

import base64
import datetime
import ssl
import tempfile
from pathlib import Path

import trustme
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

WEBHOOK_ISSUER_ORGANIZATION = "Referral Bot Emulators"
WEBHOOK_CA_NAME = "Referral Bot Emulators Webhook Root CA"
WEBHOOK_CERTIFICATE_NAME = "pcnotifications-dispatch.emulator.test"
WEBHOOK_CERTIFICATE_PATH = f"/cert/{WEBHOOK_CERTIFICATE_NAME}.cer"
_VALIDITY = datetime.timedelta(days=30)
_BACKDATE = datetime.timedelta(hours=1)


class _Folder:
    """Where a run's certificate files go: the given directory, or a temporary one."""

    def __init__(self, directory: Path | None, prefix: str) -> None:
        self._tmp = None if directory else tempfile.TemporaryDirectory(prefix=prefix)
        self.path = directory or Path(self._tmp.name)  # type: ignore[union-attr]
        self.path.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


class LocalTls:
    def __init__(self, directory: Path | None = None) -> None:
        self._ca = trustme.CA(organization_name="Referral Bot local identity emulator")
        self._server_cert = self._ca.issue_cert("127.0.0.1", "localhost", "::1")
        self._folder = _Folder(directory, "referral-bot-ca-")
        self.ca_file = self._folder.path / "emulator-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._server_cert.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def close(self) -> None:
        self._folder.close()


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, WEBHOOK_ISSUER_ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, sign_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certificates,
        crl_sign=sign_certificates,
        encipher_only=False,
        decipher_only=False,
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, key: rsa.RSAPublicKey, now: datetime.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
    )


def _root(key: rsa.RSAPrivateKey, now: datetime.datetime) -> x509.Certificate:
    name = _name(WEBHOOK_CA_NAME)
    return (
        _builder(name, name, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_certificates=True), critical=True)
        .sign(key, hashes.SHA256())
    )


def _leaf(
    key: rsa.RSAPrivateKey, root: x509.Certificate, root_key: rsa.RSAPrivateKey
) -> x509.Certificate:
    now = root.not_valid_before_utc + _BACKDATE
    root_ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        _builder(_name(WEBHOOK_CERTIFICATE_NAME), root.subject, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski),
            critical=False,
        )
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(WEBHOOK_CERTIFICATE_NAME)]), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(_key_usage(sign_certificates=False), critical=True)
        .sign(root_key, hashes.SHA256())
    )


class WebhookSigningChain:
    """The webhook root CA (its PEM in `ca_file`) and the signing certificate it issued."""

    def __init__(self, directory: Path | None = None) -> None:
        now = datetime.datetime.now(datetime.UTC)
        root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.root = _root(root_key, now)
        self.certificate = _leaf(self._key, self.root, root_key)
        self.certificate_der = self.certificate.public_bytes(serialization.Encoding.DER)
        self._folder = _Folder(directory, "referral-bot-webhook-ca-")
        self.ca_file = self._folder.path / "webhook-ca.pem"
        self.ca_file.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))

    def sign(self, body: bytes) -> str:
        """RSA-SHA256 (PKCS#1 v1.5) over the exact body bytes, base64: `x-ms-signature-algorithm:
        rsa-sha256` as Partner Center sends it."""
        signature = self._key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def add_route(self, app: web.Application) -> None:
        """Serve the DER certificate where `x-ms-certificate-url` points (the HTTPS listener)."""
        der = self.certificate_der

        async def certificate(_: web.Request) -> web.Response:
            return web.Response(body=der, content_type="application/pkix-cert")

        app.router.add_get(WEBHOOK_CERTIFICATE_PATH, certificate)

    def close(self) -> None:
        self._folder.close()
