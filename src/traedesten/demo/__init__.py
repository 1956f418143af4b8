"""Demo data and the generated municipality for benchmarks (composition layer: it uses every app)."""
