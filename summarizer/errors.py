"""Errors a user can fix. The CLI prints their message as one line and exits non-zero."""


class UserError(Exception):
    """Bad input, a missing file or model: the message says what, where and how to fix."""

    exit_code = 1


class ConfigError(UserError):
    """A config file or override that does not validate."""

    exit_code = 2
