"""Run gtcode from a checkout: `python cli.py …` is the same as `gtcode …`."""

from gtcode.cli import main

if __name__ == "__main__":
    main()
