"""One notice at a time: a second toast under the first would cover a third of 80x24.

Textual stacks notifications; the viewer shows the newest alone (each notice is short,
and what stays true is said in the title or the status line instead)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.app import App
from textual.notifications import SeverityLevel

ReturnType = TypeVar("ReturnType")


class OneNoticeApp(App[ReturnType], Generic[ReturnType]):
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.clear_notifications()
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
