"""Full-screen and modal screens: help (and later go-to, box list, errors)."""

from tuiheat.screens.help import HelpScreen

__all__ = ["HelpScreen"]
