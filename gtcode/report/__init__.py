"""Documents for people: the thesis report, its codebook appendix, the audit trail, memo export, the model figure.

- `document`: the one outline every report is written as (`Report`, `Block`, numbered tables and figures);
  `render_md`, `render_html` and `render_docx` turn any `Report` into Markdown, one HTML page or Word;
  `word` holds the Word plumbing (A4 pages, Word's built-in styles only, python-docx loaded only here).
- `thesis` (with `thesis_data`) builds the thesis report; `codebook_docx` the codebook on its own.
- `audit` (with `audit_data`) builds the audit trail for a supervision meeting; `dates` reads and writes
  the times both show.
- `memos` exports memos as Markdown files or one Word document.
- `diagram/` draws the theory model as a picture, or writes it as data for other tools.
"""
