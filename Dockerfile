# syntax=docker/dockerfile:1
# The HOTH service as one image: gunicorn serving the web pages (the default
# command), and the same image runs the job worker, migrations and one-off
# commands (deploy/compose.yaml). Build from the repository's root:
#   docker build -t hoth .

# ---------------------------------------------------------------- front-end assets
# GOV.UK Frontend, MOJ Frontend, charts, network pictures and maps, from the
# lock file, exactly as scripts/build-assets builds them for development.
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build-assets scripts/build-assets
COPY hoth/assets hoth/assets
RUN bash scripts/build-assets

# ---------------------------------------------------------------- Python packages
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
# The dependencies first, in their own layer: a change to the code alone does
# not download them again.
COPY pyproject.toml LICENSE ./
RUN mkdir hoth && touch hoth/__init__.py \
    && /opt/venv/bin/pip install . \
    && /opt/venv/bin/pip uninstall --yes hoth-platform \
    && rm -rf hoth build
COPY hoth hoth
COPY --from=assets /src/hoth/static/vendor hoth/static/vendor
RUN /opt/venv/bin/pip install --no-deps . && rm -rf build

# ---------------------------------------------------------------- the service
FROM python:3.11-slim-bookworm
# Pango draws WeasyPrint's PDFs (minutes, problem profiles); the PostgreSQL
# client (15, as the database) is what `manage.py backup` and `restore` run.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation postgresql-client \
    && rm -rf /var/lib/apt/lists/*
# The audit checkpoints' directory belongs to the service's user, so that a
# volume mounted there (deploy/compose.yaml) starts out writable by it.
RUN groupadd --system --gid 10001 hoth \
    && useradd --system --uid 10001 --gid hoth --home-dir /app --no-create-home --shell /usr/sbin/nologin hoth \
    && install --directory --owner hoth --group hoth --mode 700 /var/lib/hoth/audit-checkpoints
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=hoth.settings \
    HOTH_STATIC_ROOT=/app/staticfiles \
    XDG_CACHE_HOME=/tmp/cache
WORKDIR /app
COPY manage.py gunicorn.conf.py ./
COPY deploy/healthcheck.py /usr/local/bin/hoth-healthcheck
# Collecting static files reads the settings, which in production insist on
# their secrets and PostgreSQL: these placeholders exist for this one command,
# which opens no database and encrypts nothing. They are not in the image's
# environment; the real ones come from deploy/.env when a container starts.
RUN HOTH_SECRET_KEY=placeholder-for-collectstatic HOTH_FIELD_KEYS=placeholder-for-collectstatic \
    HOTH_AUDIT_KEYS="$(python -m hoth.audit.keys audit build | tail -n 1)" \
    DATABASE_URL=postgres://collectstatic@localhost/none \
    python manage.py collectstatic --noinput --verbosity 0
USER hoth
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "/usr/local/bin/hoth-healthcheck"]
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py", "hoth.wsgi:application"]
