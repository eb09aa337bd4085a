# Xianfeng: the two commands are `make run` and `make test`; the rest are their parts.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_JS := node_modules/.installed
export DJANGO_SETTINGS_MODULE := xianfeng.settings

.PHONY: run test install system-deps assets migrate demo lint typecheck test-sqlite test-postgres bench clean

run: install migrate
	$(VENV)/bin/xianfeng demo --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

test: install system-deps lint typecheck
	$(VENV)/bin/pytest -n 2 --dist loadfile -q

install: $(STAMP_PY) $(STAMP_JS) xianfeng/locale/zh_Hans/LC_MESSAGES/django.mo

$(STAMP_PY): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Translations are compiled, not committed; msgfmt comes from Debian's gettext.
xianfeng/locale/zh_Hans/LC_MESSAGES/django.mo: xianfeng/locale/zh_Hans/LC_MESSAGES/django.po $(STAMP_PY)
	command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	$(PY) manage.py compilemessages -l zh_Hans -v 0 --ignore=.venv --ignore=node_modules

# Browser tests drive Debian's chromium through Playwright; CJK fonts so screenshots are legible.
# Generated documents: LibreOffice (headless Writer) for PDF, poppler-utils (pdftotext) for the PDF tests,
# and free CJK and Latin fonts (reports/data/fonts.conf maps 仿宋/楷体/黑体/小标宋 and Times New Roman onto them).
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 libreoffice-writer-nogui poppler-utils
system-deps:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && command -v pdftotext >/dev/null && fc-list | grep -q "AR PL UKai" \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES))

migrate: install
	$(PY) manage.py migrate -v 0

lint: install
	$(VENV)/bin/ruff check xianfeng bench
	$(VENV)/bin/ruff format --check xianfeng bench

typecheck: install
	$(VENV)/bin/mypy xianfeng

test-sqlite: install system-deps
	DATABASE_URL= $(VENV)/bin/pytest -n 2 --dist loadfile -q

test-postgres: install system-deps
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/xianfeng $(VENV)/bin/pytest -n 2 --dist loadfile -q

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3* var staticfiles
