"""Output formats for extracted articles."""
from .html_page import render_html
from .json_out import render_json, render_jsonl
from .table import render_table

RENDERERS = {"json": render_json, "jsonl": render_jsonl, "table": render_table, "html": render_html}

__all__ = ["RENDERERS", "render_html", "render_json", "render_jsonl", "render_table"]
