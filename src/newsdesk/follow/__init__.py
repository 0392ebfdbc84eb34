"""Following feeds: polled on a schedule, politely, with their state in the index (see each module)."""
