"""Configuration files: discovery, precedence, validation, paths relative to the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from sls_lint.cli.main import main
from sls_lint.state.config import ConfigError, discover, find_config_file, from_mapping, load_file

VULNERABLE = (SAMPLES / "cloudformation" / "vulnerable.yaml").read_text()


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git-looking project with one vulnerable template in `stacks/`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "t.yaml").write_text(VULNERABLE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rule_ids(result) -> set[str]:
    assert result.exit_code in (0, 1), result.output
    return {f["rule_id"] for f in json.loads(result.output)["findings"]}


def test_pyproject_section_is_read_and_cli_overrides(repo):
    (repo / "pyproject.toml").write_text(
        '[tool.sls-lint]\nselect = ["SLS2"]\nignore = ["SLS203"]\n'
    )
    assert rule_ids(cli("check", "stacks", "-f", "json")) == {"SLS201", "SLS202"}
    assert rule_ids(cli("check", "stacks", "-f", "json", "--select", "SLS101")) == {"SLS101"}
    assert "SLS203" in rule_ids(cli("check", "stacks", "-f", "json", "--isolated"))


def test_pyproject_without_section_is_skipped_for_a_farther_file(repo):
    (repo / ".sls-lint.yaml").write_text("select: [SLS201]\n")
    (repo / "stacks" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config_file(repo / "stacks") == repo / ".sls-lint.yaml"
    assert rule_ids(cli("check", "stacks", "-f", "json")) == {"SLS201"}


def test_nearest_file_wins_and_search_stops_at_the_repository_root(repo):
    (repo / ".sls-lint.toml").write_text('select = ["SLS201"]\n')
    (repo / "stacks" / ".sls-lint.yml").write_text("select: [SLS202]\n")
    assert rule_ids(cli("check", "stacks/t.yaml", "-f", "json")) == {"SLS202"}
    assert discover([repo / "stacks"]).path == repo / "stacks" / ".sls-lint.yml"


def test_search_stops_at_the_repository_root(tmp_path):
    inner = tmp_path / "outer" / "repo"
    (inner / ".git").mkdir(parents=True)
    (tmp_path / "outer" / ".sls-lint.toml").write_text("bogus = 1\n")  # above the git root
    assert discover([inner]).path is None
    (inner / ".git").rmdir()  # no repository: the search goes on up
    assert find_config_file(inner) == tmp_path / "outer" / ".sls-lint.toml"


def test_explicit_config_file(repo):
    (repo / "custom.toml").write_text('[tool.sls-lint]\nselect = ["SLS201"]\n')
    assert rule_ids(cli("check", "stacks", "-f", "json", "--config", "custom.toml")) == {"SLS201"}
    (repo / "ci.yaml").write_text("select: [SLS202]\n")
    assert rule_ids(cli("check", "stacks", "-f", "json", "--config", "ci.yaml")) == {"SLS202"}


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        (".sls-lint.toml", "selectt = ['SLS2']\n", "unknown key 'selectt'"),
        (".sls-lint.toml", "select = 3\n", "'select' must be a string or a list"),
        (".sls-lint.toml", "fail-on = 'fatal'\n", "'fail-on' must be one of"),
        (".sls-lint.toml", "[severity]\nSLS201 = 'high'\n", "'severity.SLS201' must be one of"),
        (".sls-lint.toml", "select = [\n", "invalid TOML"),
        (".sls-lint.yaml", "select: [\n", "invalid YAML"),
        (".sls-lint.yaml", "- a\n- b\n", "must be a table"),
        (".sls-lint.toml", "max-depth = -1\n", "'max-depth' must be a non-negative integer"),
        (".sls-lint.toml", "force-exclude = 'yes'\n", "'force-exclude' must be true or false"),
        (".sls-lint.toml", "[vars]\nx = [1]\n", "'vars.x' must be"),
        (".sls-lint.toml", "select = ['SLS999']\n", "matches no rule"),
        (".sls-lint.toml", "[severity]\nSLS999 = 'note'\n", "matches no rule"),
        (".sls-lint.toml", "rule-folders = ['nope']\n", "rule folder not found"),
        (".sls-lint.toml", "plugins = ['no_such_module_xyz']\n", "cannot be imported"),
    ],
)
def test_bad_configuration_is_exit_2_naming_file_and_key(repo, name, text, needle):
    (repo / name).write_text(text)
    result = cli("check", "stacks")
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert name in result.output


def test_underscore_keys_are_accepted():
    config = from_mapping({"extend_select": "SLS2", "fail_on": "warning"}, Path("/x/c.toml"))
    assert config.extend_select == ["SLS2"] and config.fail_on == "warning"


def test_severity_overrides_and_fail_on(repo):
    (repo / ".sls-lint.toml").write_text(
        'select = ["SLS201", "SLS304"]\nfail-on = "warning"\n'
        '[severity]\nSLS201 = "note"\n"function-tracing-disabled" = "warning"\n'
    )
    result = cli("check", "stacks", "-f", "json")
    severities = {f["rule_id"]: f["severity"] for f in json.loads(result.output)["findings"]}
    assert severities == {"SLS201": "note", "SLS304": "warning"}
    assert result.exit_code == 1
    (repo / ".sls-lint.toml").write_text(
        'select = ["SLS201", "SLS304"]\nfail-on = "warning"\n[severity]\nSLS = "note"\n'
    )
    assert cli("check", "stacks").exit_code == 0
    assert cli("check", "stacks", "--fail-on", "note").exit_code == 1
    assert cli("check", "stacks", "--severity", "SLS304=error").exit_code == 1


def test_exclude_globs_are_relative_to_the_config_file(repo, monkeypatch):
    (repo / ".sls-lint.toml").write_text('exclude = ["stacks/*"]\n')
    (repo / "other").mkdir()
    (repo / "other" / "t.yaml").write_text(VULNERABLE)
    data = json.loads(cli("check", ".", "-f", "json").output)
    assert data["files"] == ["other/t.yaml"]
    monkeypatch.chdir(repo / "stacks")  # same config, other working directory
    data = json.loads(cli("check", "..", "-f", "json").output)
    assert [Path(f).name for f in data["files"]] == ["t.yaml"]
    assert all("stacks" not in f for f in data["files"])


def test_extend_exclude_and_force_exclude(repo):
    (repo / ".sls-lint.toml").write_text('extend-exclude = ["generated"]\n')
    (repo / "generated").mkdir()
    (repo / "generated" / "g.yaml").write_text(VULNERABLE)
    assert json.loads(cli("check", ".", "-f", "json").output)["files"] == ["stacks/t.yaml"]
    named = cli("check", "generated/g.yaml")
    assert named.exit_code == 1  # a file named explicitly is linted...
    forced = cli("check", "generated/g.yaml", "--force-exclude")
    assert forced.exit_code == 0 and "No findings in 0 files" in forced.output  # ...unless forced


def test_rule_folders_relative_to_the_config(repo):
    folder = repo / "policies"
    folder.mkdir()
    (folder / "sls901.py").write_text(
        "from sls_lint.model.rule import Rule\n\n"
        "class NoBuckets(Rule):\n"
        '    """Finds every function."""\n'
        '    id = "SLS901"\n    name = "no-functions"\n    summary = "no functions"\n'
        '    tags = ("security",)\n\n'
        "    def check(self, graph):\n"
        "        for fn in graph.functions():\n"
        '            yield self.finding(fn, "a function")\n'
    )
    (repo / "stacks" / ".sls-lint.toml").write_text('rule-folders = ["../policies"]\n')
    assert "SLS901" in rule_ids(cli("check", "stacks", "-f", "json"))
    listing = json.loads(
        CliRunner()
        .invoke(
            main, ["rules", "--format", "json", "--config", str(repo / "stacks" / ".sls-lint.toml")]
        )
        .output
    )
    assert "SLS901" in {r["id"] for r in listing}


def test_show_config_reports_file_and_effective_values(repo):
    (repo / ".sls-lint.toml").write_text(
        'select = ["SLS2"]\nstage = "prod"\nvar-files = ["env/prod.tfvars"]\n[vars]\nsize = 3\n'
    )
    result = cli("check", "--show-config", "--var", "name=x", "--fail-on", "error")
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["config_file"] == str(repo / ".sls-lint.toml")
    effective = shown["effective"]
    assert effective["select"] == ["SLS2"] and effective["fail-on"] == "error"
    assert effective["stage"] == "prod" and effective["vars"] == {"size": "3", "name": "x"}
    assert effective["var-files"] == [str(repo / "env" / "prod.tfvars")]
    assert effective["root"] == str(repo)


def test_load_file_errors():
    with pytest.raises(ConfigError, match="not found"):
        load_file(Path("/nonexistent/.sls-lint.toml"))


def test_limits_reach_the_loader(repo):
    (repo / ".sls-lint.toml").write_text("max-file-bytes = 100\n")
    data = json.loads(cli("check", "stacks", "-f", "json").output)
    assert [f["rule_id"] for f in data["findings"]] == ["SLS000"]
    assert "limit" in data["findings"][0]["message"]
    (repo / ".sls-lint.toml").write_text("max-depth = 3\n")
    data = json.loads(cli("check", "stacks", "-f", "json").output)
    assert [f["rule_id"] for f in data["findings"]] == ["SLS000"]
