"""Plumbing shared by the RNN course notebooks.

- :mod:`helpers.data`: synthetic series, windowing, chronological splits, scaling.
- :mod:`helpers.plotting`: training curves, forecasts, split shading, figures with alt text and the
  course's diagrams.
- :mod:`helpers.notebook`: the set-up every notebook runs (seeds, quiet TensorFlow, style).
- :mod:`helpers.experiments`: the adding-problem experiments of notebooks 3 and 4 (splits, training,
  loss shares, paired differences, step timing, metrics).
- :mod:`helpers.text`: the character-level corpus of notebook 8 (loading, vocabulary, splits,
  chunks).
- :mod:`helpers.sequences`: the sequence-to-sequence toy data of notebook 7.
- :mod:`helpers.checks`: argument checks raising a ``ValueError`` that names the argument and range.
- :mod:`helpers.claims`: the notebooks' named comparisons, whose failure says which claim failed,
  by how much, at which settings and what to try; ``make claims`` counts how often each holds.

The package depends on NumPy and Matplotlib only; TensorFlow is imported lazily where needed. Its
version is the ``[project]`` version in pyproject.toml.
"""
