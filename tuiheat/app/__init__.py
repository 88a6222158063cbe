"""The viewer application: ``TuiheatApp(config)`` and the helpers it delegates to."""

from tuiheat.app.viewer import TuiheatApp

__all__ = ["TuiheatApp"]
