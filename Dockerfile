# chibo-bot: one process running the configured channels, the web server (/healthz, /metrics,
# the Zalo webhook), the planners and the dispatcher. Data lives in the /app/data volume.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pg_dump / pg_restore for `admin backup` on PostgreSQL (version 15, as deploy/compose.yaml's server).
# Not pinned to a Debian revision: the base's security updates replace it, and the pin would break.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 chibo \
    && useradd --system --uid 10001 --gid chibo --home-dir /app --shell /usr/sbin/nologin chibo

WORKDIR /app
COPY requirements.txt .
# Compiled here, once: the running bot cannot write bytecode (PYTHONDONTWRITEBYTECODE, files owned by
# root), and compiling every library at each start cost it seconds.
RUN pip install -r requirements.txt

COPY --chown=root:root . .
RUN python -m compileall -q -x '/(data|tests|bench)/' .
RUN mkdir -p /app/data && chown chibo:chibo /app/data

USER 10001:10001
VOLUME ["/app/data"]
ENV DATABASE_URL=sqlite+aiosqlite:////app/data/chibo.db \
    EXPORT_DIR=/app/data/exports \
    BACKUP_DIR=/app/data/backups \
    WEB_LISTEN=0.0.0.0 \
    WEB_PORT=8080 \
    DEMO_DATA=false
EXPOSE 8080 8443

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('WEB_PORT', '8080') + '/healthz', timeout=4).status != 200)"]

CMD ["python", "bot.py"]
