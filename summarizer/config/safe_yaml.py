"""YAML for configs with bounded work: a size limit, and aliases counted before expanding.

PyYAML's safe loader runs no code, but an alias repeats a node without copying it, so a
few hundred bytes of anchors can stand for billions of values: anything that walks them
(validation, str(), an error message) then runs for minutes into gigabytes. `safe_yaml`
counts what a document expands to on the node graph first, each node once.
"""

from __future__ import annotations

from typing import Any

import yaml

from summarizer.errors import ConfigError

MAX_CONFIG_BYTES = 1_000_000  # a config file or --set value; the defaults are ~4 KB
MAX_CONFIG_NODES = 100_000  # values once expanded; a real config has a few hundred


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """The values `node` stands for once every alias is expanded, counted on the node graph
    (each node once, so a bomb is counted without being expanded); -1 marks a node whose
    count is in progress, so an alias inside its own anchor (a cycle) is caught."""
    if sizes.get(id(node)) == -1:
        raise ConfigError("a YAML alias refers to a node that contains it")
    if id(node) not in sizes:
        sizes[id(node)] = -1
        children = node.value if isinstance(node, yaml.SequenceNode) else []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]


def safe_yaml(text: str) -> Any:
    """`yaml.safe_load` with bounded work: at most MAX_CONFIG_BYTES of text expanding to at
    most MAX_CONFIG_NODES values (aliases are fine, a billion-laughs bomb is refused).

    Raises ConfigError for a document that is too big, and yaml.YAMLError for bad YAML.
    """
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{len(text)} characters is over the {MAX_CONFIG_BYTES} a config may have"
        )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_CONFIG_NODES:
            raise ConfigError(
                f"expands to over {MAX_CONFIG_NODES} values (YAML aliases repeating a node?)"
            )
        return loader.construct_document(node)
    except RecursionError:
        raise ConfigError("nested too deeply") from None
    finally:
        loader.dispose()
