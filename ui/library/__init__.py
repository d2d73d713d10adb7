"""The Exercise library page's parts: the add/edit form for the clinic's exercises, the CSV tab, an exercise's
moving drawing."""
