"""The ``pop-review`` command as users and scripts call it (contract.md): analyse and batch, exit codes.

Runs the installed console script in a subprocess, in a temporary working directory, with no
``POP_REVIEW_*`` variables from the caller's environment.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

POP_REVIEW = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "pop-review"
CRITERIA = ("career_question", "competences", "tailored", "development_plan", "action_plan")
FLAG_CODES = {"test_only", "advice_only", "application_only", "excluded_context", "employer_initiated",
              "out_of_scope", "template_copy"}
VERDICTS = {"compliant", "review", "non_compliant"}


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POP_REVIEW_")}
    return subprocess.run([str(POP_REVIEW), *args], check=False, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env=env)


def check_evidence(items: Any, *, section: bool) -> None:
    assert isinstance(items, list)
    for e in items:
        assert isinstance(e["text"], str) and e["text"]
        assert isinstance(e["page"], int) and e["page"] >= 1
        if section and "section" in e:
            assert e["section"] is None or isinstance(e["section"], str)


def check_report(r: dict[str, Any], *, filename: str, fmt: str) -> None:
    """The contract's report shape (schema_version "1")."""
    assert r["schema_version"] == "1"
    d = r["document"]
    assert d["filename"] == filename
    assert re.fullmatch(r"[0-9a-f]{64}", d["sha256"])
    assert d["format"] == fmt
    for key in ("pages", "words", "ocr_pages"):
        assert isinstance(d[key], int) and d[key] >= 0
    assert d["pages"] >= 1 and d["words"] > 50
    assert d["language"] == "nl"
    assert set(r["criteria"]) == set(CRITERIA)
    for key in CRITERIA:
        c = r["criteria"][key]
        assert isinstance(c["met"], bool)
        assert isinstance(c["score"], (int, float)) and 0.0 <= c["score"] <= 1.0
        check_evidence(c["evidence"], section=True)
        assert isinstance(c["explanation"], str) and c["explanation"]
    assert isinstance(r["flags"], list)
    for f in r["flags"]:
        assert f["code"] in FLAG_CODES
        assert 0.0 <= f["score"] <= 1.0
        check_evidence(f["evidence"], section=False)
        assert isinstance(f["explanation"], str)
    assert r["verdict"] in VERDICTS
    assert isinstance(r["priority"], (int, float)) and 0.0 <= r["priority"] <= 1.0
    v = r["versions"]
    assert isinstance(v["pop_review"], str) and v["pop_review"]
    assert isinstance(v["ruleset"], str) and v["ruleset"]
    assert isinstance(v["models"], dict)
    # the contract's verdict rule
    raised = {f["code"] for f in r["flags"]}
    if raised & {"test_only", "advice_only", "application_only", "excluded_context", "employer_initiated"}:
        assert r["verdict"] == "non_compliant"
    elif not raised and all(r["criteria"][k]["met"] for k in CRITERIA):
        assert r["verdict"] == "compliant"
    else:
        assert r["verdict"] == "review"


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory: pytest.TempPathFactory, make_docx) -> Path:
    path = tmp_path_factory.mktemp("analyse") / "pop_katrien.docx"
    path.write_bytes(make_docx())
    return path


# --------------------------------------------------------------------------- analyse


def test_analyse_json(docx_file: Path) -> None:
    proc = run("analyse", str(docx_file), "--format", "json", cwd=docx_file.parent)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    check_report(report, filename="pop_katrien.docx", fmt="docx")
    # evidence is pseudonymised: the client's name never appears in the report
    assert "Wuyts" not in proc.stdout and "Katrien" not in proc.stdout


def test_analyse_json_to_file(docx_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapport.json"
    proc = run("analyse", str(docx_file), "--format", "json", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    check_report(json.loads(out.read_text(encoding="utf-8")), filename="pop_katrien.docx", fmt="docx")


def test_analyse_text_is_dutch(docx_file: Path) -> None:
    proc = run("analyse", str(docx_file), "--format", "text", cwd=docx_file.parent)
    assert proc.returncode == 0, proc.stderr
    assert "Oordeel:" in proc.stdout
    assert re.search(r"Oordeel: (CONFORM|NAKIJKEN|NIET CONFORM)", proc.stdout)
    assert "loopbaanvraag" in proc.stdout
    assert "Wuyts" not in proc.stdout


def test_analyse_default_format_is_text(docx_file: Path) -> None:
    proc = run("analyse", str(docx_file), cwd=docx_file.parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("POP-screening: pop_katrien.docx")


def test_analyse_missing_file(tmp_path: Path) -> None:
    proc = run("analyse", str(tmp_path / "bestaat-niet.pdf"), cwd=tmp_path, timeout=30)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert re.search(r"^bestaat-niet\.pdf: E108: ", proc.stderr, re.MULTILINE)


def test_analyse_bad_format_is_usage_error(docx_file: Path) -> None:
    proc = run("analyse", str(docx_file), "--format", "xml", cwd=docx_file.parent, timeout=30)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "--format" in proc.stderr


@pytest.mark.parametrize("args", [
    [],                                 # no command: help, usage
    ["analyse"],                        # missing FILE
    ["batch", "map"],                   # missing --out
    ["bestaat-niet-commando"],          # unknown command
])
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    proc = run(*args, cwd=tmp_path, timeout=30)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)


# --------------------------------------------------------------------------- batch


def variant(markup: str, name: str, job: str) -> str:
    """The same POP for another (invented) client and job, so every file has its own sha256."""
    return markup.replace("Katrien Wuyts", name).replace("boekhouder", job)


@pytest.fixture
def batch_dir(tmp_path: Path, pop_markup: str, make_pdf, make_docx, make_odt) -> Path:
    """3 good documents, 1 corrupt file and a ZIP with one good document (5 inputs in all)."""
    d = tmp_path / "inzendingen"
    (d / "sub").mkdir(parents=True)
    (d / "a_pop.docx").write_bytes(make_docx(variant(pop_markup, "Lotte Peeters", "kok")))
    (d / "b_pop.pdf").write_bytes(make_pdf(variant(pop_markup, "Ruben Maes", "magazijnier")))
    (d / "sub" / "c_pop.odt").write_bytes(make_odt(variant(pop_markup, "Ilse Janssens", "kapper")))
    (d / "d_kapot.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("e_pop.docx", make_docx(variant(pop_markup, "Wim Claes", "buschauffeur"), fake_headings=True))
    (d / "e_archief.zip").write_bytes(buf.getvalue())
    return d


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def summary_counts(stderr: str) -> dict[str, int]:
    m = re.search(r"(\d+) documenten: (\d+) nagekeken, (\d+) hervat, (\d+) mislukt", stderr)
    assert m, stderr
    total, reviewed, resumed, failed = map(int, m.groups())
    return {"total": total, "reviewed": reviewed, "resumed": resumed, "failed": failed}


def test_batch_and_resume(batch_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    proc = run("batch", str(batch_dir), "--out", str(out), cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    records = read_jsonl(out)
    assert len(records) == 5
    assert not (tmp_path / "r.jsonl.part").exists()
    # a ZIP member's report is named "<archive>!<member>" while its error record would carry the bare
    # member name (review.py vs batch/runner.py); compare on the member name
    by_file = {r["document"]["filename"].split("!")[-1]: r for r in records}
    assert set(by_file) == {"a_pop.docx", "b_pop.pdf", "c_pop.odt", "d_kapot.pdf", "e_pop.docx"}
    assert by_file["d_kapot.pdf"]["error"]["code"] == "E201"
    assert "criteria" not in by_file["d_kapot.pdf"]
    for name, fmt in (("a_pop.docx", "docx"), ("b_pop.pdf", "pdf"), ("c_pop.odt", "odt"), ("e_pop.docx", "docx")):
        assert "error" not in by_file[name]
        check_report(by_file[name], filename=by_file[name]["document"]["filename"], fmt=fmt)
        assert by_file[name]["document"]["filename"].endswith(name)
    assert by_file["e_pop.docx"]["_source"].endswith("e_archief.zip!e_pop.docx")
    assert summary_counts(proc.stderr) == {"total": 5, "reviewed": 4, "resumed": 0, "failed": 1}

    # a rerun with the same --out resumes the four reviewed documents and redoes only the failure
    again = run("batch", str(batch_dir), "--out", str(out), cwd=tmp_path, timeout=300)
    assert again.returncode == 0, again.stderr
    assert summary_counts(again.stderr) == {"total": 5, "reviewed": 0, "resumed": 4, "failed": 1}
    records2 = read_jsonl(out)
    assert len(records2) == 5
    by_file2 = {r["document"]["filename"].split("!")[-1]: r for r in records2}
    assert set(by_file2) == set(by_file)
    for name in ("a_pop.docx", "b_pop.pdf", "c_pop.odt", "e_pop.docx"):
        assert by_file2[name]["criteria"] == by_file[name]["criteria"]
        assert by_file2[name]["document"]["sha256"] == by_file[name]["document"]["sha256"]


def test_batch_with_xlsx(batch_dir: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out, xlsx = tmp_path / "r.jsonl", tmp_path / "r.xlsx"
    proc = run("batch", str(batch_dir / "a_pop.docx"), str(batch_dir / "d_kapot.pdf"), "--out", str(out),
               "--xlsx", str(xlsx), cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("bestand", "sha256", "oordeel")
    assert {r[0] for r in rows[1:]} == {"a_pop.docx", "d_kapot.pdf"}
    failed = next(r for r in rows[1:] if r[0] == "d_kapot.pdf")
    assert str(failed[-1]).startswith("E201")


def test_batch_all_failed_exits_1(tmp_path: Path) -> None:
    d = tmp_path / "slecht"
    d.mkdir()
    (d / "leeg.pdf").write_bytes(b"")
    (d / "kapot.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00\xff" * 500)
    (d / "oud.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with zipfile.ZipFile(d / "pad.zip", "w") as zf:
        zf.writestr("../evil.txt", "x")
    out = tmp_path / "r.jsonl"
    proc = run("batch", str(d), "--out", str(out), cwd=tmp_path, timeout=120)
    assert proc.returncode == 1, proc.stderr
    records = read_jsonl(out)
    assert sorted(r["error"]["code"] for r in records) == ["E101", "E102", "E107", "E201"]
    assert summary_counts(proc.stderr) == {"total": 4, "reviewed": 0, "resumed": 0, "failed": 4}


def test_batch_missing_input_is_recorded(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    proc = run("batch", str(tmp_path / "bestaat-niet"), "--out", str(out), cwd=tmp_path, timeout=60)
    assert proc.returncode == 1
    (rec,) = read_jsonl(out)
    assert rec["error"]["code"] == "E108"


def test_batch_bad_executor_is_usage_error(tmp_path: Path) -> None:
    proc = run("batch", str(tmp_path), "--out", str(tmp_path / "r.jsonl"), "--executor", "dask", cwd=tmp_path,
               timeout=30)
    assert proc.returncode == 2


def test_batch_creates_output_folder_and_refuses_unwritable_out(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "leeg.txt").write_bytes(b"")
    # a fresh checkout has no out/ folder: `make run` relies on batch creating it
    proc = run("batch", str(d), "--out", str(tmp_path / "nieuw" / "map" / "r.jsonl"), cwd=tmp_path, timeout=60)
    assert (tmp_path / "nieuw" / "map" / "r.jsonl").exists(), proc.stderr
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    proc = run("batch", str(d), "--out", str(blocker / "r.jsonl"), cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_analyse_time_limit_stops_a_slow_document(tmp_path: Path, make_scan: Any) -> None:
    # OCR of a scanned page takes seconds: with a one-second limit the worker is stopped and E501 reported
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_scan())
    proc = subprocess.run([str(POP_REVIEW), "analyse", str(scan)], check=False, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path, env={**os.environ, "POP_REVIEW_DOC_TIMEOUT_S": "1"})
    assert proc.returncode == 1
    assert "E501" in proc.stderr and "Traceback" not in proc.stderr
