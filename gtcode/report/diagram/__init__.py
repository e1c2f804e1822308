"""The theory model as a figure: the graph (`graph`), its page layout (`layout`), the text formats
(`formats`: Mermaid, DOT, TikZ, JSON, GraphML) and the drawing (`draw`: SVG, PNG, PDF)."""
