"""A Terraform module is judged in the context of its callers (issue #16 item 2)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from sls_lint.cli.main import main
from sls_lint.run.discovery import discover, group_units
from sls_lint.run.terraform_roots import local_module_sources

MODULE = """\
variable "runtime" {
  default = "python3.12"
}
resource "aws_lambda_function" "this" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
  runtime       = var.runtime
  handler       = "a.b"
  filename      = "x.zip"
}
"""

ROOT = """\
module "fn" {
  source  = "./modules/fn"
  runtime = "python3.8"
}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def run(paths: list[str], *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *paths, "--isolated", *options])
    return result.exit_code, result.output


def _units(root: Path) -> list[str]:
    return sorted(
        u.directory.resolve().relative_to(root.resolve()).as_posix()
        for u in group_units(discover([root]))
        if u.format == "terraform"
    )


def test_a_called_module_is_linted_only_through_its_caller(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": ROOT, "modules/fn/main.tf": MODULE})
    assert _units(tmp_path) == ["."]
    code, output = run(["."], "-f", "json", "--select", "SLS601")
    findings = json.loads(output)["findings"]
    assert [f["resource"] for f in findings] == ["module.fn.aws_lambda_function.this"]
    assert code == 1


def test_a_module_nobody_calls_is_linted_alone_with_its_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": ROOT, "modules/fn/main.tf": MODULE.replace("3.12", "3.9")})
    # scanning the module alone: nobody in the scan calls it
    code, output = run(["modules/fn"], "-f", "json", "--select", "SLS601")
    findings = json.loads(output)["findings"]
    assert [f["resource"] for f in findings] == ["aws_lambda_function.this"]
    assert code == 1


def test_modules_calling_each_other_in_a_circle_are_each_linted(tmp_path):
    write(
        tmp_path,
        {
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
            "c/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        },
    )
    assert _units(tmp_path) == ["c"]
    (tmp_path / "c" / "main.tf").unlink()
    assert _units(tmp_path) == ["a", "b"]


def test_caller_argument_is_a_related_location_in_text_and_sarif(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": ROOT, "modules/fn/main.tf": MODULE})
    code, text = run(["."], "--select", "SLS601", "--color", "never", "--no-show-source")
    assert code == 1
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if "SLS601" in line)
    assert lines[index - 1] == "modules/fn/main.tf"
    assert lines[index + 1].strip() == "argument runtime of module.fn sets this value (main.tf:3)"
    code, sarif = run(["."], "--select", "SLS601", "-f", "sarif")
    (result,) = json.loads(sarif)["runs"][0]["results"]
    related = result["relatedLocations"]
    assert any(
        r["physicalLocation"]["artifactLocation"]["uri"] == "main.tf"
        and r["physicalLocation"]["region"]["startLine"] == 3
        for r in related
    )


def test_caller_chain_through_two_modules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "main.tf": 'module "outer" {\n  source = "./outer"\n  rt = "python3.8"\n}\n',
            "outer/main.tf": (
                'variable "rt" {}\nmodule "fn" {\n  source  = "../modules/fn"\n'
                "  runtime = var.rt\n}\n"
            ),
            "modules/fn/main.tf": MODULE,
        },
    )
    assert _units(tmp_path) == ["."]
    code, output = run(["."], "-f", "json", "--select", "SLS601")
    (finding,) = json.loads(output)["findings"]
    places = [(r["location"]["file"], r["location"]["line"]) for r in finding["related"]]
    assert ("outer/main.tf", 4) in places and ("main.tf", 3) in places


def test_local_sources_are_read_from_hcl_and_json():
    hcl = (
        'module "a" {\n  source = "./a"\n}\nmodule "r" {\n  source = "terraform-aws-modules/x"\n}\n'
        'resource "aws_x" "y" {\n  source = "./not-a-module"\n}\n'
        'module "b" {\n  version = "1"\n  source  = "../b"\n}\n'
    )
    assert local_module_sources(hcl, False) == ["./a", "../b"]
    document = {"module": {"a": {"source": "./a"}, "r": {"source": "hashicorp/x"}}}
    assert local_module_sources(json.dumps(document), True) == ["./a"]
    assert local_module_sources("{bad json", True) == []


def test_caller_arguments_inside_objects_lists_and_templates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module = """\
variable "arn" {}
variable "prefix" {}
resource "aws_iam_policy" "p" {
  name   = "${var.prefix}-p"
  policy = jsonencode({ Statement = [{
    Effect = "Allow", Action = "s3:GetObject", Resource = [var.arn]
  }] })
}
"""
    root = 'module "m" {\n  source = "./m"\n  prefix = "x"\n  arn    = "*"\n}\n'
    write(tmp_path, {"main.tf": root, "m/main.tf": module})
    code, output = run(["."], "-f", "json", "--select", "SLS203")
    (finding,) = json.loads(output)["findings"]
    assert [(r["location"]["file"], r["location"]["line"]) for r in finding["related"]] == [
        ("main.tf", 4)
    ]


def test_files_of_called_modules_are_listed_even_without_an_instance(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = 'module "off" {\n  source = "./modules/fn"\n  count  = 0\n}\n'
    write(tmp_path, {"main.tf": root, "modules/fn/main.tf": MODULE})
    code, output = run(["."], "-f", "json")
    report = json.loads(output)
    assert sorted(report["files"]) == ["main.tf", "modules/fn/main.tf"]
    assert report["findings"] == []
