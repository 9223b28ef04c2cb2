"""The self-contained, offline graph page: its data, and the HTML around it."""
