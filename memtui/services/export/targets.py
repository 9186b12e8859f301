"""The export targets: which files each agent tool loads, and where memtui writes in them.

Paths and modes follow rules-files.md §2: memtui's own file where a tool loads a folder of
rules, a managed block in a single file elsewhere. Nothing here writes; it only looks.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from memtui.core.errors import InvalidInputError
from memtui.core.paths import real

TARGETS = (
    "claude",
    "cursor",
    "cline",
    "agents",
    "aider",
    "gemini",
    "copilot",
    "windsurf",
    "continue",
    "roo",
)
"""Every target name, in the order files are listed."""

TRANSCRIPT_TARGETS = {
    "claude-code": "claude",
    "codex": "agents",
    "cline": "cline",
    "gemini": "gemini",
    "aider": "aider",
    "cursor": "cursor",
    "opencode": "agents",
}
"""The target that carries memories to the tool whose transcripts a project has."""


class Mode(StrEnum):
    """How memtui writes in a file."""

    OWN = "own"
    """memtui's own file in a folder the tool loads whole."""
    BLOCK = "block"
    """A managed block at the end of a file the person owns."""
    CONFIG = "config"
    """An entry in a YAML config's list, between `# memtui:` comment lines (Aider's `read:`)."""


class Level(StrEnum):
    """Whose file: one project's, or the user's (every project)."""

    PROJECT = "project"
    USER = "user"


@dataclass(frozen=True, slots=True)
class Budget:
    """A size past which a tool truncates, skips or is advised against a file."""

    limit: int
    unit: str
    """`lines`, `characters` or `bytes`."""
    why: str

    def measure(self, text: str) -> int:
        """The size of `text` in this budget's unit."""
        if self.unit == "lines":
            return len(text.splitlines())
        if self.unit == "bytes":
            return len(text.encode("utf-8"))
        return len(text)


@dataclass(frozen=True, slots=True)
class Location:
    """One file memtui writes for a target."""

    target: str
    level: Level
    path: Path
    mode: Mode
    frontmatter: str = ""
    """What a new own file starts with before memtui's region (ends with a newline)."""
    budget: Budget | None = None
    notes: tuple[str, ...] = field(default=())
    """Things the person should know about this file (shadowing, duplicates)."""
    entry: str = ""
    """For a config location: the file its list must name (relative to the config's folder,
    or absolute)."""


BUDGETS = {
    "claude": Budget(200, "lines", "Claude Code advises under 200 lines per memory file"),
    "cursor": Budget(500, "lines", "Cursor advises keeping a rule under 500 lines"),
    "copilot": Budget(4000, "characters", "Copilot code review reads only the first 4,000"),
    "windsurf": Budget(6000, "characters", "Windsurf truncates rule files past 6,000"),
    "agents": Budget(32 * 1024, "bytes", "Codex reads at most 32 KiB of project docs"),
}

FRONTMATTER = {
    "cursor": "---\ndescription: Curated project memories exported by memtui\n"
    "alwaysApply: true\n---\n",
    "copilot": '---\napplyTo: "**"\ndescription: "Curated memories exported by memtui"\n---\n',
    "windsurf": "---\ntrigger: always_on\n---\n",
    "continue": "---\nname: memtui memories\nalwaysApply: true\n---\n",
}
"""What each tool needs before the body of a rule file (rules-files.md §3)."""


def parse_targets(value: str | Iterable[str], *, origin: str = "--to") -> tuple[str, ...]:
    """Target names from `claude,cursor` or a list, checked, in the canonical order."""
    names = value.split(",") if isinstance(value, str) else list(value)
    wanted = {n.strip().lower() for n in names if n.strip()}
    unknown = sorted(wanted - set(TARGETS))
    if unknown:
        raise InvalidInputError(
            f"{origin}: unknown target {', '.join(unknown)}; use any of: {', '.join(TARGETS)}"
        )
    if not wanted:
        raise InvalidInputError(f"{origin}: name at least one target ({', '.join(TARGETS)})")
    return tuple(t for t in TARGETS if t in wanted)


def _home(env: Mapping[str, str], variable: str | None, default: str) -> Path:
    if variable and env.get(variable):
        return Path(env[variable]).expanduser()
    return Path.home() / default


def documents_dir(env: Mapping[str, str]) -> Path:
    """The user's Documents folder (Cline keeps global rules there): xdg-user-dirs, else ~."""
    config = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "user-dirs.dirs"
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    match = re.search(r'^XDG_DOCUMENTS_DIR="([^"]+)"', text, re.MULTILINE)
    if match:
        return Path(match.group(1).replace("$HOME", str(Path.home())))
    return Path.home() / "Documents"


def gemini_file_name(root: Path | None, env: Mapping[str, str]) -> str:
    """The first `context.fileName` of Gemini CLI's settings (project first), GEMINI.md else."""
    name = gemini_file_names(root, env)[0]
    return name if "/" not in name else "GEMINI.md"


def gemini_file_names(root: Path | None, env: Mapping[str, str]) -> tuple[str, ...]:
    """Every `context.fileName` Gemini CLI loads (the project's settings first)."""
    candidates = [_home(env, "GEMINI_CLI_HOME", ".gemini") / "settings.json"]
    if env.get("GEMINI_CLI_HOME"):
        candidates[0] = Path(env["GEMINI_CLI_HOME"]).expanduser() / ".gemini" / "settings.json"
    if root is not None:
        candidates.insert(0, root / ".gemini" / "settings.json")
    for settings in candidates:
        try:
            data = json.loads(settings.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        context = data.get("context") if isinstance(data, dict) else None
        names = context.get("fileName") if isinstance(context, dict) else None
        if isinstance(names, str):
            names = [names]
        if isinstance(names, list):
            found = tuple(n.strip() for n in names if isinstance(n, str) and n.strip())
            if found:
                return found
    return ("GEMINI.md",)


CLAUDE_READS_AGENTS_MD = (2, 1, 277)
"""The Claude Code release that reads AGENTS.md where no CLAUDE.md is (rules-files.md §3.1)."""

_VERSIONS: dict[tuple[str, int], tuple[int, ...] | None] = {}


def claude_version(env: Mapping[str, str], *, timeout: float = 3.0) -> tuple[int, ...] | None:
    """Claude Code's version from `claude --version`, None without the command or an answer.

    Asked once per installed binary (its path and modification time), with a short timeout.
    """
    executable = shutil.which("claude", path=env.get("PATH"))
    if executable is None:
        return None
    try:
        key = (executable, Path(executable).stat().st_mtime_ns)
    except OSError:
        return None
    if key in _VERSIONS:
        return _VERSIONS[key]
    version: tuple[int, ...] | None = None
    try:
        done = subprocess.run(
            [executable, "--version"],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            check=False,
        )
        match = re.search(r"(\d+)\.(\d+)\.(\d+)", done.stdout)
        version = tuple(int(g) for g in match.groups()) if match else None
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        version = None
    _VERSIONS[key] = version
    return version


_IMPORT = re.compile(r"(?:^|\s)@(\S+)")
_CODE = re.compile(r"(`+).+?\1")


def _imports_agents_md(file: Path, agents: Path) -> bool:
    """Whether a CLAUDE.md imports the project's AGENTS.md (`@AGENTS.md`, outside code)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    fence: str | None = None
    for line in text.splitlines():
        marks = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if marks:
            opened = marks.group(1)
            if fence is None:
                fence = opened
            elif opened[0] == fence[0] and len(opened) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        for found in _IMPORT.finditer(_CODE.sub("", line)):
            target = Path(found.group(1)).expanduser()
            target = target if target.is_absolute() else file.parent / target
            if real(target) == real(agents):
                return True
    return False


def claude_memory_files(root: Path) -> list[Path]:
    """The CLAUDE.md files that stop Claude Code reading AGENTS.md: in the project or above
    (`~/.claude/CLAUDE.md`, the user's own, does not count)."""
    home = real(Path.home())
    found: list[Path] = []
    for folder in (root, *root.parents):
        names = ["CLAUDE.md", "CLAUDE.local.md"]
        if real(folder) != home:
            names.append(".claude/CLAUDE.md")
        found.extend(folder / n for n in names if (folder / n).is_file())
    return found


def claude_reads_agents_md(root: Path, env: Mapping[str, str]) -> tuple[bool | None, str]:
    """Whether Claude Code loads the project's AGENTS.md (None: cannot tell), and why."""
    agents = root / "AGENTS.md"
    for name in ("CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md"):
        if _imports_agents_md(root / name, agents):
            return True, f"{name} imports @AGENTS.md"
    found = claude_memory_files(root)
    if found:
        return False, f"{found[0]} exists, so Claude Code does not read AGENTS.md"
    version = claude_version(env)
    if version is None:
        return None, "no CLAUDE.md, and Claude Code's version is unknown (no `claude` command)"
    shown = ".".join(map(str, version))
    if version >= CLAUDE_READS_AGENTS_MD:
        return True, f"no CLAUDE.md, and Claude Code {shown} reads AGENTS.md"
    return False, f"Claude Code {shown} predates reading AGENTS.md (2.1.277)"


def sync_tool(root: Path) -> str | None:
    """The rules sync tool a project uses (`ruler` or `rulesync`), whose sources memtui writes
    instead of the files it generates (rules-files.md §1.5)."""
    if (root / ".ruler").is_dir():
        return "ruler"
    for name in ("AGENTS.md", "CLAUDE.md", ".clinerules", ".github/copilot-instructions.md"):
        try:
            with (root / name).open("rb") as handle:
                head = handle.read(64).removeprefix(b"\xef\xbb\xbf")
        except OSError:
            continue
        if head.lstrip().startswith(b"<!-- Generated by Ruler -->"):
            return "ruler"
    if (root / ".rulesync").is_dir() or (root / "rulesync.jsonc").is_file():
        return "rulesync"
    return None


RULESYNC_FRONTMATTER = (
    '---\nroot: false\ntargets: ["*"]\ndescription: "Curated project memories exported by '
    'memtui"\nglobs: ["**/*"]\n---\n'
)


def sync_location(tool: str, target: str, root: Path) -> Location:
    """The source file memtui writes for a project a sync tool manages."""
    if tool == "ruler":
        return Location(target, Level.PROJECT, root / ".ruler" / "memtui.md", Mode.OWN)
    return Location(
        target,
        Level.PROJECT,
        root / ".rulesync" / "rules" / "memtui.md",
        Mode.OWN,
        RULESYNC_FRONTMATTER,
    )


def _has_files(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))
    except OSError:
        return False


def project_locations(target: str, root: Path, env: Mapping[str, str]) -> list[Location]:
    """The files memtui writes for `target` in the project at `root`."""
    budget = BUDGETS.get(target)
    front = FRONTMATTER.get(target, "")

    def own(relative: str, *notes: str) -> Location:
        return Location(target, Level.PROJECT, root / relative, Mode.OWN, front, budget, notes)

    def block(relative: str, *notes: str) -> Location:
        return Location(target, Level.PROJECT, root / relative, Mode.BLOCK, "", budget, notes)

    if target == "claude":
        return [own(".claude/rules/memtui.md")]
    if target == "cursor":
        return [own(".cursor/rules/memtui.mdc")]
    if target == "cline":
        if (root / ".clinerules").is_file():
            return [block(".clinerules")]
        return [own(".clinerules/memtui.md")]
    if target in ("agents", "aider"):
        notes = []
        if (root / "AGENTS.override.md").exists():
            notes.append("AGENTS.override.md exists here: Codex reads it instead of AGENTS.md")
        if not (root / "AGENTS.md").exists():
            notes.append("creating AGENTS.md changes what several tools load")
        found = [block("AGENTS.md", *notes)]
        if target == "aider":
            config = root / ".aider.conf.yml"
            found.append(Location(target, Level.PROJECT, config, Mode.CONFIG, entry="AGENTS.md"))
        return found
    if target == "gemini":
        name = gemini_file_name(root, env)
        note = () if name == "GEMINI.md" else (f"Gemini CLI reads {name} (context.fileName)",)
        return [block(name, *note)]
    if target == "copilot":
        return [own(".github/instructions/memtui.instructions.md")]
    if target == "windsurf":
        found = [own(".windsurf/rules/memtui.md")]
        if (root / ".devin").is_dir():
            found.append(own(".devin/rules/memtui.md"))
        return found
    if target == "continue":
        return [own(".continue/rules/memtui.md")]
    if target == "roo":
        legacy = (root / ".roorules").exists() or (root / ".clinerules").exists()
        if legacy and not _has_files(root / ".roo" / "rules"):
            # Files in .roo/rules/ would make Roo stop reading .roorules and .clinerules.
            return [block(".roorules")]
        return [own(".roo/rules/memtui.md")]
    raise InvalidInputError(f"unknown target {target!r}")


def user_locations(target: str, env: Mapping[str, str]) -> list[Location]:
    """The user-level files memtui writes for `target` (global beliefs); none for Cursor."""
    budget = BUDGETS.get(target)
    home = Path.home()

    def own(path: Path, front: str = "") -> Location:
        return Location(target, Level.USER, path, Mode.OWN, front, budget)

    def block(path: Path) -> Location:
        return Location(target, Level.USER, path, Mode.BLOCK, "", budget)

    if target == "claude":
        return [own(home / ".claude" / "rules" / "memtui-global.md")]
    if target == "cursor":
        return []  # User Rules live in Cursor's settings: copy the rendered block there.
    if target == "cline":
        return [own(documents_dir(env) / "Cline" / "Rules" / "memtui-global.md")]
    if target == "agents":
        return [block(_home(env, "CODEX_HOME", ".codex") / "AGENTS.md")]
    if target == "aider":
        # Aider loads no file by itself: its own global file, named in ~/.aider.conf.yml.
        own_file = home / ".aider.memtui-global.md"
        config = home / ".aider.conf.yml"
        entry = str(own_file)
        return [own(own_file), Location(target, Level.USER, config, Mode.CONFIG, entry=entry)]
    if target == "gemini":
        folder = _home(env, None, ".gemini")
        if env.get("GEMINI_CLI_HOME"):
            folder = Path(env["GEMINI_CLI_HOME"]).expanduser() / ".gemini"
        return [block(folder / gemini_file_name(None, env))]
    if target == "copilot":
        path = home / ".copilot" / "instructions" / "memtui-global.instructions.md"
        return [own(path, FRONTMATTER["copilot"])]
    if target == "windsurf":
        return [block(home / ".codeium" / "windsurf" / "memories" / "global_rules.md")]
    if target == "continue":
        return [own(home / ".continue" / "rules" / "memtui-global.md", FRONTMATTER["continue"])]
    if target == "roo":
        return [own(home / ".roo" / "rules" / "memtui-global.md")]
    raise InvalidInputError(f"unknown target {target!r}")


PRESENCE = {
    "claude": ("CLAUDE.md", ".claude", "CLAUDE.local.md"),
    "cursor": (".cursor", ".cursorrules"),
    "cline": (".clinerules", ".cline"),
    "agents": ("AGENTS.md",),
    "aider": (".aider.conf.yml", ".aider.chat.history.md"),
    "gemini": ("GEMINI.md", ".gemini"),
    "copilot": (".github/copilot-instructions.md", ".github/instructions"),
    "windsurf": (".windsurf", ".windsurfrules", ".devin"),
    "continue": (".continue",),
    "roo": (".roo", ".roorules"),
}
"""Files or folders whose presence in a project shows the tool is used there."""


def present_targets(root: Path, transcript_tools: Iterable[str] = ()) -> tuple[str, ...]:
    """The targets a project uses: tools whose files it has or whose transcripts name it."""
    found = {t for t, names in PRESENCE.items() if any((root / n).exists() for n in names)}
    found |= {TRANSCRIPT_TARGETS[t] for t in transcript_tools if t in TRANSCRIPT_TARGETS}
    return tuple(t for t in TARGETS if t in found)


def own_file_names() -> frozenset[str]:
    """Base names of the files memtui owns, which import skips."""
    return frozenset(
        {"memtui.md", "memtui.mdc", "memtui.instructions.md", "memtui-global.md"}
        | {"memtui-global.instructions.md", ".aider.memtui-global.md"}
    )


def is_user_level(path: Path, env: Mapping[str, str]) -> bool:
    """Whether a rules file is one of the user-level (global) files the tools load."""
    resolved = real(path)
    homes = [
        Path.home() / ".claude",
        _home(env, "CODEX_HOME", ".codex"),
        Path.home() / ".gemini",
        Path.home() / ".copilot",
        Path.home() / ".continue",
        Path.home() / ".roo",
        Path.home() / ".codeium",
        Path.home() / ".agents",
        documents_dir(env) / "Cline",
        Path.home() / ".aider.memtui-global.md",
    ]
    if env.get("GEMINI_CLI_HOME"):
        homes.append(Path(env["GEMINI_CLI_HOME"]).expanduser() / ".gemini")
    return any(resolved.is_relative_to(real(h)) for h in homes)


RULES_FOLDERS = (
    ".claude/rules",
    ".cursor/rules",
    ".clinerules",
    ".github/instructions",
    ".windsurf/rules",
    ".devin/rules",
    ".continue/rules",
    ".roo/rules",
    ".claude",
    ".github",
)


def project_of_rules_file(path: Path) -> Path:
    """The folder a project-level rules file belongs to (above `.cursor/rules/` and such)."""
    resolved = real(path)
    for folder in resolved.parents:
        for relative in RULES_FOLDERS:
            inside = folder / relative
            if resolved != inside and resolved.is_relative_to(inside):
                return folder
    return resolved.parent
