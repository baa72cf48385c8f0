# convograph: `docker build -t convograph .` then
#   docker run -p 8000:8000 -e CONVOGRAPH_DATABASE_URL=postgresql://user:pass@db:5432/convograph convograph
# Without CONVOGRAPH_DATABASE_URL it keeps an SQLite file in the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CONVOGRAPH_DATABASE_URL=sqlite+aiosqlite:////data/convograph.db

RUN useradd --create-home --uid 10001 convograph \
    && mkdir /data && chown convograph /data

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY convograph ./convograph
RUN pip install .

USER convograph
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz')"
CMD ["convograph", "serve", "--host", "0.0.0.0", "--port", "8000"]
