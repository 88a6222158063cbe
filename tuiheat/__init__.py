"""tuiheat: a terminal viewer for heatmaps of model results."""

__version__ = "0.1.0"
