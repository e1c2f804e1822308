"""`python -m gtcode …` is the same as `gtcode …`."""

from gtcode.cli import main

main()
