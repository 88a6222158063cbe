"""One viewing session without a screen: what the app, the command line and the API share."""
