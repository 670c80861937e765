"""Running engagements: papermill orchestration, kernel, manifest, lock, fingerprint, snapshot, batch."""
