"""Forms of the pages: they check the shape of the input; the services check the rules."""
