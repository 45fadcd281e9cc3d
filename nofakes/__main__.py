"""`python -m nofakes` runs the command line."""

from nofakes.cli import main

main()
