"""One settings object, read from HOTLINE_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_AUTH_TOKEN = "simulator-auth-token"
DEFAULT_ACCOUNT_SID = "AC00000000000000000000000000000000"
LANGUAGES = ("zh-CN", "en", "ko")


class ConfigurationError(RuntimeError):
    """A setting is missing or unsafe; the message says which and how to fix it."""


def _split_csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Settings(BaseSettings):
    """Every knob of the hotline; see README for what each one does."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", env_file=None, extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    redis_url: str | None = None
    public_base_url: str = "http://127.0.0.1:8000"

    telephony: Literal["twilio", "simulator"] = "simulator"
    twilio_account_sid: str = DEFAULT_ACCOUNT_SID
    twilio_auth_token: str = DEFAULT_AUTH_TOKEN
    twilio_number: str = "+861012345"

    vosk_models: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    models_dir: Path | None = None
    vosk_model_base_url: str = "https://alphacephei.com/vosk/models"
    recordings_dir: Path | None = None
    recording_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    recording_max_bytes: int = 20 * 1024 * 1024
    recording_timeout_seconds: float = 30.0
    photos_dir: Path | None = None
    recording_store: str = "local"  # or s3://bucket/prefix, shared by every host
    s3_endpoint_url: str | None = None  # unset: AWS; else MinIO, Ceph RGW, OSS, COS, …
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None  # unset: boto3's chain (AWS_* variables, instance role)
    s3_secret_access_key: str | None = None
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"

    api_tokens: Annotated[list[str], NoDecode] = Field(default_factory=list)
    secret_key: str | None = None
    survey_delay_seconds: int = 3600
    calling_hours: str = "08:00-21:00"
    survey_max_attempts: int = Field(3, ge=1, le=10)
    survey_retry_minutes: int = Field(60, ge=1)
    survey_machine_action: Literal["message", "hangup"] = "message"
    survey_sms_fallback: bool = True
    calls_per_second: float = Field(1.0, gt=0)
    twilio_api_base_url: str | None = None
    intake_mode: Literal["agent-first", "ivr"] = "agent-first"
    agent_hours: str = "08:00-20:00"
    queue_max_wait_seconds: int = Field(120, ge=0)
    agent_ring_seconds: int = Field(20, ge=5, le=120)
    wrap_up_seconds: int = Field(30, ge=0, le=3600)
    media_stream_url: str | None = None
    acd_interval_seconds: float = Field(0.5, gt=0)
    queue_name: str = "hotline-agents"
    timezone: str = "Asia/Shanghai"
    calendar_file: Path | None = None
    categories_file: Path | None = None
    duplicate_window_hours: float = 72.0
    max_returns: int = Field(2, ge=0, le=20)  # 0: never hand returned cases to the district
    recording_retention_days: int = Field(180, ge=0)  # 0: keep recordings for ever
    escalation_interval_seconds: float = 60.0
    relay_interval_seconds: float = 0.5
    # A job whose worker or host died is requeued about this long plus 20 s after it died.
    job_heartbeat_seconds: int = Field(10, ge=1, le=60)
    job_retry_seconds: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [10, 60, 300])
    open311_jurisdiction_id: str | None = None  # set: clients that send one must send this
    open311_public_reads: bool = True  # GET services/requests without an api_key
    open311_rate_limit: int = Field(60, ge=1, le=100_000)  # per key per minute, for new keys
    webhook_timeout_seconds: float = Field(10.0, gt=0, le=120)
    # Waits between tries of a failed delivery; after the last one it is given up (replayable).
    webhook_retry_seconds: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [10, 60, 300, 1800, 7200, 21600]
    )
    webhook_pause_after: int = Field(20, ge=1)  # failed tries in a row before a pause

    @field_validator(
        "recording_hosts", "api_tokens", "job_retry_seconds", "webhook_retry_seconds", mode="before"
    )
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value) if isinstance(value, str) else value

    @field_validator("vosk_models", mode="before")
    @classmethod
    def _models(cls, value: object) -> object:
        """Accept `ko=/path,zh-CN=/path` as well as a mapping."""
        if isinstance(value, str):
            pairs = {}
            for item in _split_csv(value):
                language, sep, path = item.partition("=")
                if not sep or not path.strip():
                    raise ValueError(f"HOTLINE_VOSK_MODELS item {item!r} is not LANGUAGE=PATH")
                pairs[language.strip()] = path.strip()
            return pairs
        return value

    @field_validator("agent_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        from hotline.queue.rules import parse_hours

        parse_hours(value)
        return value

    @field_validator("calling_hours")
    @classmethod
    def _calling_hours(cls, value: str) -> str:
        from hotline.surveys.rules import check_calling_hours

        check_calling_hours(value)
        return value

    @field_validator("recording_store")
    @classmethod
    def _store(cls, value: str) -> str:
        from hotline.calls.store import parse_bucket

        value = value.strip() or "local"
        if value != "local":
            try:
                parse_bucket(value)
            except ValueError:
                raise ValueError(
                    "HOTLINE_RECORDING_STORE must be local or s3://bucket[/prefix]"
                ) from None
        return value

    @field_validator("twilio_api_base_url")
    @classmethod
    def _api_base(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("HOTLINE_TWILIO_API_BASE_URL must be an absolute http(s) URL")
        return value.rstrip("/")

    @field_validator("media_stream_url")
    @classmethod
    def _stream_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("ws", "wss") or not parts.netloc or parts.query:
            raise ValueError("HOTLINE_MEDIA_STREAM_URL must be a ws(s):// URL with no query string")
        return value.rstrip("/")

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("HOTLINE_PUBLIC_BASE_URL must be an absolute http(s) URL")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if self.models_dir is None:
            self.models_dir = self.data_dir / "models"
        if self.recordings_dir is None:
            self.recordings_dir = self.data_dir / "recordings"
        if self.photos_dir is None:
            self.photos_dir = self.data_dir / "photos"
        if not self.recording_hosts:
            self.recording_hosts = ["api.twilio.com"]
            if self.telephony == "simulator":
                self.recording_hosts += ["127.0.0.1", "localhost"]
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured database, or an SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'hotline.db').resolve()}"

    @property
    def resolved_media_stream_url(self) -> str:
        """Where Twilio opens Media Streams: the setting, or /ivr/media-stream on the base URL."""
        if self.media_stream_url:
            return self.media_stream_url
        parts = urlsplit(self.public_base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}{parts.path}/ivr/media-stream"

    def check_for_production(self) -> None:
        """Refuse to run against real Twilio with placeholder secrets."""
        if self.telephony != "twilio":
            return
        problems = []
        if self.twilio_auth_token in ("", DEFAULT_AUTH_TOKEN):
            problems.append("HOTLINE_TWILIO_AUTH_TOKEN is unset or the built-in default")
        if not self.twilio_account_sid.startswith("AC") or (
            self.twilio_account_sid == DEFAULT_ACCOUNT_SID
        ):
            problems.append("HOTLINE_TWILIO_ACCOUNT_SID is unset or the built-in default")
        host = urlsplit(self.public_base_url).hostname or ""
        if host in ("127.0.0.1", "localhost"):
            problems.append("HOTLINE_PUBLIC_BASE_URL must be the address Twilio reaches")
        if not self.resolved_media_stream_url.startswith("wss://"):
            problems.append(
                "Twilio opens Media Streams over wss:// only: use an https public base URL "
                "or set HOTLINE_MEDIA_STREAM_URL"
            )
        if problems:
            raise ConfigurationError(
                "refusing to start with HOTLINE_TELEPHONY=twilio: " + "; ".join(problems)
            )


def load_settings() -> Settings:
    """Read settings from the environment, turning validation errors into one clear message."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as error:
        lines = [
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()
        ]
        raise ConfigurationError("invalid configuration: " + "; ".join(lines)) from error
