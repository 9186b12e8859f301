"""Settings: read once from the command line, the environment and config.toml, then frozen."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from memtui.core import paths
from memtui.core.errors import ConfigError

DB_ENV = "MEMTUI_DB"
CONFIG_ENV = "MEMTUI_CONFIG"
KNOWN_KEYS = frozenset({"database", "sources", "extract", "export"})


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """`[export]`: targets per project, the user-level targets, provenance comments.

    Target names are checked by the export service, which knows them.
    """

    projects: tuple[tuple[Path, tuple[str, ...]], ...] = ()
    """`[[export.projects]]`: (project path as written, expanded; its enabled targets)."""
    user_targets: tuple[str, ...] | None = None
    """`user_targets = [...]`: the user-level files written for global beliefs; None when not
    set (then the exported project's targets are used)."""
    provenance: bool = False
    """`provenance = true`: a comment after each bullet names its memory and sources."""
    cline_agents_md: bool = True
    """`cline_agents_md = false`: Cline's AGENTS.md toggle is off (it lives in VS Code's state,
    which memtui cannot read), so Cline gets its own file even beside memtui's AGENTS.md block."""

    def targets_for(self, project: Path) -> tuple[str, ...] | None:
        """The targets configured for a project root, None when it has no entry."""
        for path, targets in self.projects:
            if path == project:
                return targets
        return None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything memtui was told about where to find things."""

    database_url: str
    """SQLAlchemy URL of the store."""
    database_origin: str
    """Which setting chose the database: `--db`, MEMTUI_DB, the config file, or the default."""
    config_path: Path
    """The configuration file that was read (it may not exist)."""
    config_exists: bool = False
    extra_roots: tuple[tuple[Path, str | None], ...] = field(default=())
    """More places to look for transcripts, from `[[sources.roots]]`: (path, tool or None)."""
    extract: Mapping[str, object] | None = None
    """The `[extract]` table as written: which extractor to use (services read it)."""
    warnings: tuple[str, ...] = field(default=())
    """Problems in the configuration file that did not stop memtui (unknown keys)."""
    system_roots: bool = True
    """Whether the tools' own transcript folders on this machine are read. False keeps memtui
    to `extra_roots` alone (the demo, which must never read the person's real transcripts)."""
    export: ExportSettings = field(default_factory=ExportSettings)
    """The `[export]` table: which rules files each project's export writes."""

    @property
    def is_default_sqlite(self) -> bool:
        """Whether the store is the default SQLite file in the user data directory."""
        return self.database_origin == "default"


def database_url_from(value: str) -> str:
    """Turn a `--db` value into a SQLAlchemy URL: a URL stays as is, a path becomes SQLite."""
    value = value.strip()
    if not value:
        raise ConfigError("the database setting is empty")
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def read_config(path: Path) -> tuple[dict[str, object], bool]:
    """Parse config.toml; a missing file is an empty configuration."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle), True
    except FileNotFoundError:
        return {}, False
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None


def load_settings(db: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Resolve the settings. `--db` beats MEMTUI_DB, which beats the config file's `database`."""
    env = os.environ if env is None else env
    config_path = Path(env.get(CONFIG_ENV) or paths.default_config_path()).expanduser()
    config, exists = read_config(config_path)
    warnings = tuple(
        f"{config_path}: unknown setting {key!r} ignored" for key in config if key not in KNOWN_KEYS
    )
    configured = config.get("database")
    if configured is not None and not isinstance(configured, str):
        raise ConfigError(f"{config_path}: 'database' must be a string (a URL or a file path)")

    if db:
        url, origin = database_url_from(db), "--db"
    elif env.get(DB_ENV):
        url, origin = database_url_from(env[DB_ENV]), DB_ENV
    elif configured:
        url, origin = database_url_from(configured), "config file"
    else:
        url, origin = f"sqlite:///{paths.default_database_path()}", "default"
    roots = _extra_roots(config.get("sources"), config_path)
    extract = config.get("extract")
    if extract is not None and not isinstance(extract, dict):
        raise ConfigError(f"{config_path}: [extract] must be a table")
    export = _export(config.get("export"), config_path)
    return Settings(url, origin, config_path, exists, roots, extract, warnings, export=export)


def _names(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where} must be a list of target names, like ["claude", "agents"]')
    return tuple(v.strip().lower() for v in value)


def _export(section: object, config_path: Path) -> ExportSettings:
    """`[export]` with `provenance`, `user_targets`, `cline_agents_md` and
    `[[export.projects]]` tables."""
    if section is None:
        return ExportSettings()
    if not isinstance(section, dict):
        raise ConfigError(f"{config_path}: [export] must be a table")
    provenance = section.get("provenance", False)
    if not isinstance(provenance, bool):
        raise ConfigError(f"{config_path}: export.provenance must be true or false")
    cline = section.get("cline_agents_md", True)
    if not isinstance(cline, bool):
        raise ConfigError(f"{config_path}: export.cline_agents_md must be true or false")
    user = section.get("user_targets")
    user_targets = None if user is None else _names(user, f"{config_path}: export.user_targets")
    projects: list[tuple[Path, tuple[str, ...]]] = []
    entries = section.get("projects", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{config_path}: [export] must hold a list of [[export.projects]]")
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not isinstance(entry, dict) or "targets" not in entry:
            raise ConfigError(
                f'{config_path}: each [[export.projects]] needs path = "..." and targets = [...]'
            )
        where = f"{config_path}: targets of project {path}"
        projects.append((Path(path).expanduser().resolve(), _names(entry["targets"], where)))
    return ExportSettings(tuple(projects), user_targets, provenance, cline)


def _extra_roots(section: object, config_path: Path) -> tuple[tuple[Path, str | None], ...]:
    """`[[sources.roots]]` tables: `path = "..."` and, optionally, `tool = "aider"`."""
    if section is None:
        return ()
    roots = section.get("roots", []) if isinstance(section, dict) else None
    if not isinstance(roots, list):
        raise ConfigError(f"{config_path}: [sources] must hold a list of [[sources.roots]] tables")
    found: list[tuple[Path, str | None]] = []
    for entry in roots:
        path = entry.get("path") if isinstance(entry, dict) else None
        tool = entry.get("tool") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not (tool is None or isinstance(tool, str)):
            raise ConfigError(
                f'{config_path}: each [[sources.roots]] needs path = "..." (and may name a tool)'
            )
        found.append((Path(path).expanduser(), tool))
    return tuple(found)
