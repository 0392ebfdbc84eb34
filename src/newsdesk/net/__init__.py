"""Server-side fetching of untrusted URLs, behind one host policy."""
