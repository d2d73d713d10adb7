"""What the patient handout says, decided once as plain dataclasses (model.py) by ``build_content`` (build.py);
the PDF layouts in rehab/handout/ print it, and a web page or a translation can reuse it. No reportlab here."""

from .build import build_content
from .model import HandoutContent

__all__ = ["HandoutContent", "build_content"]
