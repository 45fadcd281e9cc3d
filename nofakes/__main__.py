"""`python -m nofakes` runs the command line."""

from nofakes.cli.main import main

main()
