"""Page views, one module per audience; each checks the role, reads through selectors, writes through services."""
