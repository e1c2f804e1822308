"""Double coding: agreement between coders, and merging another coder's copy of the project."""
