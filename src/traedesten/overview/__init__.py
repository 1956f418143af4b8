"""The citizen overview: one page composed of every app's part, as far as the gate opens it (composition layer)."""
