"""Running engagements: papermill orchestration, kernel, manifest, lock, fingerprint, snapshot, batch."""

import sys as _sys

# jsonschema (under nbformat, under papermill) imports rfc3987_syntax when it is installed, and that
# builds ~39 Lark grammars at import (about 1 s of every run and batch worker) for the "iri" string
# format, which no notebook schema uses. The runner's process never needs it: an import of it here
# fails, and jsonschema goes on without that one format check. JupyterLab's processes are untouched.
if "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)
