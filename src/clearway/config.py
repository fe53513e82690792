"""Settings, read from the environment with the prefix ``CLEARWAY_``.

Nothing here touches the filesystem or the database at import time; ``Settings()`` is built by the
application factory or the CLI and passed down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOME = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEARWAY_", env_file=None, extra="ignore")

    home: Path = Field(DEFAULT_HOME, description="Directory for the embedded database, models and logs.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL. Defaults to a SQLite file under `home` (the embedded default)."
    )
    secret_key: str = Field(
        "clearway-embedded-dev-secret-change-me",  # DEFAULT_SECRET_KEY
        description="Signs web session cookies. Set a long random value in production.",
    )
    max_body_bytes: int = Field(5 * 1024 * 1024, description="Largest request body accepted (413 above).")
    batch_limit: int = Field(1000, description="Most declarations accepted in one batch request.")
    country: str = Field("KR", description="Country pack the declarations are assessed under.")
    broker_url: str | None = Field(
        None,
        description="AMQP URL of RabbitMQ (production). Unset: events are handled in-process (embedded).",
    )
    broker_prefix: str = Field(
        "clearway", description="Prefix of the broker's exchange and queue names (<prefix>.events, …)."
    )
    inprocess_worker: bool = Field(
        True, description="Run the outbox relay and webhook deliveries in a thread of the API process."
    )
    allow_http_webhooks: bool = Field(False, description="Accept plain http:// webhook URLs (testing only).")
    personal_data_key: str = Field(
        "clearway-embedded-dev-personal-data-key-change-me",
        description="Encrypts personal data at rest (personal customs codes, names, phones). Set a long "
        "random value.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(
        None, description="Address printed on issued documents for verification (default http://host:port)."
    )
    # --- security (see docs/security.md) ---
    webhook_allowed_networks: list[str] = Field(
        default_factory=list,
        description="Networks (CIDR) or host names a webhook may reach although they are loopback, private "
        "or otherwise not public (operator exceptions; empty: public addresses only).",
    )
    token_ttl_days: int = Field(90, ge=1, le=3660, description="Default lifetime of an API token.")
    token_max_ttl_days: int = Field(366, ge=1, le=3660, description="Longest lifetime a token may ask for.")
    token_warn_days: int = Field(14, ge=0, description="Warn (Clearway-Token-Warning) this close to expiry.")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses/networks of reverse proxies whose X-Forwarded-For is believed (empty: none).",
    )
    login_pair_limit: int = Field(5, ge=1, description="Failed sign-ins per (username, client) till a pause.")
    login_address_limit: int = Field(100, ge=1, description="Failed sign-ins per address till a pause.")
    audit_key: str | None = Field(None, description="HMAC key of the audit chain (else from audit_key_file).")
    audit_key_file: Path | None = Field(
        None, description="File holding the audit chain key; default <home>/audit.key, created on first use."
    )
    audit_anchor_file: Path | None = Field(
        None,
        description="Where `clearway audit anchor` appends signed checkpoints; default "
        "<home>/audit-anchors.jsonl.",
    )
    schedule: dict[str, str] = Field(
        default_factory=dict,
        description="Schedules of `clearway worker scheduler` jobs overriding the defaults, as JSON, e.g. "
        '{"statistics-refresh": "10m", "traveller-purge": "daily 02:30"} (times in Korea).',
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'clearway.sqlite3').resolve()}"

    @property
    def resolved_audit_key_file(self) -> Path:
        return self.audit_key_file or self.home / "audit.key"

    @property
    def resolved_anchor_file(self) -> Path:
        return self.audit_anchor_file or self.home / "audit-anchors.jsonl"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


DEFAULT_SECRET_KEY = "clearway-embedded-dev-secret-change-me"
MIN_SECRET_KEY = 32
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def production_problems(settings: Settings, host: str | None = None) -> list[str]:
    """Why these settings must not serve in production mode (a PostgreSQL database or a non-loopback bind)."""
    bind = host or settings.host
    production = settings.resolved_database_url.startswith("postgres") or bind not in _LOOPBACK
    if not production:
        return []
    problems = []
    key = settings.secret_key.strip()
    if key == DEFAULT_SECRET_KEY or len(key) < MIN_SECRET_KEY:
        problems.append(
            f"CLEARWAY_SECRET_KEY is the default, empty or shorter than {MIN_SECRET_KEY} "
            "characters; set a long random value (e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        )
    return problems


class UnsafeSettings(RuntimeError):
    """Raised when production mode is started with settings that are not safe."""


def check_production(settings: Settings, host: str | None = None) -> None:
    problems = production_problems(settings, host)
    if problems:
        raise UnsafeSettings(
            "refusing to start in production mode (PostgreSQL or a non-loopback bind): " + "; ".join(problems)
        )
