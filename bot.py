"""chibo-bot: the entry point. Wiring only: settings, storage, channels, scheduler."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import handlers
from admin import commands as admin
from admin.backup import restore_backup, take_backup
from admin.export import export, export_minutes
from admin.privacy import export_person
from admin.programme import import_programme
from admin.reminder_settings import reminder_settings
from admin.zalo_check import zalo_check
from channels.console import ConsoleChannel
from channels.webserver import DownloadLinks, OpsRoutes, WebServer
from core.app import App
from core.channel import Channel, ConfigError
from core.context import Services
from core.health import Health
from core.logs import configure
from core.memory import freeze_start_up
from core.metrics import Metrics
from domain.clock import Clock, system_clock
from handlers.reminders import reminder_buttons
from reports.minutes import MINUTES
from schedules.backups import BackupJob
from schedules.scheduler import build_dispatcher, build_scheduler, catch_up
from settings import Settings
from storage.db import Database
from storage.web import WEB_PREFIX
from storage.workers import Workers
from web.app import Desk

log = logging.getLogger("bot")

DEFAULT_BACKUP_DIR = Path("data/backups")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="bot.py", description="Trợ lý báo cáo chi bộ")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="chạy các kênh đã cấu hình (mặc định)")
    console = sub.add_parser("console", help="trò chuyện thử trên máy tính")
    console.add_argument("--as", dest="as_person", type=int, help="mã số người dùng (bỏ qua bước chọn)")
    admin_parser = sub.add_parser("admin", help="quản trị")
    admin_sub = admin_parser.add_subparsers(dest="admin_command", required=True)
    demo = admin_sub.add_parser("demo", help="nạp dữ liệu mẫu phường Phúc Lợi với 12 tháng hoạt động")
    demo.add_argument("--year", type=int, help="dựng lại tình huống của một năm (2015: tình huống gốc)")
    invite = admin_sub.add_parser("invite", help="tạo mã mời")
    invite.add_argument("--role", required=True, choices=["secretary", "deputy", "member", "committee"])
    invite.add_argument("--cell")
    invite.add_argument("--committee")
    invite.add_argument("--name")
    invite.add_argument("--title")
    reminder = admin_sub.add_parser("reminders", help="xem hoặc đổi thiết lập nhắc việc (KHÓA=GIÁ-TRỊ)")
    reminder.add_argument("--committee")
    reminder.add_argument("changes", nargs="*")
    programme = admin_sub.add_parser("import-inspections", help="nhập kế hoạch kiểm tra cả năm (CSV)")
    programme.add_argument("--committee")
    programme.add_argument("file", type=Path)
    roster = admin_sub.add_parser("import-members", help="nhập danh sách đảng viên (CSV/XLSX)")
    roster.add_argument("--cell", required=True)
    roster.add_argument("--committee")
    roster.add_argument("file", type=Path)
    committee = admin_sub.add_parser("create-committee", help="tạo Đảng bộ")
    committee.add_argument("name")
    cell = admin_sub.add_parser("create-cell", help="tạo chi bộ")
    cell.add_argument("name")
    cell.add_argument("--kind", default="residential", choices=["residential", "agency", "school"])
    cell.add_argument("--committee")
    admin_sub.add_parser("list", help="liệt kê Đảng bộ và chi bộ")
    admin_sub.add_parser("invites", help="liệt kê mã mời")
    admin_sub.add_parser("zalo-check", help="kiểm tra bot Zalo và webhook (không in mã bí mật)")
    copy = admin_sub.add_parser(
        "migrate-data", help="chép dữ liệu sang cơ sở dữ liệu khác (SQLite → PostgreSQL)"
    )
    copy.add_argument("--from", dest="source", required=True)
    copy.add_argument("--to", dest="target", required=True)
    backup = admin_sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (được cả khi trợ lý đang chạy)")
    backup.add_argument("--to", dest="directory", type=Path, help="thư mục (mặc định BACKUP_DIR)")
    backup.add_argument("--keep", type=int, help="số bản gần nhất được giữ (mặc định BACKUP_KEEP, 14)")
    restore = admin_sub.add_parser("restore", help="khôi phục bản sao lưu vào DATABASE_URL")
    restore.add_argument("file", type=Path)
    restore.add_argument("--force", action="store_true", help="thay cả khi cơ sở dữ liệu đích đã có dữ liệu")
    person = admin_sub.add_parser("export-person", help="xuất mọi dữ liệu về một đảng viên (JSON)")
    person.add_argument("name", help="họ và tên")
    person.add_argument("--cell", required=True)
    person.add_argument("--committee")
    person.add_argument("--out", type=Path, help="thư mục ghi tệp (mặc định EXPORT_DIR)")
    exporter = sub.add_parser("export", help="xuất dữ liệu ra tệp XLSX hoặc DOCX, hoặc biên bản một buổi họp")
    exporter.add_argument("--format", dest="fmt", choices=["xlsx", "docx", MINUTES], default="xlsx")
    exporter.add_argument("--period", help="tháng (8/2015), quý (quý 3/2015) hoặc năm (2015)")
    exporter.add_argument("--report", help="mã báo cáo (BC0001), với --format minutes")
    exporter.add_argument("--cell", help="một chi bộ (bỏ trống: toàn Đảng bộ)")
    exporter.add_argument("--committee")
    exporter.add_argument("--out", type=Path, help="thư mục ghi tệp (mặc định EXPORT_DIR)")
    return parser.parse_args(argv)


async def run_admin(args: argparse.Namespace, settings: Settings, db: Database, clock: Clock) -> int:
    """Run one admin command and print its lines."""
    try:
        match args.admin_command:
            case "demo":
                lines = await admin.load_demo_year(db, clock, args.year)
            case "invite":
                lines = await admin.create_invite(
                    db,
                    clock,
                    settings.invite_ttl_days,
                    role=args.role,
                    cell_name=args.cell,
                    committee_name=args.committee,
                    full_name=args.name,
                    title=args.title,
                )
            case "reminders":
                lines = await reminder_settings(db, args.committee, args.changes)
            case "import-inspections":
                lines = await import_programme(db, clock, args.file, args.committee)
            case "import-members":
                lines = await admin.import_members(db, clock, args.cell, args.file, args.committee)
            case "create-committee":
                lines = await admin.create_committee(db, clock, args.name)
            case "create-cell":
                lines = await admin.create_cell(db, clock, args.name, args.kind, args.committee)
            case "list":
                lines = await admin.list_organisation(db)
            case "migrate-data":
                lines = await admin.migrate_data(args.source, args.target)
            case "zalo-check":
                lines = await zalo_check(settings, db)
            case "backup":
                directory = args.directory or settings.backup_dir or DEFAULT_BACKUP_DIR
                lines = await take_backup(db, clock, directory, args.keep or settings.backup_keep)
            case "restore":
                lines = await restore_backup(db, args.file, force=args.force)
            case "export-person":
                out = args.out or settings.export_dir
                lines = await export_person(db, clock, args.name, args.cell, args.committee, out)
            case _:
                lines = await admin.list_invites(db, clock)
    except admin.AdminError as error:
        print(error, file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


async def run_export(args: argparse.Namespace, settings: Settings, db: Database, clock: Clock) -> int:
    """Write one export file and print its path."""
    out_dir = args.out or settings.export_dir
    try:
        if args.fmt == MINUTES:
            lines = await export_minutes(db, args.report, out_dir)
        else:
            lines = await export(db, clock, args.fmt, args.period, args.cell, args.committee, out_dir)
    except admin.AdminError as error:
        print(error, file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def zalo_channel(settings: Settings, app: App, web_server: WebServer, db: Database, clock: Clock) -> Channel:
    """Build the Zalo channel, serving its webhook and download links from the web server."""
    from channels.zalo import ZaloChannel

    links = None
    if settings.public_base_url:
        links = DownloadLinks(settings.public_base_url, settings.download_link_minutes * 60, db, clock)
        links.mount(web_server)
    return ZaloChannel(settings, app, web_server=web_server, links=links)


async def run_console(
    args: argparse.Namespace, app: App, web_server: WebServer, db: Database, clock: Clock
) -> int:
    """Chat on this computer, with the web view on a local server for the links /web prints."""
    settings = app.services.settings
    if settings.demo_data:
        await admin.load_demo_year(db, clock)
    stop = asyncio.Event()
    web = asyncio.create_task(web_server.run(stop))
    console = ConsoleChannel(app, db, clock, settings.export_dir, sys.stdin, sys.stdout)
    await console.run(getattr(args, "as_person", None))
    stop.set()
    try:
        await web
    except OSError as error:
        # The chat worked without it; only the links /web printed could not be opened.
        print(error, file=sys.stderr)
    return 0


async def run_bot(args: argparse.Namespace, settings: Settings, db: Database, clock: Clock) -> int:
    """Start the configured channels (the console when none is), the web server, the dispatcher, and wait."""
    metrics = Metrics()
    console_only = args.command == "console" or not (settings.telegram_enabled or settings.zalo_enabled)
    if console_only:
        # The console's /web links open the web view on this computer only.
        local = "127.0.0.1"
        settings = settings.model_copy(
            update={"web_listen": local, "public_base_url": f"http://{local}:{settings.web_port}"}
        )
    app = App(Services(db, clock, settings), handlers.all_commands(), handlers.all_forms(), metrics)
    web_server = WebServer(settings.web_listen, settings.web_port)
    web_server.add_subapp(WEB_PREFIX, Desk(db, clock, settings).application())
    channels: dict = {}
    if settings.telegram_enabled and args.command != "console":
        from channels.telegram import TelegramChannel

        try:
            channels["telegram"] = TelegramChannel(settings, app)
        except ConfigError as error:
            print(error, file=sys.stderr)
            return 2
    if settings.zalo_enabled and args.command != "console":
        channels["zalo"] = zalo_channel(settings, app, web_server, db, clock)
    if not channels:
        return await run_console(args, app, web_server, db, clock)
    health = Health(db, channels)
    OpsRoutes(health, metrics, db).mount(web_server)
    dispatcher = build_dispatcher(db, clock, channels, settings, reminder_buttons, metrics)
    app.on_committed.append(dispatcher.wake)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(channel.run(stop)) for channel in channels.values()]
    web = asyncio.create_task(web_server.run(stop))
    dispatch = asyncio.create_task(dispatcher.run(settings.dispatch_interval_seconds))
    backups = None
    if settings.backup_dir is not None:
        backups = BackupJob(db, clock, settings.backup_dir, settings.backup_keep, health, metrics)
    scheduler = build_scheduler(
        db, clock, settings.planner_cron, run_now=False, backups=backups, backup_cron=settings.backup_cron
    )
    scheduler.start()
    freeze_start_up()
    catching_up = asyncio.create_task(catch_up(scheduler, channels))
    channels_done = asyncio.gather(*tasks)
    stopping = asyncio.create_task(stop.wait())
    # A channel may stop on its own (Zalo on a refused token); the others keep running. The web
    # server ends only on an error (its port taken), which stops the bot with that error.
    watched: set[asyncio.Future[Any]] = {stopping, channels_done, web}
    await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
    stopped_alone = not stopping.done()
    stop.set()
    await channels_done
    await web
    scheduler.shutdown(wait=False)
    for task in (catching_up, dispatch):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if stopped_alone:
        # Channels stop on their own only when a token is refused: a configuration error, like code 2.
        log.error("no channel is running (each stopped on its own, see above); the bot exits")
        return 2
    return 0


async def main(argv: list[str]) -> int:
    """Wire settings and storage, then run the chosen command."""
    args = parse_args(argv)
    settings = Settings()
    secrets = [
        s.get_secret_value()
        for s in (
            settings.telegram_bot_token,
            settings.telegram_webhook_secret,
            settings.zalo_bot_token,
            settings.zalo_webhook_secret,
            settings.telegram_proxy_url,
            settings.https_proxy,
        )
        if s
    ]
    configure(settings.log_level, secrets, settings.log_format)
    db = Database.from_url(settings.database_url, Workers())
    clock = system_clock(settings.clock_shift_seconds)
    try:
        await db.migrate()
        if args.command == "admin":
            return await run_admin(args, settings, db, clock)
        if args.command == "export":
            return await run_export(args, settings, db, clock)
        return await run_bot(args, settings, db, clock)
    finally:
        await db.dispose()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
