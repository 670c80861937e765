"""The engagement's YAML settings files (engagement.yaml, scenario files), read safely: only
true/false are booleans, and a document over the size, alias or expansion limits is refused
before it is expanded; every problem reading a file is an EngagementError naming it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from workbook.errors import EngagementError


class _TypedYamlLoader(yaml.SafeLoader):
    """YAML as consultants type it: only true / false are booleans (YAML 1.2), so a key such as
    `on:` (a lookup's key column) or a value such as `No` or `Yes` stays text."""


_TypedYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_TypedYamlLoader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                       re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


# engagement.yaml and scenario files are a page of settings: anything far bigger is a mistake or
# an attack ("billion laughs": a few lines of anchors and aliases that expand to billions of values).
MAX_YAML_CHARS = 1_000_000      # characters in one file
MAX_YAML_ALIASES = 100          # `*name` references in one document
MAX_YAML_VALUES = 100_000       # values once every alias is expanded


class YamlTooLarge(yaml.YAMLError):
    """A YAML document over one of the limits above; refused before it is expanded."""


def read_yaml(text: str) -> object:
    """engagement.yaml and scenario files, read the same way everywhere (within the limits above)."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlTooLarge(f"it is {len(text):,} characters long; a settings file is limited to "
                           f"{MAX_YAML_CHARS:,}")
    loader = _TypedYamlLoader(text)   # a SafeLoader subclass: no Python objects
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    except RecursionError:
        raise YamlTooLarge("its values are nested too deeply (hundreds of brackets or indents)") from None
    finally:
        loader.dispose()


def _check_expansion(root: yaml.Node) -> None:
    """Refuse more than MAX_YAML_ALIASES aliases, a value that contains itself, or more than
    MAX_YAML_VALUES values once aliases are expanded, without expanding anything: an alias is the
    same node reached a second time, so sizes are summed once per node (iteratively: deep nesting
    must not hit Python's recursion limit)."""
    sizes: dict[int, int] = {}
    ancestors: set[int] = set()
    references = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            ancestors.discard(key)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in _children(node)), MAX_YAML_VALUES + 1)
            continue
        if key in sizes:
            continue
        if key in ancestors:
            raise YamlTooLarge("a value contains itself through an alias (*name inside &name)")
        ancestors.add(key)
        children = _children(node)
        references += len(children)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    aliases = references - (len(sizes) - 1)   # a tree of n values has n - 1 references
    if aliases > MAX_YAML_ALIASES:
        raise YamlTooLarge(f"it uses {aliases:,} aliases (*name); at most {MAX_YAML_ALIASES} are "
                           "allowed")
    if sizes[id(root)] > MAX_YAML_VALUES:
        raise YamlTooLarge(f"its anchors and aliases (&name, *name) expand to more than "
                           f"{MAX_YAML_VALUES:,} values")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml_file(path: Path, what: str) -> object:
    """A YAML settings file (engagement.yaml, a scenario file), every problem an EngagementError
    naming the file: unreadable, not UTF-8, not valid YAML, or over the limits above."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EngagementError(f"{path}: could not read {what}: {exc.strerror or exc}") from None
    if len(data) > 4 * MAX_YAML_CHARS:
        raise EngagementError(f"{path}: {what} is {len(data):,} bytes; a settings file is limited to "
                              f"{MAX_YAML_CHARS:,} characters. Is this the right file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise EngagementError(
            f"{path}: {what} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}; "
            "probably saved as Windows-1252/ANSI). Save it as UTF-8 (in Notepad: Save As, "
            "Encoding UTF-8) and try again") from None
    try:
        return read_yaml(text)
    except YamlTooLarge as exc:
        raise EngagementError(f"{path}: {what} refused before reading it: {exc}. Write the values "
                              "out in full (see README, 'What bad input gets')") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise EngagementError(f"{path}{where}: {what} is not valid YAML: {problem}. Fix that line "
                              "(check brackets, quotes and indentation) and try again") from None
