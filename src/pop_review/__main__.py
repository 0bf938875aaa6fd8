"""``python -m pop_review`` runs the command line."""

from pop_review.cli import main

main()
