# convograph: `docker build -t convograph .`, then either
#   with authentication (for any network):
#     docker run -p 8000:8000 -e CONVOGRAPH_AUTH=jwt -e CONVOGRAPH_JWT_SECRET=... \
#       -e CONVOGRAPH_DATABASE_URL=postgresql://user:pass@db:5432/convograph convograph
#   or without it, on a network that is yours alone (the explicit setting is required:
#   without it `serve` refuses to listen on 0.0.0.0 with CONVOGRAPH_AUTH=none, and exits 2):
#     docker run -p 127.0.0.1:8000:8000 -e CONVOGRAPH_ALLOW_UNAUTHENTICATED_NETWORK=true convograph
# Without CONVOGRAPH_DATABASE_URL it keeps an SQLite file in the /data volume.
# See docs/deployment.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CONVOGRAPH_DATABASE_URL=sqlite+aiosqlite:////data/convograph.db \
    CONVOGRAPH_HOST=0.0.0.0 \
    CONVOGRAPH_PORT=8000

RUN useradd --create-home --uid 10001 convograph \
    && mkdir /data && chown convograph /data

WORKDIR /app

# The dependencies first, from pyproject.toml alone: a change to the code reuses this layer,
# only a change to pyproject.toml installs them again.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the package itself, without touching the dependencies installed above.
COPY README.md alembic.ini ./
COPY convograph ./convograph
RUN pip install --no-deps .

USER convograph
VOLUME ["/data"]
EXPOSE 8000
# `serve` applies migrations before it listens, which can take minutes on a large
# database: failures during the start period do not count against the container.
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('CONVOGRAPH_PORT', '8000') + '/readyz', timeout=4)"
# Host and port come from CONVOGRAPH_HOST / CONVOGRAPH_PORT above, so `-e` can change them.
CMD ["convograph", "serve"]
