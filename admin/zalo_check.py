"""`admin zalo-check`: what an operator runs when the Zalo bot does not answer."""

from __future__ import annotations

from typing import Any

from channels.zalo import NAME, ZaloApi, ZaloError
from domain.clock import LOCAL_TZ, fmt_datetime
from settings import Settings
from storage import webhooks
from storage.db import Database
from texts import admin as t

CHECK_TIMEOUT_SECONDS = 15.0


async def zalo_check(settings: Settings, db: Database) -> list[str]:
    """Report the bot's getMe, Zalo's webhook, whether they match the settings, and the last verification."""
    if settings.zalo_bot_token is None or not settings.zalo_bot_token.get_secret_value():
        return [t.ZALO_UNCONFIGURED]
    api = ZaloApi(settings.zalo_api_base_url, settings.zalo_bot_token.get_secret_value())
    try:
        lines = [await _describe(api, "getMe", _me_line)]
        info = await _call(api, "getWebhookInfo")
    finally:
        await api.close()
    registered = info.get("url") if isinstance(info, dict) else None
    lines.append(_webhook_line(info, registered))
    configured = settings.zalo_webhook_url
    if not configured:
        lines.append(t.ZALO_POLLING)
    else:
        lines.append(
            t.ZALO_URL_MATCH if configured == registered else t.ZALO_URL_MISMATCH.format(url=configured)
        )
    async with db.begin() as conn:
        check = await webhooks.latest(conn, NAME)
    if check is None:
        lines.append(t.ZALO_NEVER_SET)
        return lines
    secret = settings.zalo_webhook_secret.get_secret_value() if settings.zalo_webhook_secret else ""
    lines.append(t.ZALO_KEY_MATCH if api.digest(secret) == check.secret_digest else t.ZALO_KEY_MISMATCH)
    when = fmt_datetime(check.checked_at.astimezone(LOCAL_TZ))
    verification = check.verification or {}
    if not check.verification:
        lines.append(t.ZALO_VERIFICATION_UNKNOWN.format(when=when))
    elif verification.get("ok") is True:
        lines.append(t.ZALO_VERIFIED.format(when=when, url=check.url))
    else:
        lines.append(
            t.ZALO_NOT_VERIFIED.format(
                when=when,
                url=check.url,
                outcome=verification.get("outcome"),
                status=verification.get("status_code"),
                hint=verification.get("hint") or "",
            )
        )
    return lines


async def _call(api: ZaloApi, method: str) -> Any:
    """Call a method, returning the ZaloError instead of raising it."""
    try:
        return await api.call(method, {}, timeout=CHECK_TIMEOUT_SECONDS)
    except ZaloError as error:
        return error


async def _describe(api: ZaloApi, method: str, describe: Any) -> str:
    """Call a method and describe its result, or its error."""
    result = await _call(api, method)
    if isinstance(result, ZaloError):
        return t.ZALO_CALL_FAILED.format(method=method, error=result)
    return describe(result)


def _me_line(me: Any) -> str:
    """Describe getMe's answer."""
    me = me if isinstance(me, dict) else {}
    return t.ZALO_ME.format(id=me.get("id"), name=me.get("display_name"), account=me.get("account_name"))


def _webhook_line(info: Any, registered: Any) -> str:
    """Describe getWebhookInfo's answer."""
    if isinstance(info, ZaloError):
        return (
            t.ZALO_NO_WEBHOOK
            if info.status == 404
            else t.ZALO_CALL_FAILED.format(method="getWebhookInfo", error=info)
        )
    return t.ZALO_WEBHOOK.format(url=registered) if registered else t.ZALO_NO_WEBHOOK
