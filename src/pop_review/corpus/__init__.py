"""The annotated POP corpus: reading its labels and splits, and rendering its sources to real files."""
