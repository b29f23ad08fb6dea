"""`python -m policykg` runs the CLI."""

from policykg.cli import main

main()
