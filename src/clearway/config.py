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
        "clearway-embedded-dev-secret-change-me",
        description="Signs web session cookies. Set a long random value in production.",
    )
    max_body_bytes: int = Field(5 * 1024 * 1024, description="Largest request body accepted (413 above).")
    batch_limit: int = Field(1000, description="Most declarations accepted in one batch request.")
    country: str = Field("KR", description="Country pack the declarations are assessed under.")
    broker_url: str | None = Field(
        None, description="AMQP URL of RabbitMQ (production). Unset: events are handled in-process (embedded)."
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

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'clearway.sqlite3').resolve()}"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"
