"""The Templates page's parts: a template as the page shows it (the Build page's save-as-template popover
uses its words too)."""
