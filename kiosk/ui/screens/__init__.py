"""One module per visitor screen."""
