"""Settings parsing and the refusal to run real telephony on placeholder secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.settings import ConfigurationError, Settings, load_settings


def test_defaults_are_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.resolved_database_url == f"sqlite:///{Path('data/hotline.db').resolve()}"
    assert settings.redis_url is None
    assert settings.telephony == "simulator"
    assert settings.recording_hosts == ["api.twilio.com", "127.0.0.1", "localhost"]
    assert settings.models_dir == Path("data/models")


def test_comma_separated_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_RECORDING_HOSTS", "api.twilio.com, media.example.cn")
    monkeypatch.setenv("HOTLINE_API_TOKENS", "a,b")
    monkeypatch.setenv("HOTLINE_VOSK_MODELS", "zh-CN=/models/cn, en=vosk-model-small-en-us-0.15")
    monkeypatch.setenv("HOTLINE_JOB_RETRY_SECONDS", "5,30")
    settings = load_settings()
    assert settings.recording_hosts == ["api.twilio.com", "media.example.cn"]
    assert settings.api_tokens == ["a", "b"]
    assert settings.vosk_models == {"zh-CN": "/models/cn", "en": "vosk-model-small-en-us-0.15"}
    assert settings.job_retry_seconds == [5, 30]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HOTLINE_VOSK_MODELS", "zh-CN", "is not LANGUAGE=PATH"),
        ("HOTLINE_PUBLIC_BASE_URL", "hotline.example", "absolute http"),
        ("HOTLINE_TELEPHONY", "carrier-pigeon", "telephony"),
        ("HOTLINE_INTAKE_MODE", "menu", "intake_mode"),
        ("HOTLINE_AGENT_RING_SECONDS", "2", "agent_ring_seconds"),
        ("HOTLINE_MEDIA_STREAM_URL", "wss://live.example/ivr/media-stream?x=1", "no query"),
        ("HOTLINE_MEDIA_STREAM_URL", "https://live.example/ivr/media-stream", "ws"),
    ],
)
def test_invalid_values_are_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message):
        load_settings()


def test_twilio_adapter_refuses_default_secrets() -> None:
    settings = Settings(telephony="twilio", public_base_url="https://hotline.example.gov.cn")
    with pytest.raises(ConfigurationError) as error:
        settings.check_for_production()
    assert "HOTLINE_TWILIO_AUTH_TOKEN" in str(error.value)
    assert "HOTLINE_TWILIO_ACCOUNT_SID" in str(error.value)


def test_twilio_adapter_refuses_a_loopback_base_url() -> None:
    settings = Settings(
        telephony="twilio", twilio_account_sid="AC" + "9" * 32, twilio_auth_token="real-secret"
    )
    with pytest.raises(ConfigurationError, match="HOTLINE_PUBLIC_BASE_URL"):
        settings.check_for_production()


def test_twilio_adapter_with_real_values_starts() -> None:
    settings = Settings(
        telephony="twilio",
        twilio_account_sid="AC" + "9" * 32,
        twilio_auth_token="real-secret",
        public_base_url="https://hotline.example.gov.cn/",
    )
    settings.check_for_production()
    assert settings.public_base_url == "https://hotline.example.gov.cn"
    assert settings.recording_hosts == ["api.twilio.com"]
    assert settings.resolved_media_stream_url == "wss://hotline.example.gov.cn/ivr/media-stream"


def test_media_streams_need_wss_with_twilio() -> None:
    settings = Settings(
        telephony="twilio",
        twilio_account_sid="AC" + "9" * 32,
        twilio_auth_token="real-secret",
        public_base_url="http://hotline.example.gov.cn",
    )
    with pytest.raises(ConfigurationError, match="wss://"):
        settings.check_for_production()
    separate = settings.model_copy(
        update={"media_stream_url": "wss://live.hotline.example.gov.cn/ivr/media-stream"}
    )
    separate.check_for_production()
