# The README's two commands: `make demo` and `make test`. Both work on a fresh machine with
# Python 3.11; each creates .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check bench bench-parliament fuzz vscode clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs the package itself (not editable), so the demo runs what users get.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/connect-policy-lsp --version
	@echo "--- Checking examples/ (the source material's example policies, mistakes included)"
	@$(BIN)/connect-policy-lsp check examples/; status=$$?; \
	  if [ $$status -gt 1 ]; then echo "check failed with exit code $$status"; exit $$status; fi; \
	  echo "--- Exit code $$status: 1 means errors were found, as expected in these examples."

# Every test, the real editors included: the extension is built, linted and packaged, then
# tested in a real VS Code (code-server; scripts/vscode-e2e.sh installs it, and Debian's
# chromium and libkrb5-dev with apt-get when missing) and a real Neovim (from the test extras).
test: $(VENV)/.installed-test vscode
	CONNECT_POLICY_REQUIRE_NVIM=1 CONNECT_POLICY_VSCODE_E2E=1 \
	  CONNECT_POLICY_VSIX="$(CURDIR)/vscode-client/connect-policy.vsix" $(MAKE) check

# The quick loop while developing: lint, types and the tests (the VS Code end-to-end test is
# skipped unless CONNECT_POLICY_VSCODE_E2E=1).
check: $(VENV)/.installed-test
	$(BIN)/ruff check server tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# The VS Code extension: install, lint, type-check, bundle and package the .vsix (Node 20).
vscode:
	cd vscode-client && npm ci --no-audit --no-fund && npm run lint && npm run typecheck \
	  && npm run package

bench: $(VENV)/.installed-test
	$(BIN)/python tests/bench/bench_lsp.py
	$(BIN)/python tests/bench/bench_editor.py
	$(BIN)/python tests/bench/bench_check.py
	$(BIN)/python tests/bench/bench_host_editor.py
	$(BIN)/python tests/bench/bench_templates.py

# 100,000 generated and damaged documents through every editor feature (takes ~20 minutes).
fuzz: $(VENV)/.installed-test
	$(BIN)/python tests/bench/fuzz.py --count 100000 --jobs 2

# parliament is a bench-only dependency: installed here, never by the package or the tests.
bench-parliament: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet parliament==1.6.4
	$(BIN)/python tests/bench/bench_vs_parliament.py

clean:
	rm -rf $(VENV) build dist
