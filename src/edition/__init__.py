"""Annotated editions: anchor YAML annotations and a Russian glossary onto a transcript.

Data flows one way: YAML files → validated frozen dataclasses (`loading`, `model`)
→ anchored spans (`anchoring`, `segments`) → HTML (`extension`, `render`).
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
