"""Commands registered by this module (being written)."""


def register(app) -> None:
    return None
