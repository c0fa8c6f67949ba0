# Passerelle in a container: the bot only (no dev tools), as an unprivileged user, with its
# database and backups on the /data volume. Settings come from the environment (compose.yaml
# passes .env). See README, "Running it on a small VPS".
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
# Runtime dependencies first, exactly as locked (every file's hash checked): this layer is
# rebuilt only when the lock changes.
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY core ./core
COPY handlers ./handlers
COPY storage ./storage
COPY sandbox ./sandbox
RUN /opt/venv/bin/pip install --no-deps . \
    && /opt/venv/bin/python -m compileall -q /opt/venv/lib

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 passerelle \
    && useradd --system --uid 10001 --gid passerelle --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin passerelle \
    && mkdir -p /data/backups /app \
    && chown -R passerelle:passerelle /data \
    && chmod 0700 /data /data/backups
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/data/passerelle.sqlite3 \
    BACKUP_DIR=/data/backups
# An empty working directory: no stray .env is read from the volume or the image.
WORKDIR /app
USER 10001:10001
# A new named volume takes /data's owner and mode from the image: the bot can write there.
VOLUME ["/data"]
# The webhook server (WEBHOOK_PORT) and /healthz + /metrics (HTTP_PORT), when enabled.
EXPOSE 8443 8080
# SIGTERM stops the bot cleanly: in-flight sends finish first (give it ~15 s).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
