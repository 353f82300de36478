"""Plain-Python services of the rooms app, kept out of commands and views so both can use them."""
