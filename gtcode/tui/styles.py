"""The coding screen's layout and the dialogs' look (Textual CSS), kept in Python so it always ships with
the package. Colours are theme variables, so the ANSI themes follow the terminal's own palette."""

CSS = """
#where { height: 1; padding: 0 1; background: $panel; }
#main { height: 1fr; }
#docs { width: 32; height: 1fr; border: none; border-right: vkey $foreground 20%; padding: 0; }
#transcript { width: 1fr; }
#empty { width: 1fr; padding: 2 4; }
#codes { width: 28; border-left: vkey $foreground 20%; }
#code-filter { border: none; height: 1; padding: 0 1; }
#code-tree { height: 1fr; }
#code-empty { padding: 1; color: $text-muted; }
#code-full { height: auto; max-height: 4; padding: 0 1; border-top: hkey $foreground 20%; }
#message { height: 1; padding: 0 1; }
Dialog { align: center middle; }
Dialog > .dialog { width: 70; max-width: 95%; height: auto; max-height: 90%; border: round $accent; padding: 0 1;
                   background: $surface; }
Dialog > .wide { width: 100; }
Dialog > .memo { height: 20; }
.dialog-title { text-style: bold; width: 1fr; }
.dialog-hint { color: $text-muted; }
#picker-options, #choices, #search-results { height: auto; max-height: 16; }
#invivo-text { height: auto; max-height: 8; }
#memo-body { height: 1fr; }
.memo-head { height: 3; }
#memo-title { width: 1fr; }
#memo-type { width: 22; }
#help-body { height: auto; max-height: 30; }
"""
