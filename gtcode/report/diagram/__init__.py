"""The theory model as a figure: the graph read from the store (`graph`), text measured in the figure's font
(`text`), its page layout (`layout`), the text formats (`formats`: Mermaid, DOT, TikZ, JSON, GraphML, GEXF)
and the drawing (`draw`: SVG, PNG, PDF, and `export_model`, the one entry point)."""
