"""Local assistance: constant comparison, candidate negative cases, suggested codes and emergent groupings.

Everything here runs on this machine from the project's own text (TF-IDF vectors from scikit-learn, imported
only inside these functions, so no other command loads it; comparing stored counts needs only numpy; `suggest`
adds wordllama's bundled static embedding when the `ai` extra is installed). It
suggests and never applies: `suggest` can leave *pending* codings by the coder `gtcode-suggest`, which a person
accepts or rejects with `gtcode review`. An optional language model is reached only on loopback
(`gtcode.assist.llm`). `gtcode.assist.governance` holds the switch (`gtcode ai off`) and the project lock an
ethics board can require, and records each run in the log.

Modules: `passages` (participant passages and the codes on them), `vectors` (TF-IDF, fitted on text or
weighing hashed counts), `index` (each participant segment's counts, stored in the project and refreshed where
the words changed), `similar` (similar passages, contrast cases), `suggest` (ranked codes with evidence, and the
local model's rationale), `embedding` (wordllama's, from its wheel), `explore` (groupings), `governance`, `llm`.
"""

#: the coder whose pending codings `suggest --apply` leaves for review
SUGGEST_CODER = "gtcode-suggest"
