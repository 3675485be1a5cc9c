"""Plumbing shared by the RNN course notebooks.

- :mod:`helpers.data`: synthetic series, windowing, chronological splits, scaling.
- :mod:`helpers.plotting`: training curves, forecasts, split shading, figures with alt text and the
  course's diagrams.
- :mod:`helpers.notebook`: the set-up every notebook runs (seeds, quiet TensorFlow, style).
- :mod:`helpers.checks`: argument checks raising a ``ValueError`` that names the argument and range.

The package depends on NumPy and Matplotlib only; TensorFlow is imported lazily where needed. Its
version is the ``[project]`` version in pyproject.toml.
"""
