"""Early warning (issue 14 item 3): a daily check per unit × business category for an unusual rise, for
repeat-complaint clusters (the same customer or the same cause at one unit) and for a rising share of
overdue items; each warning goes to the consumer-protection office's inbox and is marked handled with a note.

detection.py finds (SQL aggregates only), check.py stores and delivers, services.py handles, selectors.py
reads, api.py / views.py show."""
